"""The hostile corpus: every case's exact output is its specification (tests/hostile/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile.harness import CASES, case_names, expected_lines, prepare, run_validate


@pytest.mark.parametrize("name", case_names())
def test_case_output_is_exactly_as_expected(name: str, tmp_path: Path) -> None:
    case = CASES / name
    prepare(case, tmp_path)
    assert run_validate(tmp_path) == expected_lines(case)
