"""A PDF's text as ordinary PDF-to-text tools dump it: the inputs of the stream-dump reader's tests.

Collections that keep only the text of their disclosures hold what a tool printed without any
layout option: pdfminer.six's ``extract_text`` (it ships with pdfplumber) and poppler's
``pdftotext`` (Debian's poppler-utils). Both print a ruled table in text boxes, not in rows, and
both end each page with a form feed. ``dump`` makes that text from a PDF, so the reader is tested
on every PDF the project has (fixtures, real PDFs, synthetic ones) instead of on an imagined layout.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

TOOLS = ("pdfminer", "pdftotext")
PDFTOTEXT = "/usr/bin/pdftotext"          # Debian's poppler-utils


class DumpError(RuntimeError):
    """A tool that could not dump the PDF (not installed, or it failed)."""


def dump(pdf: str | Path, tool: str) -> str:
    """The text *tool* (``pdfminer`` or ``pdftotext``) prints for *pdf*, without layout options."""
    if tool == "pdfminer":
        from pdfminer.high_level import extract_text       # pdfminer.six, a dependency of pdfplumber
        return extract_text(str(pdf))
    if tool == "pdftotext":
        exe = PDFTOTEXT if Path(PDFTOTEXT).exists() else shutil.which("pdftotext")
        if not exe:
            raise DumpError("pdftotext is not installed (Debian: apt-get install poppler-utils)")
        done = subprocess.run([exe, "-enc", "UTF-8", str(pdf), "-"], capture_output=True)
        if done.returncode != 0:
            raise DumpError(f"pdftotext failed on {pdf}: {done.stderr.decode(errors='replace')[-500:]}")
        return done.stdout.decode("utf-8")
    raise ValueError(f"unknown tool {tool!r}; one of {', '.join(TOOLS)}")


def write_dumps(pdf: str | Path, out: str | Path, tools: tuple[str, ...] = TOOLS) -> dict[str, Path]:
    """Dump *pdf* with each of *tools* into *out* as ``<stem>.<tool>.txt``; the paths by tool."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for tool in tools:
        path = out / f"{Path(pdf).stem}.{tool}.txt"
        path.write_text(dump(pdf, tool), encoding="utf-8")
        written[tool] = path
    return written
