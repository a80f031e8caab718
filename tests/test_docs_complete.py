"""Docs and code check each other: every error code, command and option is documented, and the
examples in the format reference are valid records."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from explainer.checking.dataset import check_file
from explainer.commands import cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "explainer" / "docs"
ERRORS = DOCS / "errors.md"
FORMAT = DOCS / "format.md"

# How a diagnostic code is written in explainer/: the argument after the line and column of
# report.error/warning(...) and of the loader's _problem(...); the loader's _report(event, code);
# `code = "..."` in model_errors; Diagnostic(..., Severity.X, "code", ...).
_CODE_PATTERNS = [
    re.compile(r"\.(?:error|warning)\((?:[^\"]|\n)*?,\s*\"([a-z0-9]+(?:-[a-z0-9]+)*)\","),
    re.compile(r"_problem\((?:[^\"]|\n)*?,\s*\"([a-z0-9]+(?:-[a-z0-9]+)*)\","),
    re.compile(r"_report\(\s*\w+,\s*\"([a-z0-9]+(?:-[a-z0-9]+)*)\""),
    re.compile(r"\bcode = \"([a-z0-9]+(?:-[a-z0-9]+)*)\""),
    re.compile(r"Severity\.\w+,\s*\"([a-z0-9]+(?:-[a-z0-9]+)*)\""),
]


def diagnostic_codes() -> dict[str, set[str]]:
    codes: dict[str, set[str]] = {}
    for path in sorted((ROOT / "explainer").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern in _CODE_PATTERNS:
            for match in pattern.finditer(text):
                codes.setdefault(match.group(1), set()).add(str(path.relative_to(ROOT)))
    return codes


def test_the_code_scan_finds_the_codes_it_should() -> None:
    codes = diagnostic_codes()
    # One from each way of writing a code, so that a broken pattern cannot pass silently.
    for expected in ("duplicate-key", "yaml-syntax", "missing-key", "unknown-id", "missing-file", "archive-missing"):
        assert expected in codes


@pytest.mark.parametrize("code", sorted(diagnostic_codes()))
def test_every_diagnostic_code_is_explained_in_errors_md(code: str) -> None:
    text = ERRORS.read_text(encoding="utf-8")
    assert f"`{code}`" in text, f"{code} (used in {sorted(diagnostic_codes()[code])}) is not in docs/errors.md"


def _commands_and_options() -> list[tuple[str, str]]:
    parser = cli._parser()
    found = [("explainer", option) for action in parser._actions for option in action.option_strings]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((name, f"explainer {name}"))
                for sub_action in sub._actions:
                    found += [(name, option) for option in sub_action.option_strings if option not in ("-h", "--help")]
                    if not sub_action.option_strings:
                        found.append((name, sub_action.metavar or sub_action.dest))
    return [(command, text) for command, text in found if text not in ("-h", "--help")]


@pytest.mark.parametrize(("command", "text"), _commands_and_options())
def test_every_command_and_option_is_documented(command: str, text: str) -> None:
    docs = "\n".join(path.read_text(encoding="utf-8") for path in sorted(DOCS.rglob("*.md")))
    assert text in docs, f"'{text}' of `explainer {command}` is not documented in docs/"


def _yaml_examples() -> list[tuple[str, str]]:
    """(kind, text) of every ```yaml block of format.md, the kind taken from the heading above it."""
    examples = []
    kind = ""
    for block in re.split(r"^(## .*)$", FORMAT.read_text(encoding="utf-8"), flags=re.MULTILINE):
        heading = re.match(r"## (site\.yaml|(actors|events|questions|places|sources)/)", block)
        if block.startswith("## "):
            kind = (heading.group(2) or "site") if heading else ""
            continue
        if kind:
            examples += [(kind, text) for text in re.findall(r"```yaml\n(.*?)```", block, flags=re.DOTALL)]
    return examples


def test_format_md_has_an_example_of_every_kind() -> None:
    assert {kind for kind, _ in _yaml_examples()} == {"site", "actors", "events", "questions", "places", "sources"}


@pytest.mark.parametrize(("kind", "text"), _yaml_examples())
def test_format_md_examples_are_valid_records(kind: str, text: str) -> None:
    _, model, result = check_file(text.encode("utf-8"), kind)
    problems, _, valid = result
    assert valid, problems
    assert model is not None
