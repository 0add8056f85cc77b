"""Content negotiation that standard clients accept: every RDF syntax a resource, the catalogue
and VoID advertise is served (by Accept and by suffix) and carries the same graph, on the server
and in the static export; the SPARQL endpoint describes itself (SPARQL 1.1 Service Description)
and answers CORS; an IRI the data says nothing about is 404."""

import re
import urllib.parse

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF
from starlette.testclient import TestClient

from budgetkg.web.publish import RESERVED, publish
from budgetkg.web.serve import build_app

from test_publishing import _free_port, store_dir  # noqa: F401  (the module's store: three samples built)

BASE = "https://w3id.org/budgetkg/"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
# Accept → (suffix, rdflib parser; None for the HTML page)
FORMATS = {"text/turtle": ("ttl", "turtle"), "application/n-triples": ("nt", "nt"),
           "application/rdf+xml": ("rdf", "xml"), "application/ld+json": ("jsonld", "json-ld"),
           "text/html": ("html", None)}
RDF_TYPES = {mime: v for mime, v in FORMATS.items() if v[1]}
PARSER_OF = {mime: parser for mime, (_, parser) in RDF_TYPES.items()}
KINDS = {   # one resource of each kind, found in the store
    "department": "?x a bkg:Department",
    "project": "?x a bkg:Project",
    "policy document": "?p bkg:cites ?x . ?x a <http://data.europa.eu/eli/ontology#LegalResource>",
    "classification code": "?x a bkg:FunctionCode",
    "table": "?x a bkg:BudgetTable",
}


def select(store_dir, text: str) -> list[str]:
    store = ox.Store.read_only(str(store_dir))
    return [row[0].value for row in store.query("PREFIX bkg: <https://w3id.org/budgetkg/ontology#>\n" + text,
                                                use_default_graph_as_union=True)]


@pytest.fixture(scope="module")
def resources(store_dir):  # noqa: F811
    found = {}
    for kind, pattern in KINDS.items():
        rows = select(store_dir, f"SELECT DISTINCT ?x WHERE {{ {pattern} FILTER(STRSTARTS(STR(?x), \"{BASE}\")) }} "
                                 "ORDER BY ?x LIMIT 1")
        assert rows, kind
        found[kind] = rows[0]
    return found


@pytest.fixture(scope="module")
def client(store_dir):  # noqa: F811
    return TestClient(build_app(str(store_dir), None, BASE, timeout=10, cap=50))


@pytest.fixture(scope="module")
def configured(store_dir):  # noqa: F811
    """A server whose public URL is configured (--base-url)."""
    return TestClient(build_app(str(store_dir), None, BASE, timeout=10, cap=50,
                                base_url="https://budgets.example.org/kg/"))


@pytest.fixture(scope="module")
def turtle_of(client, resources):
    """Each resource's Turtle answer, the graph every other answer is compared with."""
    out = {}
    for kind, iri in resources.items():
        r = client.get(path_of(iri), headers={"accept": "text/turtle"})
        assert r.status_code == 200
        out[kind] = Graph().parse(data=r.text, format="turtle")
        assert len(out[kind]) > 0 and {str(s) for s in out[kind].subjects()} == {iri}
    return out


@pytest.fixture(scope="module")
def exported(store_dir, tmp_path_factory):  # noqa: F811
    out = tmp_path_factory.mktemp("export") / "site"
    messages = []
    assert publish(str(store_dir), None, out, BASE, report=messages.append) > 0
    return out


def path_of(iri: str) -> str:
    return "/" + urllib.parse.quote(iri.removeprefix(BASE))


def links(header: str) -> list[tuple[str, str, str | None]]:
    """(target, rel, type) of each entry of a Link header, targets unquoted."""
    return [(urllib.parse.unquote(m.group(1)), m.group(2), m.group(3))
            for m in re.finditer(r'<([^>]*)>;\s*rel="([^"]+)"(?:;\s*type="([^"]+)")?', header)]


