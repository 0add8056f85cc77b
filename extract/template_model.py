"""The data model of table kinds and family templates, and their loading from
ontology/templates/*.toml.

A *kind* is what a table is (the ontology's: 部门支出总表, 一般公共预算基本支出表, “三公”经费表 …),
with its columns, their arithmetic and the national words that name it. A *family* template is
how one province or level prints its disclosures: which kinds, under which titles and numbers,
with which columns in which order, and under which section headings. ``kinds.toml`` holds the
kinds (the :class:`Vocabulary`); every other file there is a family.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from budgetkg.errors import BudgetKGError
from budgetkg.extract.normalize import squash
from budgetkg.resources import data_dir

if sys.version_info >= (3, 11):
    import tomllib
else:                                  # pragma: no cover - Python 3.10
    import tomli as tomllib

COLUMN_BASE = "https://w3id.org/budgetkg/column/"
FAMILY_BASE = "https://w3id.org/budgetkg/template/"
DEFAULT_FAMILY = "national"


class TemplateError(BudgetKGError):
    """A template file that cannot be read or names something that does not exist."""


@dataclass(frozen=True)
class ColumnDef:
    key: str
    zh: str
    en: str
    match: re.Pattern | None = None
    fund: str | None = None
    expenditure: str | None = None


@dataclass(frozen=True)
class Item:
    """A named row of an items table (the 三公 items), or a column when it is printed as one row."""

    key: str
    zh: str
    en: str
    match: re.Pattern


@dataclass(frozen=True)
class Kind:
    id: str
    zh: str
    en: str
    rows: str                                   # two-sided | coded | projects | items | listed | none
    code: str | None = None                     # function | economic | None
    fund: str | None = None                     # the fund source every column stands for, unless it says
    rebuildable: bool = False                   # vertical column runs may be rebuilt (raw text)
    titles: tuple[re.Pattern, ...] = ()
    columns: tuple[ColumnDef, ...] = ()
    revenue_columns: tuple[ColumnDef, ...] = ()
    identities: tuple[tuple[str, tuple[str, ...]], ...] = ()
    items: tuple[Item, ...] = ()
    item_sums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    empty_claims: tuple[re.Pattern, ...] = ()   # clauses of the prose saying there is none of it

    @property
    def is_budget_table(self) -> bool:
        return self.rows != "none"

    def column(self, key: str, side: str | None = None) -> ColumnDef | None:
        defs = self.revenue_columns if side == "revenue" else self.columns
        base = base_key(key)
        return next((c for c in defs if c.key == base), None)

    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def item(self, label: str) -> str | None:
        """The item a row label (or a column's header path, levels joined by /) names. A header
        broken inside a word across cells (公务接/待费) is also tried joined without the /."""
        s = squash(label)
        flat = s.replace("/", "")
        for item in self.items:
            if item.match.search(s) or item.match.search(flat):
                return item.key
        return None


@dataclass(frozen=True)
class TableLayout:
    """How one family prints one kind."""

    kind: Kind
    number: int | None = None
    title: str = ""
    labels: int = 0                             # label cells before the amounts in a text rendering
    code_parts: int = 0                         # code cells (类/款/项) among them
    columns: tuple[str, ...] = ()               # amount columns in printed order
    revenue_columns: tuple[str, ...] = ()
    optional_columns: bool = False              # a document prints only some of them (its header says which)
    numbering: int | None = None
    header_text: tuple[str, ...] = ()
    header_grid: tuple[tuple[str, ...], ...] = ()
    spans: tuple = ()
    widths: tuple[float, ...] = ()
    vertical: tuple = ()
    header_group: dict = field(default_factory=dict)
    header_words: tuple[tuple[str, re.Pattern], ...] = ()
    empty_note: str = ""                        # the generator's note for the table printed empty

    @property
    def label(self) -> str:
        """How messages name the table: 表N 标题, or the title alone."""
        return f"表{self.number}{self.title}" if self.number else (self.title or self.kind.zh)


@dataclass(frozen=True)
class Family:
    id: str
    title: str
    title_en: str
    phase: str = "budget"
    scope: str | None = None
    unit: str = "万元"
    detect: tuple[re.Pattern, ...] = ()
    sections: dict = field(default_factory=dict)          # role → tuple of heading patterns
    tables: tuple[TableLayout, ...] = ()
    path: str = ""
    required: bool = True                                 # a listed table missing from a document is a defect
    expects: tuple[str, ...] = ()                         # what its documents state: signature, staffing, …
    identity: dict = field(default_factory=dict)          # role → tuple of patterns (department, cover, …)

    @property
    def iri(self) -> str:
        return FAMILY_BASE + self.id

    def layout(self, kind: str) -> TableLayout:
        """This family's layout of *kind*, or the national default when the family does not print it."""
        found = next((t for t in self.tables if t.kind.id == kind), None)
        return found if found is not None else default_layout(kind)

    def section(self, role: str) -> tuple[re.Pattern, ...]:
        return self.sections.get(role, ())

    def patterns(self, role: str) -> tuple[re.Pattern, ...]:
        return self.identity.get(role, ())

    @property
    def signed(self) -> bool:
        """Its documents end with a signature date."""
        return "signature" in self.expects

    @property
    def staffing(self) -> bool:
        """Its overviews state 编制数 and 实有人数."""
        return "staffing" in self.expects


# Period qualifiers of a column key, longest first: another year's figure, a change, and in a
# final account (决算) the budget figures it prints beside its own (年初预算数, 调整预算数).
PERIOD_PREFIXES = ("prior-", "change-percent-", "change-", "budget-", "adjusted-")


def base_key(key: str) -> str:
    """A column key without its period qualifier (``prior-total`` → ``total``)."""
    for prefix in PERIOD_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


def _compile(patterns, where: str, flags: int = 0) -> tuple[re.Pattern, ...]:
    out = []
    for p in patterns or ():
        try:
            out.append(re.compile(p, flags))
        except re.error as exc:
            raise TemplateError(f"{where}: bad regular expression {p!r}: {exc}") from None
    return tuple(out)


def _columns(entries, where: str) -> tuple[ColumnDef, ...]:
    out = []
    for e in entries or ():
        unknown = set(e) - {"key", "zh", "en", "match", "fund", "expenditure"}
        if unknown:
            raise TemplateError(f"{where}: column {e.get('key')!r} has unknown fields {sorted(unknown)}")
        match = _compile([e["match"]], where)[0] if e.get("match") else None
        out.append(ColumnDef(e["key"], e.get("zh", e["key"]), e.get("en", e["key"]), match, e.get("fund"),
                             e.get("expenditure")))
    return tuple(out)


@dataclass(frozen=True)
class Vocabulary:
    kinds: dict[str, Kind]
    funds: dict[str, tuple[str, str]]
    expenditures: dict[str, tuple[str, str]]
    total_row: re.Pattern
    prior: re.Pattern
    change: re.Pattern
    change_percent: re.Pattern
    budget: re.Pattern
    adjusted: re.Pattern
    measure: re.Pattern
    title: str
    title_en: str


def templates_dir() -> Path:
    return data_dir("ontology") / "templates"


def _load_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise TemplateError(f"{path}: cannot read the template: {exc}") from None


@lru_cache(maxsize=None)
def vocabulary() -> Vocabulary:
    path = templates_dir() / "kinds.toml"
    data = _load_toml(path)
    kinds: dict[str, Kind] = {}
    for k in data["kind"]:
        where = f"{path.name} kind {k.get('id')!r}"
        kinds[k["id"]] = Kind(
            id=k["id"], zh=k["zh"], en=k["en"], rows=k["rows"], code=k.get("code"), fund=k.get("fund"),
            rebuildable=bool(k.get("rebuildable")), titles=_compile(k.get("title"), where),
            columns=_columns(k.get("columns"), where), revenue_columns=_columns(k.get("revenue_columns"), where),
            identities=tuple((t, tuple(parts)) for t, parts in k.get("identities", ())),
            items=tuple(Item(i["key"], i["zh"], i["en"], re.compile(i["match"])) for i in k.get("items", ())),
            item_sums=tuple((t, tuple(parts)) for t, parts in k.get("item_sums", ())),
            empty_claims=_compile(k.get("empty_claim"), where))
    q = data["qualifiers"]
    return Vocabulary(kinds, {k: tuple(v) for k, v in data["funds"].items()},
                      {k: tuple(v) for k, v in data["expenditures"].items()}, re.compile(data["rows"]["total"]),
                      re.compile(q["prior"]), re.compile(q["change"]), re.compile(q["change_percent"]),
                      re.compile(q["budget"]), re.compile(q["adjusted"]), re.compile(q["measure"]),
                      data["title"], data["title_en"])


def kinds() -> dict[str, Kind]:
    return vocabulary().kinds


def kind(kind_id: str) -> Kind:
    try:
        return kinds()[kind_id]
    except KeyError:
        raise TemplateError(f"unknown table kind {kind_id!r}; one of {', '.join(kinds())}") from None


@lru_cache(maxsize=None)
def default_layout(kind_id: str) -> TableLayout:
    k = kind(kind_id)
    parts = 3 if k.code == "function" else (2 if k.code == "economic" else 0)
    labels = parts + 1 + (1 if k.rows == "projects" else 0)
    if k.rows == "two-sided":
        labels = 2
    return TableLayout(k, None, k.zh, labels, parts, tuple(k.keys()), tuple(c.key for c in k.revenue_columns))


_LAYOUT_FIELDS = {"kind", "number", "title", "labels", "code_parts", "columns", "revenue_columns", "optional_columns",
                  "numbering", "header_text", "header_grid", "spans", "widths", "vertical", "header_group",
                  "header_words", "empty_note"}


_FAMILY_FIELDS = {"id", "title", "title_en", "phase", "scope", "unit", "detect", "sections", "table", "required",
                  "identity", "extends", "expects"}


def _table_layout(t: dict, path: Path) -> TableLayout:
    """One ``[[table]]`` entry of the family file at *path*: how it prints one kind."""
    where = f"{path.name} table {t.get('title') or t.get('kind')!r}"
    unknown = set(t) - _LAYOUT_FIELDS
    if unknown:
        raise TemplateError(f"{where}: unknown fields {sorted(unknown)}")
    k = kind(t["kind"])
    for key in list(t.get("columns", ())) + list(t.get("revenue_columns", ())):
        if k.column(key) is None and k.column(key, "revenue") is None:
            raise TemplateError(f"{where}: column {key!r} is not a column of kind {k.id!r}")
    default = default_layout(k.id)
    return TableLayout(
        k, t.get("number"), t.get("title", k.zh), t.get("labels", default.labels),
        t.get("code_parts", default.code_parts),
        tuple(t.get("columns", default.columns)), tuple(t.get("revenue_columns", default.revenue_columns)),
        bool(t.get("optional_columns")), t.get("numbering"), tuple(t.get("header_text", ())),
        tuple(tuple(r) for r in t.get("header_grid", ())), tuple(tuple(map(tuple, s)) for s in t.get("spans", ())),
        tuple(t.get("widths", ())), tuple(tuple(v) for v in t.get("vertical", ())), dict(t.get("header_group", {})),
        tuple((key, _compile([p], where)[0]) for key, p in t.get("header_words", ())), t.get("empty_note", ""))


def _family(path: Path, base: Family | None = None) -> Family:
    """A family from its file; roles it does not state (sections, identity patterns) come from *base*."""
    data = _load_toml(path)
    unknown = set(data) - _FAMILY_FIELDS
    if unknown:
        raise TemplateError(f"{path}: unknown fields {sorted(unknown)}")
    tables = [_table_layout(t, path) for t in data.get("table", ())]
    sections = dict(base.sections) if base else {}
    sections.update({role: _compile(patterns, f"{path.name} sections.{role}")
                     for role, patterns in data.get("sections", {}).items()})
    identity = dict(base.identity) if base else {}
    identity.update({role: _compile(patterns, f"{path.name} identity.{role}")
                     for role, patterns in data.get("identity", {}).items()})
    return Family(data["id"], data["title"], data["title_en"], data.get("phase", "budget"), data.get("scope"),
                  data.get("unit", "万元"), _compile(data.get("detect"), f"{path.name} detect", re.M), sections,
                  tuple(tables), str(path), required=bool(data.get("required", True)), expects=tuple(data.get("expects", ())),
                  identity=identity)


@lru_cache(maxsize=None)
def families() -> dict[str, Family]:
    """Every template in ontology/templates/, the national one first."""
    base = _family(templates_dir() / f"{DEFAULT_FAMILY}.toml")
    out: dict[str, Family] = {base.id: base}
    for path in sorted(templates_dir().glob("*.toml")):
        if path.name in ("kinds.toml", f"{DEFAULT_FAMILY}.toml"):
            continue
        fam = _family(path, base)
        if fam.id in out:
            raise TemplateError(f"{path}: template id {fam.id!r} is also used by {out[fam.id].path}")
        out[fam.id] = fam
    return out


def load_family(path: str | Path) -> Family:
    """A template from a file outside the package (``--template FILE.toml``)."""
    path = Path(path)
    if not path.is_file():
        raise TemplateError(f"{path}: no such template file")
    return _family(path, families()[DEFAULT_FAMILY])


def family(name: str) -> Family:
    if name.endswith(".toml") or "/" in name:
        return load_family(name)
    try:
        return families()[name]
    except KeyError:
        raise TemplateError(f"unknown template {name!r}; one of {', '.join(families())}") from None
