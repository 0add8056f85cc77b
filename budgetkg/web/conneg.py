"""Content negotiation: which of the formats the server offers a request asks for (its
``format=`` parameter or its Accept header), the 406 answer when it accepts none, and the
headers and bodies of RDF answers.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from budgetkg.web.syntax import FORMATS, serialized

# What a resource is offered as (suffix → media type): FORMATS and the other RDF syntaxes.
RESOURCE_FORMATS = {**FORMATS, "nt": "application/n-triples", "rdf": "application/rdf+xml",
                    "n3": "text/n3; charset=utf-8", "json": "application/json"}
# What the catalogue, VoID and the endpoint's service description are offered as.
RDF_ONLY = {key: RESOURCE_FORMATS[key] for key in ("ttl", "nt", "rdf", "jsonld")}
CORS = {"Access-Control-Allow-Origin": "*"}


def _accept_entries(request: Request) -> list[tuple[str, float | None]]:
    """(media type, weight) of each entry of the Accept header: weight 1.0 when none is given,
    None when it is malformed (q=1.2.3)."""
    entries = []
    for part in request.headers.get("accept", "").split(","):
        media, _, params = part.strip().partition(";")
        q: float | None = 1.0
        m = re.search(r"q=([0-9.]+)", params)
        if m:
            try:
                q = float(m.group(1))
            except ValueError:
                q = None
        entries.append((media.strip(), q))
    return entries


def _matches(media: str, mime: str) -> int:
    """How specifically the Accept entry *media* names *mime*: 3 exactly, 2 by ``type/*``,
    1 by ``*/*``, 0 not at all."""
    mime = mime.split(";")[0].lower()
    media = media.lower()
    if media == mime:
        return 3
    if media.endswith("/*") and media != "*/*" and mime.startswith(media[:-1]):
        return 2
    return 1 if media == "*/*" else 0


def acceptable(request: Request, choices: dict[str, str]) -> bool:
    """False when the request's Accept names media types and none of *choices* nor a wildcard."""
    if not request.headers.get("accept", "").strip() or request.query_params.get("format") in choices:
        return True
    for media, q in _accept_entries(request):
        if q == 0:
            continue                       # q=0: explicitly not wanted
        if any(_matches(media, mime) for mime in choices.values()):
            return True
    return False


def wants(request: Request, choices: dict[str, str], default: str) -> str:
    """The format a request asks for: ``format=`` parameter, else its Accept header: the entry
    naming one of *choices* exactly or by ``type/*`` with the highest weight (exact before
    ``type/*`` at equal weights; ``type/*`` covering *default* chooses it), else *default*
    (``*/*`` or nothing named). An entry with q=0 or a malformed weight chooses nothing."""
    asked = request.query_params.get("format")
    if asked in choices:
        return asked
    best, best_rank = default, (0.0, 0)
    for media, q in _accept_entries(request):
        if not q:
            continue
        for key in ([default] if default in choices and _matches(media, choices[default]) == 2 else choices):
            specific = _matches(media, choices[key])
            if specific >= 2 and (q, specific) > best_rank:
                best, best_rank = key, (q, specific)
    return best


def negotiated(request: Request, choices: dict[str, str], default: str) -> str | None:
    """The format of *choices* to answer with, or None when the request accepts none (406)."""
    return wants(request, choices, default) if acceptable(request, choices) else None


def not_acceptable(choices: dict[str, str]) -> PlainTextResponse:
    offered = ", ".join(dict.fromkeys(mime.split(";")[0] for mime in choices.values()))
    return PlainTextResponse(f"406 Not Acceptable: offered {offered}", status_code=406,
                             headers={"Vary": "Accept", **CORS})


def link_header(canonical: str, local: str | None, suffixes, fmt: str) -> str:
    """A Link header: the *canonical* IRI and, at *local* (a path) with each of *suffixes* but
    *fmt*'s, its alternates with their media types."""
    links = [f'<{quote(canonical, safe=":/#%~()")}>; rel="canonical"']
    if local:
        links += [f'<{local}.{suffix}>; rel="alternate"; type="{RESOURCE_FORMATS[suffix].split(";")[0]}"'
                  for suffix in suffixes if suffix != fmt]
    return ", ".join(links)


def rdf_response(g, fmt: str) -> Response:
    """*g* as *fmt* (a key of RESOURCE_FORMATS but html); JSON-LD carries a @context of the
    project's prefixes, and application/json gets the same JSON-LD."""
    return Response(serialized(g, fmt), media_type=RESOURCE_FORMATS[fmt])
