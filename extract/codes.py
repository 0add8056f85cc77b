"""The classification code lists (ontology/codes/*.ttl) as lookups for the extractor."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from .resources import data_dir

CODE_BASE = "https://w3id.org/budgetkg/code/"


def scheme_iri(kind: str, year: int) -> str:
    return f"{CODE_BASE}{kind}/{year}"


def code_iri(kind: str, year: int, code: str) -> str:
    return f"{CODE_BASE}{kind}/{year}/{code}"


@lru_cache(maxsize=None)
def code_names(kind: str, year: int) -> dict[str, str]:
    """notation → standard zh label for the *kind* (function|economic) list of *year*; {} if none."""
    path = data_dir("ontology") / "codes" / f"{kind}-{year}.ttl"
    if not path.exists():
        return {}
    graph = Graph().parse(path, format="turtle")
    names: dict[str, str] = {}
    for concept, notation in graph.subject_objects(SKOS.notation):
        for label in graph.objects(concept, SKOS.prefLabel):
            if isinstance(label, Literal) and label.language == "zh":
                names[str(notation)] = str(label)
    return names
