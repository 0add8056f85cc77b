"""The PDF reader: born-digital disclosure PDFs into the same lines as the text renderings."""

from budgetkg.extract.pdf.reader import read_pdf

__all__ = ["read_pdf"]
