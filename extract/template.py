"""Table kinds and family templates, read from ontology/templates/*.toml.

A *kind* is what a table is (the ontology's: 部门支出总表, 一般公共预算基本支出表, “三公”经费表 …),
with its columns, their arithmetic and the national words that name it. A *family* template is
how one province or level prints its disclosures: which kinds, under which titles and numbers,
with which columns in which order, and under which section headings. Every stage that needs to
know what a table looks like reads it from here; no stage keeps its own copy.

This module gathers what the three modules beside it define:

- ``template_model``: the kinds, families and table layouts, and their loading from the files;
- ``table_titles``: recognising a table's kind by its printed title;
- ``column_keys``: naming a column by its printed header, and the identities among the columns.
"""

from __future__ import annotations

from budgetkg.extract.column_keys import column_key, identities_for, qualify
from budgetkg.extract.table_titles import is_final_title, kind_of_title, title_core
from budgetkg.extract.template_model import (COLUMN_BASE, DEFAULT_FAMILY, FAMILY_BASE, PERIOD_PREFIXES, ColumnDef,
                                             Family, Item, Kind, TableLayout, TemplateError, Vocabulary, base_key,
                                             default_layout, families, family, kind, kinds, load_family,
                                             templates_dir, vocabulary)

__all__ = [
    "COLUMN_BASE", "DEFAULT_FAMILY", "FAMILY_BASE", "PERIOD_PREFIXES", "ColumnDef", "Family", "Item", "Kind",
    "TableLayout", "TemplateError", "Vocabulary", "base_key", "column_key", "default_layout", "families", "family",
    "identities_for", "is_final_title", "kind", "kind_of_title", "kinds", "load_family", "qualify",
    "templates_dir", "title_core", "vocabulary",
]
