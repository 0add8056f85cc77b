# title: 替换一个图 / replace a graph by its new triples
# description: Drops the graph <{graph}> and inserts {ntriples} (N-Triples) in its place. SPARQL binds no
# description: graph name in DROP and no data in INSERT DATA, so these two are filled in as text: the graph
# description: IRI is checked first, and the data is N-Triples written by a serializer.
DROP SILENT GRAPH <{graph}> ;
INSERT DATA { GRAPH <{graph}> {
{ntriples}
} }
