"""The hostile corpus: every case's exact output is its specification (tests/hostile/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile.harness import CASES, case_names, discard_review, expected_lines, keep_for_review, prepare, run_validate


@pytest.mark.parametrize("name", case_names())
def test_case_output_is_exactly_as_expected(name: str, tmp_path: Path) -> None:
    case = CASES / name
    prepare(case, tmp_path)
    actual = run_validate(tmp_path)
    if actual != expected_lines(case):
        changed = keep_for_review(case, actual)
        pytest.fail(
            f"the output differs from {case.name}/expected.txt; see `diff {case}/expected.txt {changed}/expected.txt`, "
            "and refresh with `python -m tests.hostile.refresh` only if the change is wanted\n"
            + "\n".join(f"expected: {line}" for line in expected_lines(case))
            + "\n"
            + "\n".join(f"actual:   {line}" for line in actual)
        )
    discard_review(case)
