"""Data files state their title and description; the namespace class matches the ontology."""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from budgetkg.codes import code_names
from budgetkg.columns import columns_graph
from budgetkg.query import canned_queries
from budgetkg.resources import data_dir, ontology_files
from budgetkg.vocab import BKG, ONTOLOGY

ONTO = Graph().parse(data_dir("ontology") / "budget.ttl")
TERMS = sorted({s for s in ONTO.subjects() if isinstance(s, URIRef) and str(s).startswith(ONTOLOGY)})


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.split("#")[-1])
def test_every_term_has_zh_and_en_labels_and_a_definition(term):
    labels = {lit.language for lit in ONTO.objects(term, RDFS.label) if isinstance(lit, Literal)}
    assert {"zh", "en"} <= labels, f"{term} lacks a zh or en rdfs:label"
    definitions = {lit.language for lit in ONTO.objects(term, SKOS.definition)}
    assert {"zh", "en"} <= definitions, f"{term} lacks a zh or en skos:definition"


def test_namespace_class_matches_the_ontology():
    declared = {str(BKG[name]) for name in BKG.__annotations__}
    in_file = {str(t) for t in TERMS}
    assert declared == in_file
    with pytest.raises(AttributeError):
        BKG.amountt  # a typo raises instead of minting a new IRI


def test_classes_and_properties_are_typed():
    for term in TERMS:
        types = set(ONTO.objects(term, RDF.type))
        assert types & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, BKG.TableStatus,
                        SKOS.ConceptScheme, BKG.UnitOfMeasure}, term


@pytest.mark.parametrize("path", ontology_files(), ids=lambda p: p.name)
def test_every_turtle_file_has_a_title_and_description(path):
    g = Graph().parse(path)
    titled = set(g.subjects(DCTERMS.title, None))
    described = set(g.subjects(DCTERMS.description, None))
    assert titled & described, f"{path.name} has no node with both dcterms:title and dcterms:description"


@pytest.mark.parametrize("name", sorted(canned_queries()))
def test_every_query_has_a_title_and_description(name):
    q = canned_queries()[name]
    assert q.title and "/" in q.title, f"{name}.rq needs '# title: 中文 / English'"
    assert len(q.description) > 20, f"{name}.rq needs a '# description:' header"


def test_columns_file_is_generated_from_the_specs():
    committed = Graph().parse(data_dir("ontology") / "codes" / "columns.ttl")
    assert isomorphic(committed, columns_graph()), \
        "ontology/codes/columns.ttl is stale: python -m budgetkg.columns > ontology/codes/columns.ttl"


def test_code_lists_cover_every_class_and_every_sample_code(sample_graphs):
    functions, economics = code_names("function", 2024), code_names("economic", 2024)
    for code in ["201", "202", "203", "204", "205", "206", "207", "208", "209", "210", "211", "212", "213",
                 "214", "215", "216", "217", "219", "220", "221", "222", "223", "224", "227", "229", "230",
                 "231", "232", "233", "234"]:
        assert code in functions
    for code in ["301", "302", "303", "307", "309", "310", "311", "312", "313", "399"]:
        assert code in economics
    assert functions["2010301"] == "行政运行" and economics["30101"] == "基本工资"
    for disclosure, graph in sample_graphs.values():
        assert not list(graph.subjects(BKG.inStandardList, Literal(False))), disclosure.path


def test_hierarchy_follows_the_code_structure():
    g = Graph().parse(data_dir("ontology") / "codes" / "function-2024.ttl")
    item = URIRef("https://w3id.org/budgetkg/code/function/2024/2010301")
    section = URIRef("https://w3id.org/budgetkg/code/function/2024/20103")
    assert (item, SKOS.broader, section) in g
    assert (section, SKOS.broader, URIRef("https://w3id.org/budgetkg/code/function/2024/201")) in g
    assert str(g.value(item, SKOS.notation)) == "2010301"
