"""Run one golden case of the hostile corpus: build its data folder, validate it, capture the output.

A case is a folder under `cases/`:

- `data/`        files laid over the valid base folder `base/data/` (same relative paths);
- `archive/`     optional: archived source texts, passed as `--archive archive`;
- `omit.txt`     optional: base files to delete, one relative path (`data/...`) a line;
- `generate.py`  optional: `generate(workdir: Path) -> None` writes inputs too large, too deep
                 or too byte-exact to commit (tens of MB, 50,000 levels, UTF-16);
- `expected.txt` the exact output of `explainer validate --data data [--archive archive]`
                 run from the prepared folder: `exit: N`, then every line it printed.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import shutil
from pathlib import Path

from explainer.commands import cli

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
BASE = HERE / "base"


def case_names() -> list[str]:
    """Every case folder (`<case>-changed/` folders are a failed run's output, not cases)."""
    return sorted(
        p.name for p in CASES.iterdir() if p.is_dir() and not p.name.startswith(".") and not p.name.endswith("-changed")
    )


def prepare(case: Path, workdir: Path) -> None:
    """Lay the case over a copy of the base folder in `workdir`."""
    shutil.copytree(BASE / "data", workdir / "data")
    for folder in ("data", "archive"):
        if (case / folder).is_dir():
            shutil.copytree(case / folder, workdir / folder, dirs_exist_ok=True)
    omit = case / "omit.txt"
    if omit.is_file():
        for line in omit.read_text(encoding="utf-8").splitlines():
            if line.strip():
                (workdir / line.strip()).unlink()
    generator_file = case / "generate.py"
    if generator_file.is_file():
        spec = importlib.util.spec_from_file_location(f"hostile_case_{case.name.replace('-', '_')}", generator_file)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.generate(workdir)


def run_validate(workdir: Path) -> list[str]:
    """`explainer validate` in `workdir`, as an editor would run it; never under GitHub Actions."""
    argv = ["validate", "--data", "data", "--no-cache"]
    if (workdir / "archive").is_dir():
        argv += ["--archive", "archive"]
    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.pop("GITHUB_ACTIONS", None)
    try:
        with contextlib.chdir(workdir), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(argv)
    finally:
        if saved is not None:
            os.environ["GITHUB_ACTIONS"] = saved
    return [f"exit: {code}", *err.getvalue().splitlines(), *out.getvalue().splitlines()]


def expected_lines(case: Path) -> list[str]:
    return (case / "expected.txt").read_text(encoding="utf-8").splitlines()


def keep_for_review(case: Path, lines: list[str]) -> Path:
    """After a mismatch: write what the run printed to `<case>-changed/expected.txt` (git ignores it),
    so that `diff -r` shows the change; refresh only if the change is wanted."""
    changed = case.with_name(case.name + "-changed")
    changed.mkdir(exist_ok=True)
    (changed / "expected.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return changed


def discard_review(case: Path) -> None:
    changed = case.with_name(case.name + "-changed")
    if changed.is_dir():
        (changed / "expected.txt").unlink(missing_ok=True)
        changed.rmdir()
