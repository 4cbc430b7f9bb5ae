# rule: region-containment
# kind: domain
# order: 0
# description: region containment is transitive: a county is part of its prefecture's province
INSERT { ?a kg:partOf ?b }
WHERE { ?a a kg:Region ; kg:partOf+ ?b . FILTER(?a != ?b) }
