"""budgetkg.extract: a disclosure (text or PDF) → records → RDF, and nothing else.

Reading (``pdf/``, ``normalize``, ``segment``), recognising what each part is (``template``,
``wording``, ``identity``), the tables (``tables/``), the narrative parts (``narrative/``) and
emission (``emit/``). ``pipeline`` runs these stages for one document. Nothing here imports the
store, the audit or the web packages (a test checks the import graph).
"""
