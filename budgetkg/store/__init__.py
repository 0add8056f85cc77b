"""Triple stores: the embedded Oxigraph store, a SPARQL 1.1 server, and the canned queries run on them."""
