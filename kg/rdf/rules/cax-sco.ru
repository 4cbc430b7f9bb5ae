# rule: cax-sco
# kind: owl
# order: 16
# description: an instance of a class is an instance of all its superclasses (rdfs:subClassOf, transitively)
INSERT { ?x a ?d }
WHERE { SELECT DISTINCT ?x ?d WHERE { ?x a ?c . ?c rdfs:subClassOf+ ?d . FILTER(?c != ?d) } }
