"""The ontology's terms meet the usual standards (issue 24): a versioned, licensed header; every
term defined by the ontology and labelled in Chinese and English; every property with a domain
that the extracted graphs really satisfy; and links to the standard terms the ontology's own
terms restate."""

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, VOID, XSD

from budgetkg.resources import data_dir, ontology_files
from budgetkg.vocab import BKG, ONTOLOGY

from conftest import SAMPLES, SAMPLE_NAMES, extracted

ONTOLOGY_IRI = URIRef("https://w3id.org/budgetkg/ontology")
QB = Namespace("http://purl.org/linked-data/cube#")
SPDX_CHECKSUM = URIRef("http://spdx.org/rdf/terms#checksum")

ONTO = Graph().parse(data_dir("ontology") / "budget.ttl")

PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property,
                  QB.DimensionProperty, QB.MeasureProperty, QB.AttributeProperty, QB.ComponentProperty}
CLASSES = sorted(c for c in ONTO.subjects(RDF.type, OWL.Class)
                 if isinstance(c, URIRef) and str(c).startswith(ONTOLOGY))
PROPERTIES = sorted({p for t in PROPERTY_TYPES for p in ONTO.subjects(RDF.type, t)
                     if isinstance(p, URIRef) and str(p).startswith(ONTOLOGY)})

# Properties that apply to anything, and so have no rdfs:domain: each with the reason. Keep this
# small; a property used on subjects of several classes gets an owl:unionOf domain instead.
NO_DOMAIN: dict[URIRef, str] = {}


def _local(term) -> str:
    return str(term).rsplit("#", 1)[-1]


# ---------------------------------------------------------------- (a) header

def test_the_header_is_versioned_and_licensed():
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ONTO
    version_iri = ONTO.value(ONTOLOGY_IRI, OWL.versionIRI)
    version = ONTO.value(ONTOLOGY_IRI, OWL.versionInfo)
    assert version_iri is not None and version is not None
    assert str(version_iri) == f"{ONTOLOGY_IRI}/{version}", "owl:versionIRI and owl:versionInfo disagree"
    assert ONTO.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")


# ---------------------------------------------------------------- (b) definedBy and labels

def test_the_terms_were_found():
    assert BKG.Disclosure in CLASSES and BKG.amount in PROPERTIES and len(PROPERTIES) > 100


@pytest.mark.parametrize("term", CLASSES + PROPERTIES, ids=_local)
def test_every_term_is_defined_by_the_ontology_and_labelled_in_zh_and_en(term):
    assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in ONTO, f"{_local(term)} lacks rdfs:isDefinedBy"
    labels = {lit.language for lit in ONTO.objects(term, RDFS.label) if isinstance(lit, Literal)}
    assert {"zh", "en"} <= labels, f"{_local(term)} lacks a zh or en rdfs:label"


# ---------------------------------------------------------------- (c) domains

def test_no_domain_exceptions_are_real_properties():
    assert set(NO_DOMAIN) <= set(PROPERTIES)


@pytest.mark.parametrize("prop", PROPERTIES, ids=_local)
def test_every_property_has_a_domain(prop):
    domains = list(ONTO.objects(prop, RDFS.domain))
    if prop in NO_DOMAIN:
        assert not domains, f"{_local(prop)} is listed as having no domain but has one"
    else:
        assert len(domains) == 1, f"{_local(prop)} needs exactly one rdfs:domain (an owl:unionOf for several classes)"


# ---------------------------------------------------------------- (d) standard terms

@pytest.mark.parametrize("prop, standard", [
    (BKG.tripleCount, VOID.triples),            # void:triples: domain void:Dataset, range xsd:integer
    (BKG.inTable, DCTERMS.isPartOf),            # no domain or range
], ids=lambda v: _local(v) if str(v).startswith(ONTOLOGY) else v.n3())
def test_restated_standard_terms_are_superproperties(prop, standard):
    assert (prop, RDFS.subPropertyOf, standard) in ONTO


def test_the_triple_count_is_an_integer_as_void_triples_is():
    assert ONTO.value(BKG.tripleCount, RDFS.range) == XSD.integer


