"""The DCAT catalogue conforms to DCAT-AP 3.0: validated with pySHACL against SEMIC's DCAT-AP 3.0.0
SHACL shapes, vendored in fixtures/dcat-ap/ (see its README for where they come from).

The shapes constrain URL values with ``sh:class rdfs:Resource``, which holds of every IRI under
RDFS entailment only, so the catalogue is validated with ``inference="rdfs"``; a second test shows
that without inference those range constraints are the only ones left unmet, so the inference hides
nothing else. A violation is a ``sh:ValidationResult`` of severity ``sh:Violation``."""

from urllib.parse import unquote

import pyshacl
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SH, XSD

from budgetkg.web.site import Site
from budgetkg.store.embedded import EmbeddedStore

from conftest import FIXTURES
from test_publishing import store_dir  # noqa: F401  (the module's store: the three samples built)

SHAPES = FIXTURES / "dcat-ap" / "dcat-ap_3_shacl_shapes.ttl"
SITE_URL = "https://budgets.example.org/kg"
IANA = "http://www.iana.org/assignments/media-types/"
PROV_TIME = URIRef("http://www.w3.org/ns/prov#generatedAtTime")
BKG = "https://w3id.org/budgetkg/ontology#"


@pytest.fixture(scope="module")
def site(store_dir):
    return Site(EmbeddedStore.read_only(store_dir))


@pytest.fixture(scope="module")
def shapes():
    return Graph().parse(SHAPES, format="turtle")


@pytest.fixture(scope="module")
def catalog(site):
    return site.catalog(SITE_URL)


def violations(data: Graph, shapes: Graph, inference: str = "rdfs") -> list[str]:
    """Each sh:Violation of *data* against *shapes*, as "focus node | path | message | shape"."""
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference=inference, allow_warnings=True)
    found = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        if results.value(r, SH.resultSeverity) == SH.Violation:
            found.append(" | ".join(str(results.value(r, p)) for p in
                                    (SH.focusNode, SH.resultPath, SH.resultMessage, SH.sourceShape)))
    return sorted(found)


def test_the_vendored_shapes_are_the_dcat_ap_3_shapes(shapes):
    assert len(shapes) == 1968
    targets = {str(c) for c in shapes.objects(None, SH.targetClass)}
    assert {str(DCAT.Catalog), str(DCAT.Dataset), str(DCAT.Distribution), str(DCAT.DataService),
            str(FOAF.Agent)} <= targets
    mandatory = {(str(s), str(shapes.value(p, SH.path))) for s in shapes.subjects(SH.targetClass, None)
                 for p in shapes.objects(s, SH.property) if shapes.value(p, SH.minCount) is not None}
    distribution = str(next(iter(shapes.subjects(SH.targetClass, DCAT.Distribution))))
    assert (distribution, str(DCAT.accessURL)) in mandatory and len(mandatory) > 10


def test_the_catalogue_has_no_dcat_ap_3_violation(catalog, shapes):
    found = violations(catalog, shapes)
    assert not found, f"{len(found)} DCAT-AP 3.0 violations:\n" + "\n".join(found)


def test_without_inference_only_the_rdfs_resource_ranges_are_unmet(catalog, shapes):
    """``sh:class rdfs:Resource`` needs RDFS entailment; nothing else depends on the inference."""
    found = violations(catalog, shapes, inference="none")
    assert found and all("Value does not have class rdfs:Resource" in f for f in found), "\n".join(found)


def test_the_check_is_not_vacuous(catalog):
    datasets = set(catalog.objects(URIRef(SITE_URL + "/catalog"), DCAT.dataset))
    distributions = set(catalog.subjects(RDF.type, DCAT.Distribution))
    assert len(datasets) >= 3 and len(distributions) >= 6
    assert all(catalog.value(d, DCAT.accessURL) is not None for d in distributions)


def _without_publisher(g: Graph) -> None:
    g.remove((URIRef(SITE_URL + "/catalog"), DCTERMS.publisher, None))


def _without_access_url(g: Graph) -> None:
    g.remove((next(iter(g.subjects(RDF.type, DCAT.Distribution))), DCAT.accessURL, None))


