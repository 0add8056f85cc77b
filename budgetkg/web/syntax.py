"""The RDF syntaxes the server answers in and the static export writes, keyed by suffix.

Every syntax carries the same triples, literal for literal: rdflib's Turtle writes a number in
its short form from the number's value (``"0"^^xsd:decimal`` as ``0.0``), which is another
literal; :class:`ExactTurtleSerializer` writes the short form only when it keeps the lexical
form, and the full one (``"0"^^xsd:decimal``) otherwise.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef, plugin
from rdflib.plugins.serializers.turtle import _GEN_QNAME_FOR_DT, TurtleSerializer
from rdflib.serializer import Serializer


class ExactTurtleSerializer(TurtleSerializer):
    """Turtle whose literals parse back to the same lexical forms."""

    def label(self, node, position):
        if isinstance(node, Literal) and node.datatype is not None:
            qname = lambda dt: self.get_pname(dt, _GEN_QNAME_FOR_DT)       # noqa: E731
            short = node._literal_n3(use_plain=True, qname_callback=qname)
            if not short.startswith('"') and short != str(node):
                return node._literal_n3(use_plain=False, qname_callback=qname)
            return short
        return super().label(node, position)


plugin.register("budgetkg-turtle", Serializer, __name__, "ExactTurtleSerializer")

# suffix → rdflib serializer (JSON-LD is written by jsonld, with the project's @context)
SERIALIZERS = {"ttl": "budgetkg-turtle", "n3": "budgetkg-turtle", "nt": "nt", "rdf": "xml"}

# What a resource is answered in by default: its page, Turtle or JSON-LD (suffix → media type).
FORMATS = {"html": "text/html; charset=utf-8", "ttl": "text/turtle; charset=utf-8",
           "jsonld": "application/ld+json"}
# The RDF alternates a resource page advertises (and the static export writes): suffix, type, name.
ALTERNATES = ((".ttl", "text/turtle", "Turtle"), (".nt", "application/n-triples", "N-Triples"),
              (".rdf", "application/rdf+xml", "RDF/XML"), (".jsonld", "application/ld+json", "JSON-LD"))


def jsonld(graph) -> str:
    """*graph* as JSON-LD with a @context of the project's prefixes (bkg:, skos:, …)."""
    from budgetkg.extract.emit import PREFIXES
    return graph.serialize(format="json-ld", indent=1, context=dict(PREFIXES))


def serialized(graph, suffix: str) -> str:
    """*graph* in the syntax of *suffix* (``ttl``, ``nt``, ``rdf``, ``n3``, ``jsonld``; a
    leading dot is allowed)."""
    suffix = suffix.lstrip(".")
    if suffix in ("jsonld", "json"):
        return jsonld(graph)
    return graph.serialize(format=SERIALIZERS[suffix])


def rdflib_term(term):
    """A pyoxigraph term as rdflib's; an xsd:string literal as a plain one (RDF 1.1), so that
    every syntax writes it so."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value if term.datatype else None
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            datatype = None
        return Literal(term.value, datatype=URIRef(datatype) if datatype else None)
    return BNode(str(term.value))
