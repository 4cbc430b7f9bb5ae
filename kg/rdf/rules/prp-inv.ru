# rule: prp-inv
# kind: owl
# order: 12
# description: owl:inverseOf (prp-inv1 and prp-inv2): x p y gives y q x, both ways round
INSERT { ?y ?q ?x }
WHERE {
  { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p }
  ?x ?p ?y .
  FILTER(!isLiteral(?y))
}
