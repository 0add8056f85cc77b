"""The RDF syntaxes the server answers in and the static export writes, keyed by suffix.

Every syntax carries the same triples, literal for literal: rdflib's Turtle writes a number in
its short form from the number's value (``"0"^^xsd:decimal`` as ``0.0``), which is another
literal; :class:`ExactTurtleSerializer` writes the short form only when it keeps the lexical
form, and the full one (``"0"^^xsd:decimal``) otherwise.
"""

from __future__ import annotations

from rdflib import Literal, plugin
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

# suffix → rdflib serializer (JSON-LD is written by site.jsonld, with the project's @context)
SERIALIZERS = {"ttl": "budgetkg-turtle", "n3": "budgetkg-turtle", "nt": "nt", "rdf": "xml"}


def serialized(graph, suffix: str) -> str:
    """*graph* in the syntax of *suffix* (``ttl``, ``nt``, ``rdf``, ``n3``, ``jsonld``; a
    leading dot is allowed)."""
    from budgetkg.web.site import jsonld
    suffix = suffix.lstrip(".")
    if suffix in ("jsonld", "json"):
        return jsonld(graph)
    return graph.serialize(format=SERIALIZERS[suffix])
