"""What the site says of its data: the DCAT catalogue (``/catalog``) and the VoID description
(``/.well-known/void``).

:class:`Catalogue` is a part of :class:`budgetkg.web.site.Site`: it reads through the site's
``select`` and ``disclosures``, and names dumps by its ``dump_path``.
"""

from __future__ import annotations

from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD

TITLES = {"zh": "部门预算公开知识图谱", "en": "Department budget disclosures knowledge graph"}
IANA = "http://www.iana.org/assignments/media-types/"
DUMP_FORMATS = (("nq", "application/n-quads", "N-Quads"), ("trig", "application/trig", "TriG"))


class Catalogue:
    """The DCAT catalogue and VoID of a :class:`~budgetkg.web.site.Site`."""

    # Who publishes the catalogue, the endpoint and the dumps, and under which licence: the
    # defaults of Site.catalog and Site.void, which a deployment overrides.
    CATALOG_PUBLISHER = "budgetkg"
    CATALOG_LICENCE = "https://creativecommons.org/licenses/by/4.0/"

    def catalog(self, site_url: str, publisher: str = CATALOG_PUBLISHER, licence: str = CATALOG_LICENCE,
                endpoint: bool = True) -> Graph:
        """DCAT, conforming to DCAT-AP 3.0 (checked by tests/test_dcat_ap.py with SEMIC's shapes):
        one dataset per disclosure with its two dumps, and the endpoint as a data service.
        *publisher* is the name of the agent (``<site_url>/catalog#publisher``) that publishes the
        catalogue, the endpoint and the dumps; *licence* the IRI of the licence they are under.
        Dates are only those the store records: a disclosure's signing date (bkg:dateSigned) is its
        dcterms:issued, the time its graph was loaded (prov:generatedAtTime) the dcterms:modified
        of the dataset and its dumps, the latest of them the catalogue's. Without *endpoint* (the
        static export, which has none) there is no data service."""
        g = Graph()
        g.bind("dcat", str(DCAT))
        g.bind("dcterms", str(DCTERMS))
        g.bind("foaf", str(FOAF))
        cat = URIRef(site_url + "/catalog")
        service = URIRef(site_url + "/sparql") if endpoint else None
        agent = URIRef(site_url + "/catalog#publisher")
        lic = URIRef(licence)
        _describe_catalogue(g, cat, site_url, agent, publisher, lic, endpoint)
        if service is not None:
            _describe_service(g, cat, service, agent, lic)
        facts = self._catalog_facts()
        latest = None
        for d in self.disclosures():
            loaded = self._describe_dataset(g, cat, service, d, facts.get(d["doc"], {}), site_url, lic)
            if loaded is not None and (latest is None or loaded.toPython() > latest.toPython()):
                latest = loaded
        if latest is not None:
            g.add((cat, DCTERMS.modified, latest))
        return g

    def _describe_dataset(self, g: Graph, cat: URIRef, service: URIRef | None, d: dict, fact: dict,
                          site_url: str, lic: URIRef) -> Literal | None:
        """Add disclosure *d*'s dataset and its dumps to *g*; return when it was loaded, if known."""
        ds = URIRef(d["doc"])
        g.add((cat, DCAT.dataset, ds))
        if service is not None:
            g.add((service, DCAT.servesDataset, ds))
        g.add((ds, RDF.type, DCAT.Dataset))
        for lang, text in self._dataset_texts(d, fact).items():
            g.add((ds, DCTERMS.title, Literal(text[0], lang=lang)))
            g.add((ds, DCTERMS.description, Literal(text[1], lang=lang)))
        if fact.get("signed"):
            g.add((ds, DCTERMS.issued, Literal(fact["signed"], datatype=XSD.date)))
        loaded = Literal(fact["loaded"], datatype=XSD.dateTime) if fact.get("loaded") else None
        if loaded is not None:
            g.add((ds, DCTERMS.modified, loaded))
        for ext, media, name in DUMP_FORMATS:
            dist = URIRef(site_url + self.dump_path(d["doc"], ext))
            mediatype = URIRef(IANA + media)
            g.add((ds, DCAT.distribution, dist))
            g.add((dist, RDF.type, DCAT.Distribution))
            g.add((dist, DCTERMS.title, Literal(f"{name} 下载", lang="zh")))
            g.add((dist, DCTERMS.title, Literal(f"{name} download", lang="en")))
            g.add((dist, DCAT.accessURL, dist))
            g.add((dist, DCAT.downloadURL, dist))
            g.add((dist, DCAT.mediaType, mediatype))
            g.add((mediatype, RDF.type, DCTERMS.MediaType))
            g.add((dist, DCTERMS.license, lic))
            if loaded is not None:
                g.add((dist, DCTERMS.modified, loaded))
        return loaded

    def _catalog_facts(self) -> dict[str, dict]:
        """Per disclosure IRI, what the catalogue says of it beyond :meth:`disclosures`: its
        department's name, phase (budget or final), signing date and when its graph was loaded."""
        rows = self.select("catalog-facts")
        facts: dict[str, dict] = {}
        for r in sorted(rows, key=lambda r: 0 if getattr(r.get("name"), "language", None) == "zh" else 1):
            fact = facts.setdefault(r["doc"].value, {})
            for key in ("name", "phase", "signed", "loaded"):
                if r.get(key) is not None:
                    fact.setdefault(key, r[key].value)
        return facts

    @staticmethod
    def _dataset_texts(d: dict, fact: dict) -> dict[str, tuple[str, str]]:
        """The title and description of a disclosure's dataset in zh and en, from its title (a
        row of :meth:`disclosures`), department, year and phase, as far as the store has them."""
        name = fact.get("name") or ""
        year = d.get("year") or ""
        phase_zh, phase_en = {"budget": ("预算", "budget"), "final": ("决算", "final-account")}.get(
            fact.get("phase") or "", ("", ""))
        zh = f"{name}{year + '年' if year else ''}部门{phase_zh}公开"
        en = " ".join(w for w in (year, "department", phase_en, "disclosure") if w) + (f" of {name}" if name else "")
        return {"zh": (d.get("title") or zh, f"从{zh}文件中抽取的结构化数据（RDF）。"),
                "en": (en[0].upper() + en[1:], f"Structured data (RDF) extracted from the {en}.")}

    def void(self, site_url: str, licence: str = CATALOG_LICENCE, endpoint: bool = True) -> Graph:
        """VoID in VoID, DCAT and Dublin Core terms alone: the whole store and one subset per named
        graph, each named by its graph IRI (dcterms:identifier) and, for a disclosure, linked to
        its DCAT dataset in the catalogue (the disclosure IRI, dcterms:source). *licence*: the IRI
        of the licence of the whole (dcterms:license), as in the catalogue."""
        from budgetkg.extract.emit import PREFIXES
        g = Graph()
        g.bind("void", str(VOID))
        g.bind("dcterms", str(DCTERMS))
        ds = URIRef(site_url + "/.well-known/void#dataset")
        g.add((ds, RDF.type, VOID.Dataset))
        g.add((ds, DCTERMS.title, Literal(TITLES["zh"], lang="zh")))
        g.add((ds, DCTERMS.title, Literal(TITLES["en"], lang="en")))
        g.add((ds, DCTERMS.license, URIRef(licence)))
        g.add((URIRef(licence), RDF.type, DCTERMS.LicenseDocument))
        g.add((ds, DCTERMS.isReferencedBy, URIRef(site_url + "/catalog")))
        if endpoint:                   # the static export has none
            g.add((ds, VOID.sparqlEndpoint, URIRef(site_url + "/sparql")))
        g.add((ds, VOID.dataDump, URIRef(site_url + "/dumps/all.nq")))
        g.add((ds, VOID.uriSpace, Literal(self.base)))
        for prefix in ("bkg", "qb", "skos", "org", "prov", "dcterms", "eli", "dcat"):
            g.add((ds, VOID.vocabulary, URIRef(PREFIXES[prefix])))
        total = 0
        for name, count in self.graph_counts():
            total += count
            sub = URIRef(site_url + "/.well-known/void#" + quote(name, safe=""))
            g.add((ds, VOID.subset, sub))
            g.add((sub, RDF.type, VOID.Dataset))
            g.add((sub, DCTERMS.identifier, Literal(name)))
            g.add((sub, VOID.triples, Literal(count)))
            if "/disclosure/" in name:
                g.add((sub, DCTERMS.source, URIRef(name)))          # its dcat:Dataset in /catalog
                g.add((sub, VOID.dataDump, URIRef(site_url + self.dump_path(name, "nq"))))
        g.add((ds, VOID.triples, Literal(total)))
        return g

    def graph_counts(self) -> list[tuple[str, int]]:
        """(IRI, triples) of every named graph, by IRI."""
        return [(r["g"].value, int(r["n"].value)) for r in self.select("graph-counts")]


