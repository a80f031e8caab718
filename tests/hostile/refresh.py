"""Rewrite the expected output of golden cases: `python -m tests.hostile.refresh [CASE ...]`.

Run it only after a deliberate change of wording, then read the diff (`git diff tests/hostile`)
before committing: the expected files are the specification. CI never runs this.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.hostile.harness import CASES, case_names, prepare, run_validate


def refresh(names: list[str]) -> int:
    unknown = sorted(set(names) - set(case_names()))
    if unknown:
        print(f"unknown case(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    for name in names or case_names():
        case = CASES / name
        with tempfile.TemporaryDirectory() as tmp:
            prepare(case, Path(tmp))
            lines = run_validate(Path(tmp))
        target = case / "expected.txt"
        text = "\n".join(lines) + "\n"
        old = target.read_text(encoding="utf-8") if target.exists() else None
        if old != text:
            target.write_text(text, encoding="utf-8")
            print(f"updated {target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target}")
    return 0


if __name__ == "__main__":
    sys.exit(refresh(sys.argv[1:]))
