"""``budgetkg synth``: a synthetic province corpus with planted defects."""

from __future__ import annotations

import sys
from pathlib import Path

import click


from budgetkg.cli import main
from budgetkg.errors import SynthError


@main.command()
@click.option("-n", "--departments", type=click.IntRange(1), required=True, help="How many disclosures.")
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="Budget year.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Output directory.")
@click.option("--pdf", is_flag=True, help="Write PDFs instead of texts (needs reportlab: budgetkg[pdf]).")
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed writes the same corpus.")
@click.option("--defects", "defect_share", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Share of documents that get a planted defect (listed in manifest.json).")
@click.option("--styles", default="tsv,wrapped,raw", show_default=True,
              help="Text styles to draw from (comma-separated): tsv, wrapped, raw.")
@click.option("--phase", type=click.Choice(["budget", "final", "both"]), default="budget", show_default=True,
              help="Budgets (部门预算), their final accounts (部门决算, the national nine tables), or both.")
@click.option("--years", type=click.IntRange(1, 20), default=1, show_default=True,
              help="Consecutive budget years from --year, each stating last year's figures as the year before "
                   "printed them; --defects then plants cross-year and consolidation defects.")
@click.option("--unit-budgets", "unit_share", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Share of the departments with units whose units also publish their own budgets (单位预算), "
                   "which add up to the department's.")
def synth(departments, year, out_dir, pdf, seed, defect_share, styles, phase, years, unit_share):
    """Generate a synthetic province corpus: disclosures of departments of the region, its
    prefectures and counties, whose tables add up, whose projects cite a shared pool of
    policy documents, with a manifest of planted defects for scoring validation. With
    --phase final or both, each department's final account of the year too. With --years or
    --unit-budgets, budgets over several years and units' budgets beside their departments'."""
    from budgetkg.synth.corpus import write_corpus, write_years
    styles_used = tuple(s.strip() for s in styles.split(",") if s.strip())
    try:
        if years > 1 or unit_share:
            if pdf or phase != "budget":
                raise SynthError("--years and --unit-budgets write budgets as text: leave out --pdf and --phase")
            write_years(Path(out_dir), departments, year, years, seed, defect_share, styles_used, unit_share,
                        report=lambda line: click.echo(line, err=True))
            return
        write_corpus(Path(out_dir), departments, year, seed, defect_share, pdf,
                     styles_used,
                     report=lambda line: click.echo(line, err=True), phase=phase)
    except ImportError as exc:
        click.echo(f"error: --pdf needs reportlab (pip install 'budgetkg[pdf]'): {exc}", err=True)
        sys.exit(2)
    except SynthError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)