def html_alternates(page: str) -> dict[str, str]:
    """type → href of each <link rel="alternate"> of a page, hrefs unquoted."""
    return {m.group(1): urllib.parse.unquote(m.group(2).replace("&amp;", "&"))
            for m in re.finditer(r'<link rel="alternate" type="([^"]+)" href="([^"]+)">', page)}


def assert_common_headers(r, fmt_mime: str):
    assert r.status_code == 200, (r.status_code, r.text[:200])
    assert r.headers["content-type"].split(";")[0] == fmt_mime
    assert r.headers["vary"] == "Accept"
    assert r.headers["access-control-allow-origin"] == "*"


# ---------------------------------------------------------------------- resources on the server

@pytest.mark.parametrize("accept", list(FORMATS))
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_format_of_every_kind_of_resource_on_the_server(client, resources, turtle_of, kind, accept):
    iri, path = resources[kind], path_of(resources[kind])
    suffix, parser = FORMATS[accept]
    r = client.get(path, headers={"accept": accept})
    assert_common_headers(r, accept)
    assert urllib.parse.unquote(r.headers["content-location"]) == urllib.parse.unquote(path) + "." + suffix
    entries = links(r.headers["link"])
    assert (iri, "canonical", None) in entries
    alternates = {mime: target for target, rel, mime in entries if rel == "alternate"}
    assert set(alternates) == set(FORMATS) - {accept}
    for mime, target in alternates.items():       # every advertised alternate exists, in its type
        assert target == urllib.parse.unquote(path) + "." + FORMATS[mime][0]
        other = client.get(urllib.parse.quote(target))
        assert other.status_code == 200 and other.headers["content-type"].split(";")[0] == mime
    if parser is None:
        page = r.text
        assert html_alternates(page) == {mime: urllib.parse.unquote(path) + "." + s
                                         for mime, (s, p) in RDF_TYPES.items()}
        for name in ("Turtle", "N-Triples", "RDF/XML", "JSON-LD"):
            assert f">{name}</a>" in page                      # the visible "other formats" links
        return
    g = Graph().parse(data=r.text, format=parser)
    assert isomorphic(g, turtle_of[kind]), accept
    by_suffix = client.get(path + "." + suffix)
    assert_common_headers(by_suffix, accept)
    assert isomorphic(Graph().parse(data=by_suffix.text, format=parser), g)


@pytest.mark.parametrize("kind", list(KINDS))
def test_an_unsupported_type_is_406_and_wildcards_and_weights_are_honoured(client, resources, kind):
    path = path_of(resources[kind])
    refused = client.get(path, headers={"accept": "image/png"})
    assert refused.status_code == 406 and refused.headers["vary"] == "Accept"
    assert all(mime in refused.text for mime in FORMATS if mime != "text/html")
    assert client.get(path, headers={"accept": "image/png, */*;q=0.1"}).status_code == 200
    for accept, served in (("text/turtle;q=0.5, application/rdf+xml", "application/rdf+xml"),
                           ("text/turtle;q=0, */*;q=0.1", "text/html"),       # q=0 never chooses
                           ("application/n-triples;q=0.9, text/html;q=0.2", "application/n-triples")):
        r = client.get(path, headers={"accept": accept})
        assert r.status_code == 200 and r.headers["content-type"].startswith(served), accept
    assert client.get(path, headers={"accept": "text/turtle;q=0"}).status_code == 406


def test_an_iri_that_is_only_ever_an_object_is_404(client, store_dir):  # noqa: F811
    rows = select(store_dir, f"SELECT DISTINCT ?o WHERE {{ ?s ?p ?o FILTER(isIRI(?o) && STRSTARTS(STR(?o), \"{BASE}\") "
                             "&& !CONTAINS(STR(?o), \"#\")) FILTER NOT EXISTS { ?o ?q ?r } } ORDER BY ?o LIMIT 1")
    assert rows, "the samples have IRIs that only appear as objects (columns of 三公 tables)"
    path = path_of(rows[0])
    page = client.get(path, headers={"accept": "text/html"})
    assert page.status_code == 404 and "Not found" in page.text
    for accept in RDF_TYPES:
        assert client.get(path, headers={"accept": accept}).status_code == 404, accept
    assert client.get(path + ".ttl").status_code == 404


