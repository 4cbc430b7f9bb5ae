# rule: prp-symp
# kind: owl
# order: 11
# description: a symmetric property (owl:SymmetricProperty, e.g. kg:cooperatesWith) holds in both directions
INSERT { ?y ?p ?x }
WHERE { ?p a owl:SymmetricProperty . ?x ?p ?y . FILTER(!isLiteral(?y)) }
