"""What every command prints of a report, and the exit codes they return.

Each problem on a line (`PATH:LINE:COL: severity: message`), then one summary line; GitHub
annotations too under Actions. With `--strict` a warning counts as an error: the verdict says
so on the summary's next line.
"""

from __future__ import annotations

import os
import sys

from explainer.core.diagnostics import Report

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


def print_report(report: Report) -> None:
    """Each problem on a line, then the summary; annotations too under GitHub Actions."""
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    for line in report.lines(github=False):
        print(line, file=sys.stderr)
    if github:
        for diagnostic in report.diagnostics:
            print(diagnostic.github_annotation())
    if report.diagnostics:
        print(report.summary(), file=sys.stderr)


def passes(report: Report, *, strict: bool) -> bool:
    """Whether the data may be used: no error, and with `strict` no warning either."""
    return report.ok and not (strict and report.warnings)


def print_verdict(report: Report, *, strict: bool) -> bool:
    """`print_report`, then, when only `strict` fails the data, a line saying so; returns
    whether the data passes."""
    print_report(report)
    if report.ok and not passes(report, strict=strict):
        count = len(report.warnings)
        counted = "1 warning counts as an error" if count == 1 else f"{count} warnings count as errors"
        print(f"explainer: --strict: {counted}", file=sys.stderr)
    return passes(report, strict=strict)