def _media_type_as_a_literal(g: Graph) -> None:
    dist = next(iter(g.subjects(RDF.type, DCAT.Distribution)))
    g.set((dist, DCAT.mediaType, Literal("application/n-quads")))


def _dataset_without_description(g: Graph) -> None:
    g.remove((next(iter(g.subjects(RDF.type, DCAT.Dataset))), DCTERMS.description, None))


@pytest.mark.parametrize("breakage,path", [(_without_publisher, DCTERMS.publisher),
                                           (_without_access_url, DCAT.accessURL),
                                           (_media_type_as_a_literal, DCAT.mediaType),
                                           (_dataset_without_description, DCTERMS.description)])
def test_a_broken_catalogue_gives_a_violation(catalog, shapes, breakage, path):
    broken = Graph()
    for t in catalog:
        broken.add(t)
    breakage(broken)
    found = violations(broken, shapes)
    assert any(f" | {path} | " in f for f in found), "\n".join(found) or "no violation"


def test_the_catalogue_says_what_the_store_records(site, catalog):
    cat = URIRef(SITE_URL + "/catalog")
    for prop in (DCTERMS.title, DCTERMS.description):
        assert {o.language for o in catalog.objects(cat, prop)} == {"zh", "en"}
    agent = catalog.value(cat, DCTERMS.publisher)
    assert (agent, RDF.type, FOAF.Agent) in catalog and str(catalog.value(agent, FOAF.name)) == "budgetkg"
    licence = catalog.value(cat, DCTERMS.license)
    assert (licence, RDF.type, DCTERMS.LicenseDocument) in catalog
    service = catalog.value(cat, DCAT.service)
    assert {o.language for o in catalog.objects(service, DCTERMS.title)} == {"zh", "en"}
    assert (catalog.value(service, DCTERMS.conformsTo), RDF.type, DCTERMS.Standard) in catalog
    loaded = []
    for ds in catalog.objects(cat, DCAT.dataset):
        doc = str(ds)
        result = site.store.select(f"SELECT ?name ?year ?signed ?loaded WHERE {{ <{doc}> <{BKG}department>/"
                                   f"<http://www.w3.org/2004/02/skos/core#prefLabel> ?name ; <{BKG}fiscalYear> ?year ; "
                                   f"<{BKG}dateSigned> ?signed ; <{PROV_TIME}> ?loaded }}")
        row = dict(zip(result.columns, result.rows[0]))
        titles = {o.language: str(o) for o in catalog.objects(ds, DCTERMS.title)}
        descriptions = {o.language: str(o) for o in catalog.objects(ds, DCTERMS.description)}
        assert set(titles) == set(descriptions) == {"zh", "en"}
        for text in (*titles.values(), *descriptions.values()):
            assert row["name"].value in text and row["year"].value in text, text
        assert "预算" in descriptions["zh"] and "budget" in descriptions["en"]
        assert catalog.value(ds, DCTERMS.issued) == Literal(row["signed"].value, datatype=XSD.date)
        assert catalog.value(ds, DCTERMS.modified) == Literal(row["loaded"].value, datatype=XSD.dateTime)
        loaded.append(catalog.value(ds, DCTERMS.modified))
        media = {catalog.value(d, DCAT.mediaType) for d in catalog.objects(ds, DCAT.distribution)}
        assert media == {URIRef(IANA + "application/n-quads"), URIRef(IANA + "application/trig")}
        assert all((m, RDF.type, DCTERMS.MediaType) in catalog for m in media)
    assert catalog.value(cat, DCTERMS.modified) == max(loaded, key=lambda lit: lit.toPython())


def test_the_publisher_and_licence_are_configurable(site, shapes):
    g = site.catalog(SITE_URL, publisher="某某数据中心", licence="https://example.org/licence")
    agent = g.value(URIRef(SITE_URL + "/catalog"), DCTERMS.publisher)
    assert str(g.value(agent, FOAF.name)) == "某某数据中心"
    assert set(g.objects(None, DCTERMS.license)) == {URIRef("https://example.org/licence")}
    assert not violations(g, shapes)


