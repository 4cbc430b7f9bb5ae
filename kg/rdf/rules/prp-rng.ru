# rule: prp-rng
# kind: owl
# order: 15
# description: the (non-literal) object of a property is an instance of the property's rdfs:range
INSERT { ?y a ?c }
WHERE { SELECT DISTINCT ?y ?c WHERE { ?p rdfs:range ?c . ?x ?p ?y . FILTER(!isLiteral(?y)) } }
