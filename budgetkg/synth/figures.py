"""How the synthetic documents print a figure: cents as 万元, a percentage, a Chinese numeral."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


NUMERALS = "一二三四五六七八九十"


def numeral(n: int) -> str:
    return NUMERALS[n - 1] if n <= 10 else "十" + (NUMERALS[n - 11] if n > 10 else "")


def money(cents: int, style: str = "plain") -> str:
    text = f"{Decimal(cents) / 100:.2f}"
    if style == "tsv":
        whole, frac = text.split(".")
        return f"{int(whole):,}.{frac}"
    return text


def percent(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)
