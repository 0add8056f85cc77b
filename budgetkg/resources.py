"""Find the data directories (ontology/, queries/, shapes/) from a checkout or an installed wheel.

In a wheel they are installed inside the package (``budgetkg/ontology``); in a
checkout (editable install) the package directory is ``budgetkg/`` and the data
directories are its siblings.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the directory holding the data files called *name* (ontology, queries, shapes)."""
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir() and any(candidate.iterdir()):
            return candidate
    raise FileNotFoundError(f"budgetkg data directory {name!r} not found next to {_PACKAGE_DIR}")


def ontology_files() -> list[Path]:
    root = data_dir("ontology")
    return sorted(root.glob("*.ttl")) + sorted((root / "codes").glob("*.ttl"))


def query_files() -> dict[str, Path]:
    return {p.stem: p for p in sorted(data_dir("queries").glob("*.rq"))}
