"""budgetkg: Chinese department budget disclosures (部门预算公开) as a knowledge graph."""

__version__ = "0.1.0"
