"""The PDF reader: the same facts as the text path, exact cell geometry, and hostile PDFs.

The PDFs under fixtures/pdf are the three sample disclosures rendered by
fixtures/pdf/generate.py (committed with its output); fixtures/pdf/hostile holds
the broken ones.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from pdfplumber.utils.text import dedupe_chars

from budgetkg.build import build
from budgetkg.extract.emit import to_graph
from budgetkg.errors import UnreadablePdf
from budgetkg.extract.pdf import read_pdf
from budgetkg.extract.pdf.chars import dedupe, join_cjk
from budgetkg.extract.pdf.grid import TABLE_SETTINGS, build_grid
from budgetkg.extract.pdf.layout import columns, header_rows, paths
from budgetkg.extract.pipeline import extract_file
from budgetkg.store.query import canned_queries, run
from budgetkg.extract.template import kind
from budgetkg.store.embedded import EmbeddedStore
from browser import debian_files
from conftest import FIXTURES, SAMPLES, build_ntriples_of, store_of

PDFS = FIXTURES / "pdf"
HOSTILE = PDFS / "hostile"
BKG = "https://w3id.org/budgetkg/ontology#"
# Provenance differs by nature between a text file and a PDF: lines, pages, boxes, the file itself.
PROVENANCE = {"sourceLine", "sourcePage", "boundingBox", "rendering", "sha256", "fileName",
              "tripleCount", "generatedAtTime", "amountLine", "occurrenceLines"}   # (line numbers differ by rendering)          # the last two: when and how much was loaded
# The samples printed as PDFs (tests/fixtures/pdf/generate.py): the tab-separated ones.
PDF_SAMPLES = sorted(p.stem for p in PDFS.glob("*.pdf"))
_cache: dict = {}


def graph_of(path: Path):
    if path not in _cache:
        _cache[path] = to_graph(extract_file(path))
    return _cache[path]


def _facts(graph) -> set[tuple[str, str, str]]:
    """The graph's triples without provenance; literals compared without layout whitespace and
    without the line number a row kept as text carries ("line 3965: …")."""
    out = set()
    for s, p, o in graph:
        local = re.split(r"[#/]", str(p))[-1]
        if local in PROVENANCE:
            continue
        out.add((str(s), local, re.sub(r"\s+", "", re.sub(r"^line \d+: ", "", str(o)))))
    return out


def test_the_pdf_fixtures_are_the_tab_separated_samples():
    assert PDF_SAMPLES == ["kashgar-city-government-office-2024", "xinjiang-government-office-2024"]


@pytest.mark.parametrize("name", PDF_SAMPLES)
def test_a_pdf_gives_the_same_facts_as_its_text_rendering(name):
    text = _facts(graph_of(SAMPLES / f"{name}.txt"))
    pdf = _facts(graph_of(PDFS / f"{name}.pdf"))
    assert len(text) > 3000
    missing = sorted(text - pdf)
    assert not missing, missing[:20]
    assert not pdf - text, sorted(pdf - text)[:20]


EXAMPLE = {"number": "新财预〔2014〕82号", "resource": "https://w3id.org/budgetkg/id/disclosure/新疆维吾尔自治区财政厅/2024"}


@pytest.mark.parametrize("name", PDF_SAMPLES)
def test_every_canned_query_returns_the_same_rows_for_the_pdf(name):
    text_store = store_of(graph_of(SAMPLES / f"{name}.txt"))
    pdf_store = store_of(graph_of(PDFS / f"{name}.pdf"))
    queries = canned_queries()
    compared = 0
    for qname, q in sorted(queries.items()):
        given = {p.name: EXAMPLE[p.name] for p in q.params if p.default is None}
        a, b = run(text_store, q, given), run(pdf_store, q, given)
        if not hasattr(a, "columns"):                 # CONSTRUCT / DESCRIBE
            rows_a = {_norm(t) for t in a.triples if not _is_provenance(t)}
            rows_b = {_norm(t) for t in b.triples if not _is_provenance(t)}
        else:
            rows_a = sorted((tuple(_norm_term(v) for v in row) for row in a.rows), key=repr)
            rows_b = sorted((tuple(_norm_term(v) for v in row) for row in b.rows), key=repr)
        assert rows_a == rows_b, qname
        compared += bool(rows_a)
    assert compared >= 15


def _norm_term(term):
    return None if term is None else re.sub(r"\s+", "", getattr(term, "value", str(term)))


def _norm(triple):
    return tuple(_norm_term(t) for t in (triple.subject, triple.predicate, triple.object))


def _is_provenance(triple) -> bool:
    return re.split(r"[#/]", triple.predicate.value)[-1] in PROVENANCE


def test_every_amount_records_its_page_and_the_box_of_its_cell():
    path = PDFS / "xinjiang-government-office-2024.pdf"
    g = graph_of(path)
    cells = set(g.subjects(_rdf("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), _bkg("BudgetObservation")))
    amounts = [(s, o) for s, o in g.subject_objects(predicate=_bkg("amount")) if s in cells]
    assert len(amounts) > 400
    boxes = {s: str(o) for s, o in g.subject_objects(predicate=_bkg("boundingBox"))}
    assert set(boxes) == {s for s, _ in amounts}
    # The box of 表2's total in column 总计 holds exactly the printed amount, on the row's page.
    obs = next(s for s, o in amounts if str(s).endswith("/table/revenue/row/1/total"))
    row = next(g.objects(obs, _bkg("sourceRow")))
    page = int(next(g.objects(row, _bkg("sourcePage"))))
    x0, top, x1, bottom = map(float, boxes[obs].split())
    with pdfplumber.open(path) as pdf:
        printed = pdf.pages[page - 1].crop((x0, top, x1, bottom)).extract_text()
    assert printed.strip() == "15,372.08" and page == 5


def _bkg(local: str):
    from rdflib import URIRef
    return URIRef(BKG + local)


def test_a_table_continued_on_the_next_page_is_one_table_without_its_repeated_header():
    g = graph_of(PDFS / "xinjiang-government-office-2024.pdf")
    t7 = "https://w3id.org/budgetkg/id/disclosure/新疆维吾尔自治区人民政府办公厅/2024/table/general-budget-projects"
    rows = [s for s in g.subjects(_bkg("inTable"), _rdf(t7))]
    pages = {int(next(g.objects(r, _bkg("sourcePage")))) for r in rows}
    labels = {str(o) for r in rows for o in g.objects(r, _bkg("rowLabel"))}
    assert pages == {13, 14, 15} and len(rows) == 30      # two page breaks, where the text's header repeats
    assert not labels & {"类", "款", "项", "科目编码", "功能分类科目名称"}


def _rdf(iri):
    from rdflib import URIRef
    return URIRef(iri)


def _page_with(path: Path, *words: str) -> int:
    """The first page that prints all *words*."""
    with pdfplumber.open(path) as pdf:
        return next(n for n, page in enumerate(pdf.pages, start=1)
                    if all(w in re.sub(r"\s+", "", page.extract_text() or "") for w in words))


def _grid(path: Path, page: int, index: int = 0):
    with pdfplumber.open(path) as pdf:
        p = pdf.pages[page - 1]
        chars, _ = dedupe(p.chars)
        return build_grid(p.find_tables(TABLE_SETTINGS)[index], chars, page)


def test_merged_headers_read_as_paths_and_name_their_columns():
    grid = _grid(PDFS / "xinjiang-government-office-2024.pdf", 5)      # 表2
    head = header_rows(grid)
    heads = ["/".join(p) for p in paths(grid, head)]
    assert heads[:4] == ["功能分类科目编码/类", "功能分类科目编码/款", "功能分类科目编码/项", "功能分类科目名称"]
    assert "财政拨款（补助）/一般公共预算" in heads and "财政拨款（补助）/小计" in heads
    keys = [c.key for c in columns(kind("revenue"), paths(grid, head)) if c.role == "amount"]
    assert keys[:4] == ["total", "fiscal-subtotal", "general-budget", "general-budget-transfer"]


def test_a_vertical_header_in_a_narrow_column_reads_as_one_word():
    path = PDFS / "xinjiang-government-office-2024.pdf"
    grid = _grid(path, _page_with(path, "财政拨款收支预算总体情况表", "编制部门"))   # 表4, 政/府/性/基/金/预/算 set vertically
    heads = ["/".join(p) for p in paths(grid, header_rows(grid))]
    assert "财政拨款支出/政府性基金预算" in heads
    cols = columns(kind("fiscal-summary"), paths(grid, header_rows(grid)))
    assert [(c.side, c.key) for c in cols if c.role == "amount"] == [
        ("revenue", "revenue"), ("expenditure", "total"), ("expenditure", "general-budget"),
        ("expenditure", "government-fund"), ("expenditure", "state-capital")]


def test_a_merged_first_level_indicator_applies_to_every_row_it_spans():
    source = read_pdf(PDFS / "xinjiang-government-office-2024.pdf")
    page = next(ln.page for ln in source.lines if ln.text.startswith("项目名称") and "日常运行管理费" in ln.text)
    rows = [ln.text.split("\t") for ln in source.lines if ln.page == page and "\t" in ln.text]
    kindergarten = [r for r in rows if len(r) == 9 and r[0] in ("产出指标", "成本指标", "满意度指标")][:7]
    assert [r[:2] for r in kindergarten[:4]] == [["产出指标", "数量指标"]] * 3 + [["产出指标", "时效指标"]]


def test_dedupe_matches_pdfplumber_dedupe_chars_exactly():
    with pdfplumber.open(HOSTILE / "fake-bold.pdf") as pdf:
        pages = [page.chars for page in pdf.pages]
    assert sum(dedupe(chars)[1] for chars in pages) > 1000
    for chars in pages:
        assert dedupe(chars)[0] == dedupe_chars(chars)


def test_dedupe_chains_positions_as_pdfplumber_does():
    """Copies 0.8 apart chain into one cluster (0, 0.8, 1.6 with a tolerance of 1), a copy
    2 away is a glyph of its own, and of a cluster the top-left copy is kept."""
    def char(x0: float, doctop: float, text: str = "财") -> dict:
        return {"upright": True, "text": text, "fontname": "F", "size": 10.0, "x0": x0, "doctop": doctop}
    chars = [char(1.6, 0), char(0.8, 0.5), char(0, 0.9), char(3.6, 0), char(0, 5), char(0, 5, "政"),
             char(0.5, 5.9), char(0, 7.2)]
    ours, removed = dedupe(chars)
    assert ours == dedupe_chars(chars)
    assert removed == 3 and ours == [chars[0], chars[3], chars[4], chars[5], chars[7]]


def test_fake_bold_is_de_duplicated_and_reported():
    name = "kashgar-city-government-office-2024"
    doubled = to_graph(extract_file(HOSTILE / "fake-bold.pdf"))
    assert _facts(doubled) == _facts(graph_of(PDFS / f"{name}.pdf"))
    issues = extract_file(HOSTILE / "fake-bold.pdf").issues
    assert any("duplicated characters (fake bold) removed" in i.message for i in issues)


def test_lines_broken_mid_word_or_mid_amount_are_joined():
    assert join_cjk(["部门收入预算 15,131.50万", "元，其中"]) == "部门收入预算 15,131.50万元，其中"
    assert join_cjk(["预算数为 1,", "400.00 万元"]) == "预算数为 1,400.00 万元"
    assert join_cjk(["see the", "annex"]) == "see the annex"
    source = read_pdf(PDFS / "xinjiang-government-office-2024.pdf")
    # A 77-character line of the text, which the PDF wraps over two lines, comes back as one line.
    text = {ln.text for ln in source.lines}
    assert any(t.startswith("(一)贯彻落实党中央、国务院") and t.endswith("协助政府领导同志组织实施会议决定事项。")
               for t in text)


HOSTILE_MESSAGES = {
    "no-tounicode.pdf": (1, "no usable ToUnicode map"),
    "rotated-page.pdf": (4, "turned 90° (/Rotate)"),
    "encrypted.pdf": (None, "encrypted PDF: it needs a password"),
    "truncated.pdf": (None, "corrupt or truncated PDF"),
    "not-a-pdf.pdf": (None, "not a PDF: the file does not begin with %PDF-"),
    "scanned.pdf": (1, "no text layer: every page is a scanned image"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_MESSAGES))
def test_each_hostile_pdf_gets_its_own_clear_error_naming_file_and_page(name):
    page, message = HOSTILE_MESSAGES[name]
    with pytest.raises(UnreadablePdf) as caught:
        extract_file(HOSTILE / name)
    err = caught.value
    assert message in err.message and err.path.endswith(name) and err.page == page
    assert str(err).startswith(str(HOSTILE / name) + (f", page {page}" if page else ":"))


def test_a_batch_with_hostile_pdfs_still_loads_the_good_ones(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    for name in ("xinjiang-government-office-2024.pdf", "kashgar-city-government-office-2024.pdf"):
        (batch / name).write_bytes((PDFS / name).read_bytes())
    for name in HOSTILE_MESSAGES:
        (batch / f"bad-{name}").write_bytes((HOSTILE / name).read_bytes())
    store = EmbeddedStore(tmp_path / "store")
    said: list[str] = []
    summary = build([batch], store, report=said.append)
    assert (summary.loaded, summary.failed) == (2, len(HOSTILE_MESSAGES))
    graphs = {str(g) for g in store.graphs()}
    assert any("喀什市人民政府办公室/2024" in g for g in graphs)
    assert any("人民政府办公厅/2024" in g for g in graphs)
    for name, (_, message) in HOSTILE_MESSAGES.items():
        assert any(f"bad-{name}" in line and message in line for line in said), name


def test_the_generator_reproduces_the_committed_pdfs(tmp_path):
    debian_files({"fonts-wqy-zenhei": "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"})
    done = subprocess.run([sys.executable, str(PDFS / "generate.py"), "--out", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(p.stem for p in tmp_path.glob("*.pdf")) == PDF_SAMPLES
    for name in PDF_SAMPLES:
        assert (tmp_path / f"{name}.pdf").read_bytes() == (PDFS / f"{name}.pdf").read_bytes(), name
    for name in HOSTILE_MESSAGES:              # encrypted.pdf has a random key; the others are byte-equal
        if name != "encrypted.pdf":
            assert (tmp_path / "hostile" / name).read_bytes() == (HOSTILE / name).read_bytes(), name


def test_only_the_same_tables_repeated_title_counts_as_page_furniture_between_two_parts():
    from budgetkg.extract.pdf.reader import _is_furniture
    assert _is_furniture("政府性基金预算支出情况表", ("government-fund", 8)) and _is_furniture("表 8", ("government-fund", 8))
    assert _is_furniture("编制部门：自治区财政厅 单位：万元", ("government-fund", 8))
    # 表9 has the same columns as 表8: its title on the next page starts a new table.
    assert not _is_furniture("国有资本经营预算支出情况表", ("government-fund", 8)) and not _is_furniture("表 9", ("government-fund", 8))
    assert not _is_furniture("新疆维吾尔自治区人民政府办公厅2024年没有使用政府性基金预算拨款安排的支出", ("government-fund", 8))


def test_the_lines_stage_of_a_pdf_shows_each_lines_page(tmp_path):
    import json
    done = subprocess.run([sys.executable, "-m", "budgetkg", "extract", "--debug-stage", "lines",
                           str(PDFS / "kashgar-city-government-office-2024.pdf")], capture_output=True, text=True)
    dump = json.loads(done.stdout)
    assert dump["rendering"] == "pdf"
    assert dump["lines"][0][2] == 1 and max(ln[2] for ln in dump["lines"]) >= 15


def test_the_numbering_row_is_not_part_of_a_columns_header_path():
    from budgetkg.extract.pdf.grid import Cell, Grid
    box = (0, 0, 1, 1)
    top = [Cell(0, 0, box, "收入", cols=2), Cell(0, 2, box, "支出", cols=2)]
    rows = [[top[0], top[0], top[1], top[1]],
            [Cell(1, j, box, t) for j, t in enumerate(["项目", "预算数", "项目", "预算数"])],
            [Cell(2, j, box, t) for j, t in enumerate(["※", "1", "※", "2"])],
            [Cell(3, j, box, t) for j, t in enumerate(["一、本年收入", "15,131.50", "201 一般公共服务支出", "11,473.74"])]]
    grid = Grid(1, (0, 0, 400, 100), [0, 100, 200, 300, 400], rows, [1] * 4)
    head = header_rows(grid)
    assert head == 3 and paths(grid, head) == [["收入", "项目"], ["收入", "预算数"], ["支出", "项目"], ["支出", "预算数"]]
    assert [(c.side, c.key) for c in columns(kind("summary"), paths(grid, head)) if c.role == "amount"] == [
        ("revenue", "revenue"), ("expenditure", "expenditure")]


def test_the_builds_ntriples_are_the_triples_of_the_graph_with_page_provenance():
    """A build writes N-Triples without an rdflib graph (emit.Triples); from a PDF, whose
    emitter reads its own triples back to add pages, they are still the graph's triples."""
    path = PDFS / "kashgar-city-government-office-2024.pdf"
    disclosure = extract_file(path)
    lines = build_ntriples_of(disclosure, to_graph(disclosure))
    assert any("#sourcePage>" in line for line in lines)