@pytest.mark.parametrize("prop, standard", [
    # dcat:startDate/endDate have the domain dcterms:PeriodOfTime: as superproperties they would
    # make every bkg:Project a period of time. The values (xsd:date) would fit.
    (BKG.periodStart, DCAT.startDate),
    (BKG.periodEnd, DCAT.endDate),
    # spdx:checksum points at a spdx:Checksum node (algorithm and value), not at a literal.
    (BKG.sha256, SPDX_CHECKSUM),
], ids=lambda v: _local(v) if str(v).startswith(ONTOLOGY) else v.n3())
def test_near_standard_terms_are_seen_also_and_say_why_not_superproperties(prop, standard):
    assert (prop, RDFS.seeAlso, standard) in ONTO
    assert (prop, RDFS.subPropertyOf, standard) not in ONTO
    definitions = {lit.language: str(lit) for lit in ONTO.objects(prop, URIRef("http://www.w3.org/2004/02/skos/core#definition"))}
    assert "subproperty" in definitions["en"] and "子属性" in definitions["zh"]


def test_period_dates_are_dates():
    assert ONTO.value(BKG.periodStart, RDFS.range) == XSD.date
    assert ONTO.value(BKG.periodEnd, RDFS.range) == XSD.date


# ---------------------------------------------------------------- (e) the extracted graphs satisfy them

def _closure(nodes, parents) -> dict:
    """Each of *nodes* with every node reachable from it by *parents* (a node → its direct
    parents), itself included."""
    closure = {}
    for node in nodes:
        seen, todo = {node}, [node]
        while todo:
            for parent in parents(todo.pop()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        closure[node] = seen
    return closure


def _superclasses() -> dict:
    """Each class of the ontology files with every class it is a subclass of (itself included)."""
    ref = Graph()
    for path in ontology_files():
        ref.parse(path, format="turtle")
    direct: dict = {}
    for c, sup in ref.subject_objects(RDFS.subClassOf):
        direct.setdefault(c, set()).add(sup)
    return _closure(direct, lambda c: direct.get(c, ()))


def _superproperties() -> dict:
    """Each bkg: property with the bkg: properties it is a subproperty of (itself included)."""
    return _closure(PROPERTIES, lambda p: [sup for sup in ONTO.objects(p, RDFS.subPropertyOf) if sup in PROPERTIES])


def _domain_classes() -> dict:
    """Each property with a domain: the classes (a union's members) a subject may be."""
    out = {}
    for p in PROPERTIES:
        domain = ONTO.value(p, RDFS.domain)
        if domain is None:
            continue
        union = ONTO.value(domain, OWL.unionOf)
        out[p] = frozenset(Collection(ONTO, union)) if union is not None else frozenset({domain})
    return out


SUPERCLASSES = _superclasses()
SUPERPROPERTIES = _superproperties()
DOMAINS = _domain_classes()
LANG_STRING = {p for p in PROPERTIES if ONTO.value(p, RDFS.range) == RDF.langString}
PLAIN_STRING = {p for p in PROPERTIES if ONTO.value(p, RDFS.range) == XSD.string}


def _reference_graph() -> Graph:
    g = Graph()
    for path in ontology_files():
        g.parse(path, format="turtle")
    return g


GRAPHS = {name: (lambda name=name: extracted(SAMPLES / f"{name}.txt")[1]) for name in SAMPLE_NAMES}
GRAPHS["reference"] = _reference_graph      # the column, kind, template and code graphs


def test_the_checks_see_domains_and_string_ranges():
    assert len(DOMAINS) > 100 and LANG_STRING and PLAIN_STRING


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_every_subject_is_of_its_propertys_domain(name):
    """With RDFS, a property's domain (and its superproperties') is inferred of every subject:
    each subject must already be typed (up to rdfs:subClassOf) with one of the domain's classes."""
    g = GRAPHS[name]()
    types: dict = {}
    wrong = set()
    for s, p, _ in g:
        if p not in SUPERPROPERTIES:
            continue
        if s not in types:
            types[s] = {sup for t in g.objects(s, RDF.type) for sup in SUPERCLASSES.get(t, {t})}
        for sup in SUPERPROPERTIES[p]:
            if sup in DOMAINS and not DOMAINS[sup] & types[s]:
                wrong.add((_local(p), _local(sup), str(s)))
    assert not wrong, sorted(wrong)[:20]


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_string_literals_carry_a_language_exactly_when_the_range_says(name):
    g = GRAPHS[name]()
    untagged = {(_local(p), str(o)[:40]) for p in LANG_STRING for o in g.objects(None, p)
                if not (isinstance(o, Literal) and o.language)}
    tagged = {(_local(p), str(o)[:40]) for p in PLAIN_STRING for o in g.objects(None, p)
              if not isinstance(o, Literal) or o.language or o.datatype not in (None, XSD.string)}
    assert not untagged, f"rdf:langString values without a language: {sorted(untagged)[:10]}"
    assert not tagged, f"xsd:string values with a language or another datatype: {sorted(tagged)[:10]}"
