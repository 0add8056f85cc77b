"""Records → RDF: one named graph per disclosure. Emission never parses text."""

from __future__ import annotations

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, ORG, PROV, RDF, SKOS, XSD

from budgetkg.extract.codes import code_iri, code_names, scheme_iri
from budgetkg.extract.emit.explanation import emit_explanation
from budgetkg.extract.emit.narrative import ProjectEmitter, _int, emit_performance
from budgetkg.extract.columns import (BODIES, FUND, EXPENDITURE, column_facets, column_iri, kind_iri, slice_key_iri,
                                      structure_iri)
from budgetkg.extract.identity import Minter
from budgetkg.extract.records import Disclosure, Row, Table
from budgetkg.extract.template import FAMILY_BASE, identities_for, kind as table_kind, kinds
from budgetkg.vocab import BKG, PHASE, QB, SDMX_ATTRIBUTE, STATUS

PREFIXES = {"bkg": str(BKG), "eli": "http://data.europa.eu/eli/ontology#", "qb": str(QB), "skos": str(SKOS), "org": str(ORG), "prov": str(PROV),
            "dcat": str(DCAT), "dcterms": str(DCTERMS), "xsd": str(XSD),
            "sdmx-attribute": str(SDMX_ATTRIBUTE)}


class Triples:
    """The part of an rdflib ``Graph`` the emitter uses (``add``, ``triples`` with a bound
    predicate, ``identifier``), as an insertion-ordered set that writes N-Triples.

    A build needs only the N-Triples of each document; an rdflib ``Graph`` indexes every
    triple three ways on ``add`` and walks its index to serialize, which cost about as much
    as reading the disclosure itself.
    """

    def __init__(self, identifier: URIRef):
        self.identifier = identifier
        self._triples: dict[tuple, None] = {}

    def add(self, triple: tuple) -> None:
        self._triples[triple] = None

    def triples(self, pattern: tuple):
        subject, predicate, obj = pattern
        if subject is not None or obj is not None or predicate is None:
            raise NotImplementedError("Triples looks triples up by predicate only")
        return (t for t in self._triples if t[1] == predicate)

    def __len__(self) -> int:
        return len(self._triples)

    def ntriples(self) -> str:
        """The triples as N-Triples, written as rdflib's ``nt`` serializer writes them."""
        return "".join(f"{s.n3()} {p.n3()} {_nt_object(o)} .\n" for s, p, o in self._triples)


def _nt_object(o) -> str:
    if not isinstance(o, Literal):
        return o.n3()
    quoted = '"%s"' % str(o).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
    if o.language:
        return f"{quoted}@{o.language}"
    return f"{quoted}^^<{o.datatype}>" if o.datatype else quoted


