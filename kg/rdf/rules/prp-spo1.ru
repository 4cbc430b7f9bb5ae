# rule: prp-spo1
# kind: owl
# order: 13
# description: a statement with a sub-property also holds with every super-property (rdfs:subPropertyOf, transitively)
INSERT { ?x ?q ?y }
WHERE { ?p rdfs:subPropertyOf+ ?q . FILTER(?p != ?q) ?x ?p ?y . }