# ---------------------------------------------------------------------- the static export

@pytest.mark.parametrize("kind", list(KINDS))
def test_every_advertised_file_of_the_static_export_exists_and_carries_the_same_graph(
        exported, resources, turtle_of, kind):
    local = urllib.parse.unquote(path_of(resources[kind])).lstrip("/")
    page = (exported / local / "index.html").read_text(encoding="utf-8")
    advertised = html_alternates(page)
    assert set(advertised) == set(RDF_TYPES)
    ttl = Graph().parse(exported / (local + ".ttl"), format="turtle")
    assert isomorphic(ttl, turtle_of[kind])                         # the same as the server's
    for mime, (suffix, parser) in RDF_TYPES.items():
        target = exported / (local + "." + suffix)
        assert advertised[mime] == "/" + local + "." + suffix and target.is_file(), mime
        assert isomorphic(Graph().parse(target, format=parser), ttl), mime


def test_the_static_catalogue_and_void_are_written_in_every_syntax(exported, client):
    for name, server_path in (("catalog", "/catalog"), (".well-known/void", "/.well-known/void")):
        base = "https://static.example/"          # where the export is served: resolves its relative IRIs
        turtle = Graph().parse(exported / (name + ".ttl"), format="turtle", publicID=base)
        assert len(turtle) > 10
        for suffix, parser in (("rdf", "xml"), ("jsonld", "json-ld")):
            g = Graph().parse(exported / f"{name}.{suffix}", format=parser, publicID=base)
            assert isomorphic(g, turtle), (name, suffix)
        # N-Triples has no relative IRIs: it names the base IRI's, as the server does by default
        nt = Graph().parse(exported / f"{name}.nt", format="nt")
        served = Graph().parse(data=client.get(server_path, headers={"accept": "text/turtle"}).text, format="turtle")
        # the server's catalogue and VoID also name its SPARQL endpoint, which the static site lacks
        from rdflib.namespace import DCTERMS
        service = [o for o in served.objects(None, URIRef("http://rdfs.org/ns/void#sparqlEndpoint"))] + \
            [o for o in served.objects(None, URIRef("http://www.w3.org/ns/dcat#service"))]
        assert service and not [t for t in nt if set(t) & set(service)], name
        for g in (nt, served):
            for t in [t for t in g if set(t) & set(service) or t[0] == URIRef("https://www.w3.org/TR/sparql11-protocol/")
                      or t[1] == DCTERMS.description and str(t[0]).endswith("/catalog")]:
                g.remove(t)
        assert isomorphic(nt, served), (name, sorted(map(str, set(nt) ^ set(served)))[:6])
    assert (exported / ".well-known" / "void").read_text(encoding="utf-8") == \
        (exported / ".well-known" / "void.ttl").read_text(encoding="utf-8")
    assert {"catalog" + s for s in (".ttl", ".nt", ".rdf", ".jsonld")} <= RESERVED


# ---------------------------------------------------------------------- catalogue and VoID on the server

