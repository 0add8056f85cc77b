"""Data files state their title and description; the namespace class matches the ontology."""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from budgetkg.extract.codes import code_names
from budgetkg.extract.columns import columns_graph
from budgetkg.store.query import canned_queries
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
        "ontology/codes/columns.ttl is stale: python -m budgetkg.extract.columns > ontology/codes/columns.ttl"


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


def test_skos_and_ontology_hold_on_the_samples(sample_graphs):
    """The checks a SKOS or OWL tool makes: no concept broader than itself, every concept in a
    declared scheme, every exactMatch to a concept with triples, no language-tagged literal on a
    property whose range is xsd:string, and every subject of a property with a domain typed as
    (one of) its domain classes."""
    from rdflib import Graph, Literal, RDF, RDFS
    from rdflib.collection import Collection
    from rdflib.namespace import OWL, SKOS, XSD
    from budgetkg.audit.validate import reference_graph
    ref = reference_graph()
    g = Graph()
    for _, graph in sample_graphs.values():
        g += graph
    g += ref
    assert not [s for s, o in g.subject_objects(SKOS.broader) if s == o]
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    schemes = set(g.subjects(RDF.type, SKOS.ConceptScheme))
    assert concepts and not [c for c in concepts if not set(g.objects(c, SKOS.inScheme))]
    assert {o for o in g.objects(None, SKOS.inScheme)} <= schemes
    matches = list(g.subject_objects(SKOS.exactMatch))
    assert matches and not [o for _, o in matches if (o, None, None) not in g]
    for prop in ref.subjects(RDFS.range, XSD.string):
        assert not [o for o in g.objects(None, prop) if isinstance(o, Literal) and o.language], prop
    for prop, domain in ref.subject_objects(RDFS.domain):
        union = ref.value(domain, OWL.unionOf)
        allowed = set(Collection(ref, union)) if union is not None else {domain}
        allowed |= {c for c in ref.subjects(RDFS.subClassOf, None) if set(ref.objects(c, RDFS.subClassOf)) & allowed}
        for subject in set(g.subjects(prop, None)):
            assert set(g.objects(subject, RDF.type)) & allowed, (prop, subject)


def test_codes_of_a_year_with_no_bundled_list_are_in_a_declared_scheme():
    """jiangsu 2017: no code list is bundled for 2017, so its codes are labelled from the document
    and their scheme (code/function/2017) is declared in its graph, titled, not left undeclared."""
    from pathlib import Path
    from rdflib import RDF
    from rdflib.namespace import DCTERMS, SKOS
    from budgetkg.extract.emit import to_graph
    from budgetkg.extract.pipeline import extract_file
    g = to_graph(extract_file(Path(__file__).parent / "fixtures" / "real" / "jiangsu_prov_gaoyuan_2017_dept_budget.pdf"))
    schemes = {o for o in g.objects(None, SKOS.inScheme) if "/code/" in str(o)}
    assert {str(s).rsplit("/", 2)[-2:][1] for s in schemes} == {"2017"}
    for scheme in schemes:
        assert (scheme, RDF.type, SKOS.ConceptScheme) in g
        assert {t.language for t in g.objects(scheme, DCTERMS.title)} == {"zh", "en"}
