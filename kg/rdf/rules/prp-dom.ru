# rule: prp-dom
# kind: owl
# order: 14
# description: the subject of a property is an instance of the property's rdfs:domain
INSERT { ?x a ?c }
WHERE { SELECT DISTINCT ?x ?c WHERE { ?p rdfs:domain ?c . ?x ?p ?y . } }