@pytest.mark.parametrize("path", ["/catalog", "/.well-known/void"])
def test_catalogue_and_void_negotiate_every_rdf_syntax_with_headers(configured, path):
    turtle = None
    for accept, (suffix, parser) in RDF_TYPES.items():
        r = configured.get(path, headers={"accept": accept, "host": "attacker.example"})
        assert_common_headers(r, accept)
        assert "attacker.example" not in r.text
        assert r.headers["content-location"] == f"{path}.{suffix}"
        entries = links(r.headers["link"])
        assert ("https://budgets.example.org/kg" + path, "canonical", None) in entries
        assert {(t, m) for t, rel, m in entries if rel == "alternate"} == \
            {(f"{path}.{s}", mime) for mime, (s, _) in RDF_TYPES.items() if mime != accept}
        g = Graph().parse(data=r.text, format=parser)
        turtle = turtle if turtle is not None else g
        assert len(g) > 10 and isomorphic(g, turtle), accept
        by_suffix = configured.get(f"{path}.{suffix}")
        assert_common_headers(by_suffix, accept)
        assert isomorphic(Graph().parse(data=by_suffix.text, format=parser), turtle)
    for refused in ("image/png", "text/html", "application/sparql-results+json"):
        r = configured.get(path, headers={"accept": refused})
        assert r.status_code == 406 and "text/turtle" in r.text and r.headers["vary"] == "Accept", refused
    for accept in ("*/*", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ""):   # a browser
        assert configured.get(path, headers={"accept": accept}).headers["content-type"].startswith("text/turtle")
    assert configured.get(path + ".png").status_code == 404


# ---------------------------------------------------------------------- the SPARQL endpoint

def service_of(text: str, parser: str) -> tuple[Graph, URIRef]:
    g = Graph().parse(data=text, format=parser)
    services = list(g.subjects(RDF.type, SD.Service))
    assert len(services) == 1
    return g, services[0]


def test_sparql_without_a_query_describes_the_service_at_the_configured_url(configured, store_dir):  # noqa: F811
    first = None
    for accept, (_, parser) in RDF_TYPES.items():
        r = configured.get("/sparql", headers={"accept": accept, "host": "attacker.example"})
        assert_common_headers(r, accept)
        assert "attacker.example" not in r.text
        g, service = service_of(r.text, parser)
        first = first if first is not None else g
        assert isomorphic(g, first), accept
    g, service = service_of(configured.get("/sparql", headers={"accept": "text/turtle"}).text, "turtle")
    assert set(g.objects(service, SD.endpoint)) == {URIRef("https://budgets.example.org/kg/sparql")}
    assert set(g.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}
    formats = "http://www.w3.org/ns/formats/"
    assert set(g.objects(service, SD.resultFormat)) == {URIRef(formats + f) for f in (
        "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "N-Triples")}
    assert set(g.objects(service, SD.feature)) == {SD.UnionDefaultGraph}      # the store is queried so
    dataset = g.value(service, SD.defaultDataset)
    assert g.value(dataset, SD.defaultGraph) is not None
    names = {str(g.value(n, SD.name)) for n in g.objects(dataset, SD.namedGraph)}
    disclosures = set(select(store_dir, "SELECT ?d WHERE { ?d a bkg:Disclosure }"))
    assert len(disclosures) == 3 and disclosures <= names
    page = configured.get("/sparql", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.headers["content-type"].startswith("text/html") and "canned" in page.text


def test_the_service_description_makes_no_union_claim_for_a_server_behind():
    app = build_app(None, f"http://127.0.0.1:{_free_port()}/query", BASE)
    g, service = service_of(TestClient(app).get("/sparql", headers={"accept": "text/turtle"}).text, "turtle")
    assert set(g.objects(service, SD.endpoint)) == {URIRef(BASE + "sparql")}
    assert g.value(service, SD.defaultDataset) is None and g.value(service, SD.feature) is None


def test_sparql_results_carry_cors_and_options_is_a_preflight(client):
    for r in (client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}),
              client.post("/sparql", data={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"},
                          headers={"accept": "application/sparql-results+json", "origin": "https://x.example"})):
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    preflight = client.options("/sparql", headers={"origin": "https://x.example",
                                                   "access-control-request-method": "POST",
                                                   "access-control-request-headers": "content-type, accept"})
    assert preflight.status_code in (200, 204)
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert {m.strip() for m in preflight.headers["access-control-allow-methods"].split(",")} >= {"GET", "POST"}
    assert {h.strip().lower() for h in preflight.headers["access-control-allow-headers"].split(",")} >= \
        {"content-type", "accept"}
