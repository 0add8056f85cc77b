"""Command line: ``budgetkg build | load | query | queries | extract | validate``.

Exit codes (as pySHACL): 0 success; 1 ``validate`` found violations, or ``query`` was asked
to describe a resource the store knows nothing about; 2 errors (a file that could not be
read or loaded, a store or query that failed, bad options).
Errors name the file and the place; the other files of a batch are still processed.
"""

from __future__ import annotations

import logging
import sys

import click

from budgetkg import __version__

_VERBOSE_HELP = "Log stage counts and timings (-vv for debug)."


def _verbosity(ctx, param, value) -> int:
    if value:
        logging.getLogger().setLevel([logging.WARNING, logging.INFO, logging.DEBUG][min(value, 2)])
    return value


class Commands(click.Group):
    """The command group; every command also takes -v, so that `budgetkg build -v` works as
    `budgetkg -v build` does."""

    def add_command(self, cmd, name=None):
        if not any(p.name == "verbose" for p in cmd.params):
            cmd.params.append(click.Option(["-v", "--verbose"], count=True, expose_value=False,
                                           callback=_verbosity, help=_VERBOSE_HELP))
        super().add_command(cmd, name)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="budgetkg")
@click.option("-v", "--verbose", count=True, help=_VERBOSE_HELP)
def main(verbose: int) -> None:
    """budgetkg: department budget disclosures (部门预算公开) as a knowledge graph."""
    logging.basicConfig(level=[logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)],
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


# The commands register themselves on `main` when their modules are imported.
from budgetkg.cli import auditing, building, extracting, storing, synth, web  # noqa: E402

COMMANDS = (extracting, building, storing, auditing, web, synth)