class Emitter:
    def __init__(self, disclosure: Disclosure, minter: Minter, sink: type = Graph):
        self.d = disclosure
        self.m = minter
        self.doc = URIRef(minter.disclosure(disclosure.department, disclosure.year, disclosure.phase,
                                            disclosure.scope))
        self.dept = URIRef(minter.org(disclosure.department))
        self.g = sink(identifier=self.doc)
        self._codes_seen: set[str] = set()

    def add(self, s, p, o) -> None:
        if o is not None:
            self.g.add((s, p, o))

    def emit(self):
        d, g, doc, dept = self.d, self.g, self.doc, self.dept
        self.add(doc, RDF.type, BKG.Disclosure)
        self.add(doc, RDF.type, DCAT.Dataset)
        what = {("budget", "department"): "部门预算", ("budget", "unit"): "单位预算",
                ("final", "department"): "部门决算", ("final", "unit"): "单位决算"}[(d.phase, d.scope)]
        self.add(doc, DCTERMS.title, Literal(f"{d.department}{d.year}年{what}公开", lang="zh"))
        self.add(doc, BKG.department, dept)
        self.add(doc, BKG.fiscalYear, Literal(str(d.year), datatype=XSD.gYear))
        self.add(doc, BKG.phase, Literal(d.phase))
        self.add(doc, BKG.scope, Literal(d.scope))
        self.add(doc, BKG.template, URIRef(FAMILY_BASE + d.template))
        if d.date_signed:
            self.add(doc, BKG.dateSigned, Literal(d.date_signed.isoformat(), datatype=XSD.date))
        source = URIRef(f"{doc}/source")
        self.add(doc, BKG.sourceFile, source)
        self.add(source, RDF.type, BKG.SourceFile)
        self.add(source, BKG.fileName, Literal(d.path.replace("\\", "/").rsplit("/", 1)[-1]))
        self.add(source, BKG.sha256, Literal(d.sha256))
        self.add(source, BKG.rendering, Literal(d.rendering))

        self.add(dept, RDF.type, BKG.Department)
        self.add(dept, RDF.type, ORG.FormalOrganization)
        self.add(dept, SKOS.prefLabel, Literal(d.department, lang="zh"))
        self.add(BODIES, QB.hierarchyRoot, dept)       # the code list of the department dimension
        for alt in d.department_names:
            self.add(dept, SKOS.altLabel, Literal(alt, lang="zh"))
        self.add(dept, PROV.wasDerivedFrom, doc)
        self._overview()
        for table in d.tables.values():
            self._table(table)
        projects = ProjectEmitter(self)
        projects.emit()
        emit_performance(self, projects)
        projects.emit_carryover()
        emit_explanation(self)
        if d.layout:
            self._pages()
        return g

    def _pages(self) -> None:
        """PDF provenance: the page of everything with a source line (amounts' cell boxes are added in _row)."""
        layout = self.d.layout
        for node, _, line in list(self.g.triples((None, BKG.sourceLine, None))):
            ln = layout.get(int(line))
            if ln is not None:
                self.add(node, BKG.sourcePage, _int(ln.page))

    def _overview(self) -> None:
        ov, doc, dept = self.d.overview, self.doc, self.dept
        if ov.functions_text:
            self.add(doc, BKG.functionsText, Literal(ov.functions_text, lang="zh"))
        self.add(doc, BKG.divisionCount, _int(ov.division_count))
        for i, name in enumerate(ov.divisions, start=1):
            div = URIRef(self.m.division(self.d.department, name))
            self.add(div, RDF.type, BKG.Division)
            self.add(div, SKOS.prefLabel, Literal(name, lang="zh"))
            self.add(div, ORG.unitOf, dept)
            self.add(div, BKG.listPosition, _int(i))
            self.add(div, PROV.wasDerivedFrom, doc)
            self.add(dept, ORG.hasUnit, div)
        for unit in ov.units:
            iri = URIRef(self.m.unit(self.d.department, unit.name))
            self.add(iri, RDF.type, BKG.BudgetUnit)
            self.add(iri, SKOS.prefLabel, Literal(unit.name, lang="zh"))
            if unit.printed != unit.name:
                self.add(iri, SKOS.altLabel, Literal(unit.printed, lang="zh"))
            self.add(iri, BKG.isHeadUnit, Literal(unit.is_head))
            self.add(iri, BKG.listPosition, _int(unit.position))
            self.add(iri, ORG.subOrganizationOf, dept)
            self.add(iri, PROV.wasDerivedFrom, doc)
            self.add(dept, ORG.hasSubOrganization, iri)
            if unit.merged:
                self.add(doc, BKG.mergedUnit, iri)
        if ov.staffing:
            s = ov.staffing
            node = URIRef(f"{doc}/staffing")
            self.add(doc, BKG.staffing, node)
            self.add(node, RDF.type, BKG.Staffing)
            self.add(node, PROV.wasDerivedFrom, doc)
            for prop, value in ((BKG.authorizedPositions, s.authorized), (BKG.actualHeadcount, s.actual),
                                (BKG.activeStaff, s.active), (BKG.activeStaffChange, s.active_change),
                                (BKG.retiredStaff, s.retired), (BKG.retiredStaffChange, s.retired_change),
                                (BKG.retiredVeterans, s.retired_veterans),
                                (BKG.retiredVeteransChange, s.retired_veterans_change)):
                self.add(node, prop, _int(value))

    def _code(self, kind: str, code: str, printed: str | None) -> URIRef:
        iri = URIRef(code_iri(kind, self.d.year, code))
        listed = code_names(kind, self.d.year)
        if code not in listed and code not in self._codes_seen:
            # Not in the year's standard list (or no list for the year): emitted, labelled from the document.
            self.add(iri, RDF.type, BKG.FunctionCode if kind == "function" else BKG.EconomicCode)
            self.add(iri, RDF.type, SKOS.Concept)
            self.add(iri, SKOS.notation, Literal(code))
            scheme = URIRef(scheme_iri(kind, self.d.year))
            self.add(iri, SKOS.inScheme, scheme)
            if not listed:                  # no list bundled for the year: the scheme is declared here
                what = ("功能分类", "function") if kind == "function" else ("经济分类", "economic")
                self.add(scheme, RDF.type, SKOS.ConceptScheme)
                self.add(scheme, DCTERMS.title, Literal(f"{self.d.year}年政府收支分类科目（{what[0]}）", lang="zh"))
                self.add(scheme, DCTERMS.title, Literal(f"{self.d.year} government classification: {what[1]} "
                                                        "classification", lang="en"))
            if printed:
                self.add(iri, SKOS.prefLabel, Literal(printed, lang="zh"))
            if listed:                      # with no list bundled for the year, absence says nothing
                self.add(iri, BKG.inStandardList, Literal(False))
                # The bundled lists hold every 类 (of the departmental economic classes, 3xx), so a
                # class missing from them does not exist; 5xx (政府预算经济分类) is not listed.
                if code[:3] not in listed and (kind == "function" or code.startswith("3")):
                    self.add(iri, BKG.validClass, Literal(False))
            if len(code) > 3:
                self.add(iri, SKOS.broader, URIRef(code_iri(kind, self.d.year, code[:-2])))
        self._codes_seen.add(code)
        return iri

    def _table(self, table: Table) -> None:
        doc = self.doc
        node = URIRef(f"{doc}/table/{table.kind}")
        self.add(doc, BKG.table, node)
        self.add(node, RDF.type, BKG.BudgetTable)
        self.add(node, RDF.type, QB.DataSet)
        self.add(node, QB.structure, structure_iri(table.kind))
        self.add(node, BKG.budgetPhase, PHASE[self.d.phase])
        self.add(node, QB.measureType, BKG.amount)       # every cell's one measure
        self.add(node, SDMX_ATTRIBUTE.unitMeasure, BKG.TenThousandYuan)     # every amount is converted to 万元
        self.add(node, SDMX_ATTRIBUTE.unitMult, Literal(4))                  # 10⁴ yuan
        if table.kind in kinds():
            self.add(node, BKG.tableKind, kind_iri(table.kind))
        self.add(node, BKG.tableNumber, _int(table.number))
        self.add(node, DCTERMS.title, Literal(table.title, lang="zh"))
        self.add(node, BKG.tableStatus, STATUS[table.status])
        self.add(node, BKG.printedUnit, Literal(table.unit))
        self.add(node, DCTERMS.isPartOf, doc)
        self.add(node, BKG.sourceLine, _int(table.line))
        if table.note:
            self.add(node, BKG.emptyNote, Literal(table.note, lang="zh"))
        if table.raw_text:
            self.add(node, BKG.rawText, Literal(table.raw_text))
        # each column the table fills is a qb:Slice of it (the structure's slice key by column)
        for key in dict.fromkeys(key for row in table.rows for key in row.cells):
            column = URIRef(f"{node}/column/{key}")
            self.add(node, QB.slice, column)
            self.add(column, RDF.type, QB.Slice)
            self.add(column, QB.sliceStructure, slice_key_iri(table.kind))
            self.add(column, BKG.column, column_iri(table.kind, key))
        for row in table.rows:
            self._row(table, node, row, self._code_kind(table, row))
        identities = identities_for(table_kind(table.kind), table.columns) if table.kind in kinds() else []
        for i, (total, parts) in enumerate(identities, start=1):
            identity = URIRef(f"{node}/identity/{i}")
            self.add(node, BKG.identity, identity)
            self.add(identity, RDF.type, BKG.Identity)
            self.add(identity, BKG.identityTotal, column_iri(table.kind, total))
            for part in parts:
                self.add(identity, BKG.identityPart, column_iri(table.kind, part))

    @staticmethod
    def _code_kind(table: Table, row: Row) -> str | None:
        """Function or economic: the kind's, unless the code says otherwise (3xx and 5xx are economic)."""
        kind = table_kind(table.kind).code if table.kind in kinds() else None
        if row.code and kind is not None:
            return "economic" if row.code[0] in "35" else "function"
        return kind

    def _row(self, table: Table, table_node: URIRef, row: Row, kind: str | None) -> None:
        r = URIRef(f"{table_node}/row/{row.index}")
        self.add(r, RDF.type, BKG.TableRow)
        self.add(r, BKG.inTable, table_node)
        self.add(r, BKG.rowIndex, _int(row.index))
        self.add(r, BKG.sourceLine, _int(row.line))
        if row.label:
            self.add(r, BKG.rowLabel, Literal(row.label, lang="zh"))
        self.add(r, BKG.rowLevel, Literal(row.level))
        if row.item:
            self.add(r, BKG.rowItem, Literal(row.item))
        self.add(r, BKG.isAggregate, Literal(row.is_aggregate))
        if row.side:
            self.add(r, BKG.side, Literal(row.side))
        code_node = None
        if row.code and kind:
            code_node = self._code(kind, row.code, row.label)
            self.add(r, BKG.functionCode if kind == "function" else BKG.economicCode, code_node)
        if row.project:
            self.add(r, BKG.projectName, Literal(row.project, lang="zh"))
        if row.unit:
            unit = URIRef(self.m.unit(self.d.department, row.unit))
            self.add(r, BKG.executingUnit, unit)
            if row.unit not in {u.name for u in self.d.overview.units}:
                # A unit table 7 names but part one does not list.
                self.add(unit, RDF.type, BKG.BudgetUnit)
                self.add(unit, SKOS.prefLabel, Literal(row.unit, lang="zh"))
                self.add(unit, ORG.subOrganizationOf, self.dept)
        if row.unplaced:
            self.add(r, BKG.unplacedValues, Literal(row.unplaced))
        for key, value in row.cells.items():
            obs = URIRef(f"{r}/{key}")
            self.add(obs, RDF.type, BKG.BudgetObservation)
            self.add(obs, RDF.type, QB.Observation)
            self.add(obs, QB.dataSet, table_node)
            self.add(URIRef(f"{table_node}/column/{key}"), QB.observation, obs)
            self.add(obs, BKG.sourceRow, r)
            self.add(obs, BKG.column, column_iri(table.kind, key))
            self.add(obs, BKG.amount, Literal(value, datatype=XSD.decimal))
            printed = table.printed.get((row.index, key))
            if printed is not None:
                self.add(obs, BKG.printedAmount, Literal(printed))
            self.add(obs, BKG.department, self.dept)
            self.add(obs, BKG.fiscalYear, Literal(str(self.d.year), datatype=XSD.gYear))
            if code_node is not None:
                self.add(obs, BKG.classificationCode, code_node)
            fund, expenditure = column_facets(table.kind, key, row.side)
            if fund:
                self.add(obs, BKG.fundSource, FUND[fund])
            if expenditure:
                self.add(obs, BKG.expenditureType, EXPENDITURE[expenditure])
            box = row.boxes.get(key)
            if box is not None:
                self.add(obs, BKG.boundingBox, Literal(" ".join(f"{v:.1f}" for v in box)))


def to_graph(disclosure: Disclosure, base: str | None = None) -> Graph:
    """The disclosure's graph, with the project's prefixes (bkg:, eli:, qb:, …) bound for Turtle."""
    graph = Emitter(disclosure, Minter(base) if base else Minter()).emit()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph


def to_ntriples(disclosure: Disclosure, base: str | None = None) -> tuple[str, str]:
    """The disclosure's graph IRI and its triples as N-Triples: what :func:`to_graph` gives,
    without building an rdflib graph."""
    triples = Emitter(disclosure, Minter(base) if base else Minter(), sink=Triples).emit()
    return str(triples.identifier), triples.ntriples()


def to_dataset(graphs: list[Graph]) -> Dataset:
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    for g in graphs:
        named = ds.graph(g.identifier)
        for triple in g:
            named.add(triple)
    return ds
