"""One error hierarchy, each error carrying where it happened (file, page, line)."""

from __future__ import annotations


class BudgetKGError(Exception):
    """Base class of every error budgetkg raises on purpose."""


class DisclosureError(BudgetKGError):
    """A problem with one input document, located as precisely as we can."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 page: int | None = None):
        self.message = message
        self.path = path
        self.page = page
        self.line = line
        super().__init__(self.located())

    def located(self) -> str:
        where = [self.path or "<input>"]
        if self.page is not None:
            where.append(f"page {self.page}")
        if self.line is not None:
            where.append(f"line {self.line}")
        return f"{': '.join([', '.join(where), self.message])}"


class NotADisclosure(DisclosureError):
    """The input is readable text but not a department budget disclosure."""


class EmptyInput(DisclosureError):
    """The input file has no content."""


class TruncatedDisclosure(DisclosureError):
    """The input starts like a disclosure but stops before its tables are complete."""


class TooLarge(DisclosureError):
    """The input is larger than the size limit (``--max-bytes``); it is not read."""


class UnreadablePdf(DisclosureError):
    """A PDF whose text cannot be read or trusted: not a PDF, encrypted, corrupt, scanned, garbled."""


class UnknownQuery(BudgetKGError):
    """A canned query name that is not in queries/."""


class StoreError(BudgetKGError):
    """The triple store (embedded directory or SPARQL endpoint) failed or refused an operation."""


class TruncatedResult(StoreError):
    """A SPARQL server returned a partial result (timeout, row cap); it is never used as complete."""


class NotFound(BudgetKGError):
    """No resource of that name in the data (the site answers 404)."""


class ParameterError(BudgetKGError):
    """A query parameter that is missing, unknown, or not a valid value of its declared type."""


class CodeListError(DisclosureError):
    """A code list given with --code-list that cannot be read (names the file and line)."""


class SynthError(BudgetKGError):
    """A synthetic corpus that cannot be generated as asked (departments, styles, phases, year)."""
