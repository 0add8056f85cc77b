"""Refusing SPARQL ``SERVICE`` before a query is evaluated.

pyoxigraph evaluates ``SERVICE <http://host:port/…> { … }`` by sending an HTTP request to
that host, so a query from outside (the public ``/sparql`` endpoint, a ``.rq`` file given
to ``budgetkg query``) could make the server reach any machine on its network and read the
answers back. The store offers no switch to turn federation off, so the query text is read
here, the way the SPARQL grammar reads it, and a ``SERVICE`` keyword refuses the query.

The scan follows the grammar's lexical rules: ``\\uXXXX`` escapes are decoded first (SPARQL
applies them before parsing, so ``\\u0053ERVICE`` is ``SERVICE``), then strings, IRIs and
comments are skipped, and a word ``SERVICE`` in any case that is not part of a variable,
prefixed name or blank-node label is the keyword. Anything the scan cannot read is treated
as a keyword too: it refuses, never lets through.
"""

from __future__ import annotations

import re

from budgetkg.errors import BudgetKGError

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_STRING = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                     r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\'', re.DOTALL)
_SERVICE = re.compile(r"service", re.IGNORECASE)
_NAME_CHAR = re.compile(r"[\w\-.·:%\\]")


class ServiceRefused(BudgetKGError):
    """A query that would send requests to other servers (SPARQL ``SERVICE``)."""


def _decode(text: str) -> str:
    def one(m):
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else "\ufffd"
    return _ESCAPE.sub(one, text)


def _code(text: str) -> str:
    """*text* with its strings, IRIs and comments blanked out (offsets kept)."""
    out, i, n = list(text), 0, len(text)

    def blank(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            blank(i, end)
            i = end
        elif c in "\"'":
            m = _STRING.match(text, i)
            end = m.end() if m else n      # unterminated: the store refuses the query anyway
            blank(i, end)
            i = end
        elif c == "<" and (m := _IRIREF.match(text, i)):
            blank(i, m.end())
            i = m.end()
        else:
            i += 1
    return "".join(out)


def _keyword(code: str) -> int | None:
    """The first ``service`` in *code* that the store could read as the keyword.

    The store's parser does not need a space before a keyword (``trueSERVICE <…>`` and
    ``.SERVICEex:x`` are both federated calls), so every ``service`` is the keyword unless
    it lies inside a variable name (``?myservice``) or in the local part of a prefixed name
    (``schema:serviceType``), which the parser reads greedily as one name."""
    for m in _SERVICE.finditer(code):
        start = m.start()
        while start and _NAME_CHAR.match(code[start - 1]):
            start -= 1
        run = code[start:m.start()]
        if start and code[start - 1] in "?$" and re.fullmatch(r"\w*", run):
            continue
        if ":" in run:
            continue
        return m.start()
    return None


def service_at(text: str) -> int | None:
    """The offset of the first ``SERVICE`` keyword in a SPARQL query, or ``None``. The text is
    read as written and again with its ``\\u`` escapes decoded; either finding one refuses."""
    at = _keyword(_code(text))
    if at is None:
        decoded = _decode(text)
        if decoded != text and _keyword(_code(decoded)) is not None:
            return 0
    return at


def refuse_service(text: str, source: str) -> None:
    """Raise :class:`ServiceRefused` naming *source* and the line if *text* holds ``SERVICE``."""
    at = service_at(text)
    if at is None:
        return
    line = text[:at].count("\n") + 1
    raise ServiceRefused(f"{source}, line {line}: SERVICE is refused: a query here may not send "
                         f"requests to other SPARQL endpoints (federated queries are not allowed)")


# ---------------------------------------------------------------------- no network in a query process

_ARCH = {"x86_64": (0xC000003E, (42, 44, 46, 307)),          # connect sendto sendmsg sendmmsg
         "aarch64": (0xC00000B7, (203, 206, 211, 269))}


def deny_network() -> bool:
    """Forbid this process (and the threads it starts) to open or send on a network socket,
    with a seccomp filter: ``connect``, ``sendto``, ``sendmsg`` and ``sendmmsg`` fail with
    EPERM. Called first thing in the child that evaluates an endpoint query over the embedded
    store, so that a ``SERVICE`` the text scan missed still reaches nobody. Returns whether
    the filter is in place (Linux on x86-64 or ARM64; elsewhere the scan alone guards)."""
    import ctypes
    import platform
    import sys
    arch = _ARCH.get(platform.machine())
    if not sys.platform.startswith("linux") or arch is None:
        return False
    audit_arch, calls = arch

    class Filter(ctypes.Structure):
        _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte),
                    ("k", ctypes.c_uint32)]

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Filter))]

    load, jeq, ret = 0x20, 0x15, 0x06
    allow, deny = 0x7FFF0000, 0x00050000 | 1          # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EPERM
    n = len(calls)
    code = [(load, 0, 0, 4), (jeq, 0, n + 1, audit_arch), (load, 0, 0, 0)]
    code += [(jeq, n - i, 0, nr) for i, nr in enumerate(calls)]
    code += [(ret, 0, 0, allow), (ret, 0, 0, deny)]
    filters = (Filter * len(code))(*[Filter(*c) for c in code])
    program = Program(len(code), filters)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(38, 1, 0, 0, 0) != 0:                    # PR_SET_NO_NEW_PRIVS
            return False
        return libc.prctl(22, 2, ctypes.byref(program), 0, 0) == 0   # PR_SET_SECCOMP, FILTER
    except (OSError, AttributeError):
        return False
