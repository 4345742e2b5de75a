"""Command line: ``recovery-analytics COMMAND``.

The command line only parses options, calls the library and prints: every
command is a thin wrapper over a public function of a stage. Every command
exits 0 on success, 2 on bad input (one clear message, no traceback) and 1 on
other failures, 130 when interrupted (Ctrl-C); ``--debug`` (before the command)
shows the traceback instead of the one-line message. Rows sent to the
quarantine do not fail a run: the command completes, says how many rows went there and writes them.

The commands live in ``_commands`` (demo-data, validate, aged-balance, train,
score, judicial) and ``_weekly`` (call-queue, weekly); the options they share in
``_options``.
"""

from __future__ import annotations

import click

from recovery_analytics.cli._commands import (
    aged_balance_cmd,
    demo_data,
    judicial,
    score,
    train,
    validate,
)
from recovery_analytics.cli._weekly import call_queue, weekly

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="recovery_analytics")
@click.option(
    "--debug", is_flag=True, help="Show the full traceback of an error instead of one line."
)
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Score overdue claims, weigh French court routes, and build call queues.

    A typical week: `validate` the export, `train` the amicable model (when the
    history has grown), then `weekly` for the call queue and the management
    report; `score`, `judicial` and `call-queue` give each table on its own.
    `demo-data` writes a realistic portfolio to try it on. See the README.

    Exit status: 0 success, 1 failure, 2 bad input (one line on stderr; the
    traceback with --debug), 130 interrupted (Ctrl-C).
    """
    ctx.ensure_object(dict)["debug"] = debug


for _command in (demo_data, validate, aged_balance_cmd, train, score, judicial, call_queue, weekly):
    main.add_command(_command)


if __name__ == "__main__":  # pragma: no cover
    main()
