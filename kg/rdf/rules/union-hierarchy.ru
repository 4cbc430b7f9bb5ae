# rule: union-hierarchy
# kind: domain
# description: a federation of unions is a sub-organization of every federation of a
# description: higher rank present in the graph whose region contains its own (township <
# description: county < prefecture < province), and every local federation is one of the
# description: national federation (中华全国总工会); ranks follow the administrative hierarchy
INSERT { ?child kg:subOrganizationOf ?parent }
WHERE {
  VALUES (?cc ?crank) {
    (kg:ProvincialUnion 1) (kg:PrefecturalUnion 2) (kg:CountyUnion 3) (kg:TownshipUnion 4)
  }
  VALUES (?pc ?prank) {
    (kg:NationalUnion 0) (kg:ProvincialUnion 1) (kg:PrefecturalUnion 2) (kg:CountyUnion 3)
  }
  ?child a ?cc ; kg:region ?rc .
  ?parent a ?pc .
  FILTER(?prank < ?crank && ?child != ?parent)
  FILTER(?prank = 0 || EXISTS { ?parent kg:region ?rp . ?rc kg:partOf* ?rp })
}
