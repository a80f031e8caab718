"""Print the part of requirements/lock.txt that running `explainer` needs, hashes and all.

The lock pins every package of every extra (tests, linters, chart images): installing it all
takes most of a minute. The pull-request workflow's first job only validates the data, so it
installs the runtime dependencies of pyproject.toml, the packages they pull in and the build
backend, exactly as locked. Which locked package needs which is read from pip-compile's
`# via` notes, so nothing outside the lock is ever chosen; `pip check` after the install
proves the subset complete.

    python3 .github/scripts/lock_subset.py > runtime-lock.txt
    pip install --require-hashes --no-deps --only-binary :all: -r runtime-lock.txt

Exit codes: 0 written, 1 the lock does not pin a runtime dependency (run `make lock`).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "explainer"
BUILD = f"{PROJECT} (pyproject.toml::build-system.requires)"


def normalise(name: str) -> str:
    """PEP 503: `PyYAML`, `pyyaml` and `py_yaml` name one project."""
    return re.sub(r"[-_.]+", "-", name.lower())


def requirement_name(requirement: str) -> str:
    return normalise(re.split(r"[^A-Za-z0-9._-]", requirement.strip(), maxsplit=1)[0])


def parse_lock(text: str) -> dict[str, tuple[str, set[str]]]:
    """Each locked package: its whole entry (pin, hashes, notes) and what it is there for."""
    packages: dict[str, tuple[str, set[str]]] = {}
    for entry in re.split(r"\n(?=[A-Za-z0-9])", text):
        first = entry.split(maxsplit=1)[0] if entry.strip() else ""
        if "==" not in first:
            continue
        parents: set[str] = set()
        via = False
        for line in entry.splitlines():
            note = line.strip()
            if note.startswith("# via"):
                via = True
                rest = note.removeprefix("# via").strip()
                if rest:
                    parents.add(rest)
            elif via and note.startswith("#   "):
                parents.add(note.removeprefix("#").strip())
            elif via and not note.startswith("#"):
                via = False
        kept = entry.split("\n# The following packages", 1)[0].rstrip()
        packages[normalise(first.split("==")[0])] = (kept, parents)
    return packages


def runtime_subset(lock: str, dependencies: list[str]) -> list[str]:
    """The lock entries of `dependencies`, of what they pull in, and of the build backend."""
    packages = parse_lock(lock)
    missing = sorted({requirement_name(r) for r in dependencies} - set(packages))
    if missing:
        raise LookupError(f"the lock does not pin {', '.join(missing)}: run `make lock`")
    needed: set[str] = set()
    wanted = [requirement_name(r) for r in dependencies]
    wanted += [name for name, (_, parents) in packages.items() if BUILD in parents]
    while wanted:
        name = wanted.pop()
        if name in needed:
            continue
        needed.add(name)
        wanted += [child for child, (_, parents) in packages.items() if name in {normalise(p) for p in parents}]
    return [packages[name][0] for name in sorted(needed)]


def main() -> int:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lock = (ROOT / "requirements" / "lock.txt").read_text(encoding="utf-8")
    try:
        entries = runtime_subset(lock, pyproject["project"]["dependencies"])
    except LookupError as exc:
        print(f"lock_subset: error: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write("\n".join(entries) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