def test_void_has_a_licence_in_void_dcat_and_dublin_core_terms_alone(site, catalog):
    void = site.void(SITE_URL)
    allowed = ("http://rdfs.org/ns/void#", str(DCAT), str(DCTERMS), str(RDF.type))
    assert all(str(p).startswith(allowed) for p in void.predicates())
    dataset = URIRef(SITE_URL + "/.well-known/void#dataset")
    assert void.value(dataset, DCTERMS.license) == catalog.value(URIRef(SITE_URL + "/catalog"), DCTERMS.license)
    assert (void.value(dataset, DCTERMS.license), RDF.type, DCTERMS.LicenseDocument) in void


def test_publish_with_a_base_url_writes_a_catalogue_of_absolute_iris(store_dir, shapes, tmp_path, monkeypatch):
    """`budgetkg publish --base-url`: catalog.ttl names absolute IRIs under that URL (and conforms),
    and no SPARQL service, which a static site lacks; only the catalogue matters here, so no
    resource page is written."""
    import budgetkg.web.publish
    from budgetkg.cli import main
    monkeypatch.setattr(budgetkg.web.publish, "resources", lambda site: [])
    out = tmp_path / "site"
    result = CliRunner().invoke(main, ["publish", "--store", str(store_dir), "--out", str(out),
                                       "--base-url", "https://static.example.org/kg/"])
    assert result.exit_code == 0, result.output
    text = (out / "catalog.ttl").read_text(encoding="utf-8")
    catalog = Graph().parse(data=text, format="turtle")      # no base: a relative IRI would not parse to http
    cat = URIRef("https://static.example.org/kg/catalog")
    assert (cat, RDF.type, DCAT.Catalog) in catalog
    iris = {t for triple in catalog for t in triple if isinstance(t, URIRef)}
    assert all(str(i).startswith(("http://", "https://")) for i in iris)
    ours = {str(i) for i in iris if str(i).startswith("https://static.example.org/")}
    assert all(i.startswith("https://static.example.org/kg/") for i in ours)
    # a static site has no SPARQL endpoint: no data service in its catalogue, no endpoint in its VoID
    assert catalog.value(cat, DCAT.service) is None and not list(catalog.subjects(RDF.type, DCAT.DataService))
    dumps = {str(d) for d in catalog.objects(None, DCAT.downloadURL)}
    assert len(dumps) >= 6 and all(d.startswith("https://static.example.org/kg/dumps/") for d in dumps)
    for d in dumps:                                             # each names a file of the export
        local = d.removeprefix("https://static.example.org/kg/")
        assert (out / unquote(local)).is_file(), local
    assert not violations(catalog, shapes)
    void = Graph().parse(out / ".well-known" / "void.ttl", format="turtle")
    assert URIRef("https://static.example.org/kg/.well-known/void#dataset") in set(void.subjects())
    from rdflib.namespace import VOID
    assert not list(void.objects(None, VOID.sparqlEndpoint))


def test_publish_refuses_a_base_url_that_is_not_an_absolute_url(store_dir, tmp_path):
    from budgetkg.cli import main
    for bad in ("static.example.org/kg", "ftp://static.example.org/", "https://static.example.org/?x=1"):
        result = CliRunner().invoke(main, ["publish", "--store", str(store_dir), "--out", str(tmp_path / "x"),
                                           "--base-url", bad])
        assert result.exit_code == 2 and "--base-url" in result.output, (bad, result.output)
    assert not (tmp_path / "x").exists()


def test_a_final_account_and_a_disclosure_without_title_are_described_from_their_facts():
    texts = Site._dataset_texts({"doc": "x", "title": None, "year": "2023"}, {"name": "某某厅", "phase": "final"})
    assert texts["zh"] == ("某某厅2023年部门决算公开", "从某某厅2023年部门决算公开文件中抽取的结构化数据（RDF）。")
    assert texts["en"][0] == "2023 department final-account disclosure of 某某厅"
    bare = Site._dataset_texts({"doc": "x", "title": None, "year": None}, {})
    assert bare["zh"][0] and bare["en"][0] == "Department disclosure"
