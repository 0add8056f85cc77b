"""The package's architecture, checked: extraction stands alone, the application reaches a store
only through the store protocol, no SPARQL text lives in Python, no catch-all error handling,
modules small enough to read."""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

from budgetkg.store import Store
from budgetkg.store.embedded import EmbeddedStore, Snapshot
from budgetkg.store.server import RemoteStore

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = sorted([*(ROOT / "extract").rglob("*.py"), *(ROOT / "budgetkg").rglob("*.py")])
APPLICATION = ("budgetkg.store", "budgetkg.audit", "budgetkg.web", "budgetkg.synth", "budgetkg.cli", "budgetkg.build")


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _imported(tree: ast.AST, module: str) -> set[str]:
    """Every module *tree* imports, at the top or inside a function, as an absolute name."""
    names = set()
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{a.name}" for a in node.names)
    return names


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[0] == "extract":
        parts = ["budgetkg", *parts]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def test_extraction_imports_nothing_of_the_application():
    """`import budgetkg.extract` and every module under it load no store, audit, web, synth or CLI module."""
    code = ("import importlib, pkgutil, sys, budgetkg.extract as e\n"
            "for m in pkgutil.walk_packages(e.__path__, 'budgetkg.extract.'):\n"
            "    importlib.import_module(m.name)\n"
            "print('\\n'.join(sorted(sys.modules)))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert "budgetkg.extract.pipeline" in loaded and "budgetkg.extract.emit" in loaded
    assert [m for m in loaded if m.startswith(APPLICATION)] == []
    for path in (ROOT / "extract").rglob("*.py"):          # lazy imports inside functions too
        tree = ast.parse(path.read_text(encoding="utf-8"))
        wrong = sorted(n for n in _imported(tree, _module_name(path)) if n.startswith(APPLICATION))
        assert not wrong, f"{_rel(path)} imports {wrong}"


def test_the_pdf_fixture_printer_does_not_use_the_extractor():
    """The PDF fixtures (and `synth --pdf`) are printed from the text by budgetkg.synth.pdf_source,
    not read by the extractor they test: the printer loads nothing of budgetkg.extract but the
    template's data (budgetkg.extract.template), at the top or inside a function, nor does
    anything it imports from budgetkg."""
    printer = {"budgetkg.synth.pdf", "budgetkg.synth.pdf_source"}
    for name in printer:
        path = ROOT / (name.replace(".", "/") + ".py")
        imported = _imported(ast.parse(path.read_text(encoding="utf-8")), name)
        used = sorted(n for n in imported if n.startswith("budgetkg.extract") and
                      not n.startswith("budgetkg.extract.template"))
        assert not used, f"{_rel(path)} imports {used}"
        others = {n for n in imported if n.startswith("budgetkg.") and not n.startswith("budgetkg.extract")}
        assert {n for n in others if n.rsplit(".", 1)[0] not in printer and n not in printer} <= \
            {"budgetkg.resources", "budgetkg.resources.data_dir"}


def test_extraction_import_check_can_fail(tmp_path):
    """The static check sees a function-level import of the application."""
    tree = ast.parse("def f():\n    from budgetkg.store.query import run\n")
    assert "budgetkg.store.query" in _imported(tree, "budgetkg.extract.x")


def _code_strings(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of the string literals of a module that are not docstrings; f-strings'
    literal parts are joined with a placeholder for each value."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    out = []
    in_fstring = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for v in node.values:
                if isinstance(v, ast.Constant):
                    in_fstring.add(id(v))
                    parts.append(str(v.value))
                else:
                    parts.append("{}")
            out.append((node.lineno, "".join(parts)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings \
                and id(node) not in in_fstring:
            out.append((node.lineno, node.value))
    return out


SPARQL = re.compile(r"\b(SELECT|CONSTRUCT|DESCRIBE)\b[^\n]*\bWHERE\b|\bASK\s*\{|\bINSERT\s+(DATA\b|\{)|"
                    r"\bDELETE\s+(DATA|WHERE)\b|\bDELETE\s*\{|\b(DROP|CLEAR)\s+(SILENT\s+)?(GRAPH|ALL|DEFAULT)\b|"
                    r"\bPREFIX\s+\w*:\s*<")


def sparql_literals(text: str) -> list[tuple[int, str]]:
    return [(line, s) for line, s in _code_strings(ast.parse(text)) if SPARQL.search(s)]


def test_no_sparql_text_outside_query_files():
    """Every query and update the application runs is a file under queries/ (sparql(name))."""
    found = [f"{_rel(path)}:{line}: {s[:60]!r}" for path in LIBRARY
             for line, s in sparql_literals(path.read_text(encoding="utf-8"))]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("code", [
    'q = "SELECT ?s WHERE { ?s ?p ?o }"',
    'q = f"SELECT ?s WHERE {{ <{iri}> ?p ?o }}"',
    'q = "PREFIX bkg: <https://w3id.org/budgetkg/ontology#>"',
    'q = f"DROP SILENT GRAPH <{g}>"',
    'q = "ASK { ?s a ?t }"',
])
def test_the_sparql_check_can_fail(code):
    assert sparql_literals(code)


def test_no_catch_all_handlers():
    """No `except Exception`, `except BaseException` or bare `except:` in the library: each
    handler names what it expects, so a bug is not reported as the input's fault."""
    found = []
    for path in LIBRARY:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler):
                names = [node.type] if not isinstance(node.type, ast.Tuple) else node.type.elts
                if node.type is None or any(isinstance(n, ast.Name) and n.id in ("Exception", "BaseException")
                                            for n in names):
                    found.append(f"{_rel(path)}:{node.lineno}")
    assert not found, found


def test_no_store_is_asked_what_it_is():
    """The application uses the store protocol (``store.in_process``), never ``hasattr(store, …)``."""
    found = [f"{_rel(path)}:{n}" for path in LIBRARY
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"hasattr\([\w.]*store\b", line)]
    assert not found, found


def _protocol_members() -> list[str]:
    return sorted(name for name in dir(Store) if not name.startswith("_") or name == "in_process"
                  if not name.startswith("__")) + ["in_process"]


@pytest.mark.parametrize("cls", [EmbeddedStore, Snapshot, RemoteStore])
def test_both_stores_implement_the_protocol(cls):
    """Each method of :class:`Store` exists on the embedded store, its read-only snapshot and the
    server store, with the protocol's parameters."""
    for name in _protocol_members():
        assert name in dir(cls) or name in getattr(cls, "__annotations__", {}), f"{cls.__name__} lacks {name}"
        proto = getattr(Store, name, None)
        if callable(proto):
            expected = list(inspect.signature(proto).parameters)
            actual = list(inspect.signature(getattr(cls, name)).parameters)
            assert actual == expected, f"{cls.__name__}.{name}{actual} is not the protocol's {expected}"
    assert isinstance(cls.in_process, bool)


def test_an_embedded_store_is_a_store():
    from budgetkg.store.embedded import memory_store
    store = memory_store(with_ontology=False)
    assert isinstance(store, Store) and store.in_process
    assert not RemoteStore.in_process


def test_modules_and_functions_are_short():
    """Every module at most 400 lines, every function at most 60 (a literal table of data may be longer)."""
    long = {}
    for path in LIBRARY:
        text = path.read_text(encoding="utf-8")
        if (n := len(text.splitlines())) > 400:
            long[_rel(path)] = n
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 60:
                body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
                if not (len(body) == 1 and isinstance(body[0], ast.Return)
                        and isinstance(body[0].value, (ast.List, ast.Dict, ast.Tuple, ast.Set))):
                    long[f"{_rel(path)}:{node.name}"] = node.end_lineno - node.lineno + 1
    assert not long, long
