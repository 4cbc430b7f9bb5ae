# rule: prp-trp
# kind: owl
# order: 10
# description: a transitive property (owl:TransitiveProperty) chains: x p y, y p z gives x p z
INSERT { ?x ?p ?z }
WHERE { ?p a owl:TransitiveProperty . ?x ?p ?y . ?y ?p ?z . }
