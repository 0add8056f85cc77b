# title: 记录已载入的图 / record loaded graphs in the manifest
# description: Replaces the manifest records of the graphs bound to ?g (with ?sha, ?n and ?at, one row each).
# description: Full IRIs, no PREFIX: the update is joined after others with ";", where not every server accepts a prologue.
DELETE { GRAPH <urn:budgetkg:manifest> { ?g ?p ?o } }
INSERT { GRAPH <urn:budgetkg:manifest> {
  ?g a <https://w3id.org/budgetkg/ontology#LoadedGraph> ;
     <https://w3id.org/budgetkg/ontology#sourceSha256> ?sha ;
     <https://w3id.org/budgetkg/ontology#tripleCount> ?n ;
     <http://www.w3.org/ns/prov#generatedAtTime> ?at } }
WHERE {
  OPTIONAL { GRAPH <urn:budgetkg:manifest> { ?g ?p ?o } }
}
