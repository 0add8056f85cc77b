"""The classification code lists (ontology/codes/*.ttl) as lookups for the extractor."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from budgetkg.resources import data_dir

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


# ------------------------------------------------------------------ a user's official list

OFFICIAL_BASE = f"{CODE_BASE}official/"
_KINDS = {"function": "function", "功能分类": "function", "功能": "function",
          "economic": "economic", "经济分类": "economic", "经济": "economic"}
_HEADERS = {"kind": ("kind", "类型", "分类"), "year": ("year", "年度", "年份"), "code": ("code", "编码", "科目编码"),
            "name": ("name", "名称", "科目名称")}
_LENGTHS = {"function": (3, 5, 7), "economic": (3, 5)}


def official_graph(kind: str, year: int) -> str:
    """The store graph that holds a user's complete list of *kind* codes for *year*."""
    return f"{OFFICIAL_BASE}{kind}/{year}"


def read_code_list(path) -> dict[str, str]:
    """A complete official code list in CSV (columns kind, year, code, name; or 类型, 年度, 编码,
    名称), as N-Triples per graph (:func:`official_graph`): each code ``bkg:inOfficialList
    true`` with its official name, and the year's scheme ``bkg:hasCompleteList true``. Raises
    :class:`CodeListError` naming the file and line of anything it cannot read."""
    import csv
    from pathlib import Path

    from rdflib import URIRef

    from budgetkg.errors import CodeListError
    from budgetkg.vocab import BKG
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CodeListError(f"cannot read the code list: {exc}", path=str(path)) from None
    rows = csv.reader(text.splitlines())
    header = next(rows, None)
    if not header:
        raise CodeListError("the code list is empty", path=str(path))
    names = [h.strip().lower() for h in header]
    column = {}
    for key, options in _HEADERS.items():
        found = [i for i, h in enumerate(names) if h in options]
        if not found:
            raise CodeListError(f"no {key} column (the header must name {', '.join(options)})", path=str(path), line=1)
        column[key] = found[0]
    graphs: dict[str, Graph] = {}
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            kind_text, year_text, code, name = (row[column[k]].strip() for k in ("kind", "year", "code", "name"))
        except IndexError:
            raise CodeListError(f"{len(row)} cells, fewer than the header's {len(names)}", path=str(path), line=line) from None
        kind = _KINDS.get(kind_text.lower())
        if kind is None:
            raise CodeListError(f"kind {kind_text!r} is neither function (功能分类) nor economic (经济分类)",
                                path=str(path), line=line)
        if not year_text.isdigit() or len(year_text) != 4:
            raise CodeListError(f"year {year_text!r} is not a year", path=str(path), line=line)
        if not code.isdigit() or len(code) not in _LENGTHS[kind]:
            raise CodeListError(f"code {code!r} is not a {kind} code ({'/'.join(map(str, _LENGTHS[kind]))} digits)",
                                path=str(path), line=line)
        year = int(year_text)
        g = graphs.setdefault(official_graph(kind, year), Graph())
        g.add((URIRef(scheme_iri(kind, year)), BKG.hasCompleteList, Literal(True)))
        concept = URIRef(code_iri(kind, year, code))
        g.add((concept, BKG.inOfficialList, Literal(True)))
        if name:
            g.add((concept, BKG.officialName, Literal(name, lang="zh")))
    if not graphs:
        raise CodeListError("the code list has a header and no codes", path=str(path))
    return {iri: g.serialize(format="nt") for iri, g in graphs.items()}