def _describe_catalogue(g: Graph, cat: URIRef, site_url: str, agent: URIRef, publisher: str, lic: URIRef,
                        endpoint: bool) -> None:
    """The catalogue itself: its titles, descriptions, publisher, licence and home page."""
    g.add((cat, RDF.type, DCAT.Catalog))
    g.add((cat, DCTERMS.title, Literal(TITLES["zh"], lang="zh")))
    g.add((cat, DCTERMS.title, Literal(TITLES["en"], lang="en")))
    g.add((cat, DCTERMS.description, Literal(
        "从部门预算、决算公开文件中抽取的数据：每份公开文件一个数据集，附 N-Quads 与 TriG 下载"
        + ("，并提供 SPARQL 查询端点。" if endpoint else "。"), lang="zh")))
    g.add((cat, DCTERMS.description, Literal(
        "Data extracted from Chinese department budget and final-account disclosures: one dataset per "
        "disclosure, each downloadable as N-Quads and TriG" + (", and a SPARQL query endpoint." if endpoint else "."),
        lang="en")))
    g.add((cat, DCTERMS.publisher, agent))
    g.add((cat, DCTERMS.license, lic))
    g.add((cat, FOAF.homepage, URIRef(site_url + "/")))
    g.add((URIRef(site_url + "/"), RDF.type, FOAF.Document))
    g.add((agent, RDF.type, FOAF.Agent))
    g.add((agent, FOAF.name, Literal(publisher)))
    g.add((lic, RDF.type, DCTERMS.LicenseDocument))


def _describe_service(g: Graph, cat: URIRef, service: URIRef, agent: URIRef, lic: URIRef) -> None:
    """The SPARQL endpoint as the catalogue's data service."""
    g.add((cat, DCAT.service, service))
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCTERMS.title, Literal("部门预算公开知识图谱 SPARQL 查询", lang="zh")))
    g.add((service, DCTERMS.title, Literal("Department budget disclosures knowledge graph SPARQL query",
                                           lang="en")))
    g.add((service, DCTERMS.description, Literal("只读的 SPARQL 1.1 查询端点，覆盖目录中的全部数据集。", lang="zh")))
    g.add((service, DCTERMS.description, Literal(
        "A read-only SPARQL 1.1 query endpoint over every dataset of the catalogue.", lang="en")))
    g.add((service, DCAT.endpointURL, service))
    g.add((service, DCAT.endpointDescription, service))      # GET without a query: its service description
    protocol = URIRef("https://www.w3.org/TR/sparql11-protocol/")
    g.add((service, DCTERMS.conformsTo, protocol))
    g.add((protocol, RDF.type, DCTERMS.Standard))
    g.add((service, DCTERMS.publisher, agent))
    g.add((service, DCTERMS.license, lic))
