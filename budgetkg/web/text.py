"""How the site writes text: every literal HTML-escaped (:func:`esc`), every amount exact as
printed, in 万元 (:func:`format_amount`)."""

from __future__ import annotations

import html
from decimal import Decimal, InvalidOperation


def format_amount(value) -> str:
    """1234.5 → 1,234.50 万元 (exact: the printed two decimals; more are kept). *value* is a
    Decimal or its lexical form; anything else is returned as it is."""
    try:
        d = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    if not d.is_finite():
        return str(value)
    places = max(2, -d.as_tuple().exponent)
    return f"{d:,.{places}f} 万元"


def esc(text) -> str:
    return html.escape(str(text), quote=True)
