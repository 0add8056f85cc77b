# title: 删除一个图 / drop a graph
# description: Drops the graph <{graph}> (filled in as text after the IRI is checked: SPARQL binds no graph name in DROP).
DROP SILENT GRAPH <{graph}>
