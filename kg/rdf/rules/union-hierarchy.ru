# rule: union-hierarchy
# kind: domain
# order: 1
# description: a local federation of unions is a sub-organization of every federation of
# description: a higher rank present in the graph whose region contains its own (township <
# description: county < prefecture < province); ranks follow the administrative hierarchy
INSERT { ?child kg:subOrganizationOf ?parent }
WHERE {
  VALUES (?cc ?crank) {
    (kg:PrefecturalUnion 2) (kg:CountyUnion 3) (kg:TownshipUnion 4)
  }
  ?child a ?cc ; kg:region ?rc .
  ?rc kg:partOf* ?rp .
  ?parent kg:region ?rp .
  VALUES (?pc ?prank) { (kg:ProvincialUnion 1) (kg:PrefecturalUnion 2) (kg:CountyUnion 3) }
  ?parent a ?pc .
  FILTER(?prank < ?crank && ?child != ?parent)
}
