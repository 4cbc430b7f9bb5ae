# rule: union-national
# kind: domain
# order: 2
# description: every local federation of unions (provincial, prefectural, county,
# description: township) is a sub-organization of the national federation (中华全国总工会)
INSERT { ?child kg:subOrganizationOf ?parent }
WHERE {
  ?parent a kg:NationalUnion .
  VALUES ?cc { kg:ProvincialUnion kg:PrefecturalUnion kg:CountyUnion kg:TownshipUnion }
  ?child a ?cc .
  FILTER(?child != ?parent)
}