def test_a_bug_in_the_reader_is_not_reported_as_a_corrupt_pdf(monkeypatch):
    """An error raised by budgetkg's own code while it reads a page surfaces as itself; only
    what the PDF libraries raise on a damaged file becomes UnreadablePdf (file and page)."""
    import budgetkg.extract.pdf.reader as reader
    pdf = Path(__file__).parent / "fixtures" / "pdf" / "kashgar-city-government-office-2024.pdf"
    monkeypatch.setattr(reader, "lines_of", None)          # a TypeError raised in reader.py itself
    with pytest.raises(TypeError, match="not callable"):
        read_pdf(pdf)
    monkeypatch.undo()
    # pdfminer's own error (an object the file does not hold), raised inside the library
    monkeypatch.setattr(reader, "_read_page", lambda page, number: page.page_obj.doc.getobj(10 ** 9))
    with pytest.raises(UnreadablePdf) as caught:
        read_pdf(pdf)
    assert caught.value.page == 1 and "page 1 cannot be parsed" in str(caught.value)


@pytest.mark.parametrize("name", ["hunan_changsha_xfj_2026_dept_budget", "jiangsu_prov_gaoyuan_2017_dept_budget",
                                  "putuo_czj_2024_final", "putuo_wanli_2024"])
def test_an_amount_s_box_is_the_cell_it_was_read_from(name):
    """The box travels with the cell through the table parser (one cell model): on real PDFs (both
    sides of a two-sided table, a final account, a table printed in 元) the text inside each
    amount's box, on its row's page, prints the amount."""
    from budgetkg.extract.tables.build import UNIT_FACTORS
    path = Path(__file__).resolve().parent / "fixtures" / "real" / f"{name}.pdf"
    d = extract_file(path)
    boxed = [(t, row, key, row.boxes[key]) for t in d.tables.values() for row in t.rows for key in row.boxes]
    sides = {row.side for _, row, _, _ in boxed}
    assert len(boxed) > 100 and (name != "jiangsu_prov_gaoyuan_2017_dept_budget" or "revenue" in sides)
    pages = {ln.number: ln.page for ln in read_pdf(path).lines}
    with pdfplumber.open(path) as pdf:
        for t, row, key, box in boxed[::max(1, len(boxed) // 80)]:
            printed = pdf.pages[pages[row.line] - 1].crop(box).extract_text().splitlines()
            factor = UNIT_FACTORS[t.unit]
            assert row.cells[key] in [_amount(text) * factor for text in printed], (row.line, row.label, key, printed)


def _amount(text: str):
    from decimal import Decimal, InvalidOperation
    try:
        return Decimal(re.sub(r"[\s,]", "", text))
    except InvalidOperation:
        return None
