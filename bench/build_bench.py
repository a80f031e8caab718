"""Build time and peak memory of `explainer build`, by stage, beside a bare `mkdocs build` of the
same generated Markdown.

    .venv/bin/python bench/build_bench.py                 # shipped data, 1,000 and 10,000 events
    .venv/bin/python bench/build_bench.py --sizes 1000    # quicker
    .venv/bin/python bench/build_bench.py --repeat 3      # median of three runs

Synthetic folders come from `bench/synth.py` (same seed, so the same folder every time) and are
kept in bench/out/. Each measurement runs in a fresh Python process, so its peak memory (max RSS)
is its own: "generator" is the explainer process; "children" the largest process it started
(MkDocs, or the Chromium that kaleido drives for the charts' static images; a child's max RSS
counts from the fork, so it is never below the generator's size at that moment); "bare mkdocs"
is MkDocs alone on the same folder.
The goal: the generator adds under 15% to the site engine's own time, and cost grows linearly.
"added" is (build total - bare mkdocs) / bare mkdocs; "generator / bare" is the time of the
generator's own stages (everything but "site") over the bare engine's time, which does not
move with the engine's own run-to-run noise. Builds and bare runs alternate in order.
Results are printed as a Markdown table and written to bench/out/build.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))


def _peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


# --- the measured children -----------------------------------------------------------------------


def child_build(data: str, work: str) -> dict[str, Any]:
    """One `explainer build` in this process: stage timings, peak memory of each process."""
    from explainer.checking.validate import validate_data
    from explainer.commands.build import Progress, build_site

    progress = Progress()
    start = time.perf_counter()
    with progress.stage("validate"):
        dataset, report = validate_data(Path(data))
    if not report.ok:
        raise SystemExit(f"{data} is not valid: {report.summary()}")
    pages = build_site(dataset, Path(work) / "site", progress, keep_build=Path(work) / "build")
    return {
        "pages": pages,
        "total": time.perf_counter() - start,
        "stages": dict(progress.timings),
        "generator_mib": _peak_mib(resource.RUSAGE_SELF),
        "engine_mib": _peak_mib(resource.RUSAGE_CHILDREN),
    }


def child_mkdocs(build_dir: str, site_dir: str) -> dict[str, Any]:
    """A bare `mkdocs build --strict` of the kept build folder, run exactly as the build's
    "site" stage runs it (a subprocess), so the difference is what the generator adds."""
    from explainer.site.engine import run_mkdocs

    start = time.perf_counter()
    run_mkdocs(Path(build_dir), Path(site_dir), epoch=0)
    return {"total": time.perf_counter() - start, "engine_mib": _peak_mib(resource.RUSAGE_CHILDREN)}


def _run_child(*args: str) -> dict[str, Any]:
    env = dict(os.environ, PYTHONHASHSEED="0")
    # As installed: MkDocs and the other packages come with compiled bytecode, and so must the
    # generator's own modules (this machine sets PYTHONDONTWRITEBYTECODE, which would make every
    # run compile them again).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, env=env, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"child {args} failed:\n{result.stderr[-4000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


# --- the benchmark -------------------------------------------------------------------------------


def dataset_folder(name: str) -> Path:
    if name == "shipped":
        return ROOT / "data"
    events = int(name)
    folder = OUT / f"synth-{events}"
    if not folder.is_dir():
        sys.path.insert(0, str(ROOT / "bench"))
        from synth import write_folder

        write_folder(folder, events, seed=1)
    return folder


def measure(name: str, repeat: int) -> dict[str, Any]:
    data = dataset_folder(name)
    builds, bares = [], []
    with tempfile.TemporaryDirectory(prefix="explainer-bench-") as work:
        # The order alternates (build then bare, bare then build), so that whatever one run
        # leaves the next (files still being written back to the disk, a warm cache) does not
        # always fall on the same side. The bare run takes the latest generated folder.
        for run in range(repeat):
            folder = Path(work) / str(run)
            latest = Path(work) / str(run - 1) / "build"
            if run % 2 == 1 and latest.is_dir():
                bares.append(_run_child("mkdocs", str(latest), str(folder / "bare")))
                builds.append(_run_child("build", str(data), str(folder)))
            else:
                builds.append(_run_child("build", str(data), str(folder)))
                bares.append(_run_child("mkdocs", str(folder / "build"), str(folder / "bare")))
    names = list(dict.fromkeys(stage for b in builds for stage in b["stages"]))
    stages = {stage: statistics.median(b["stages"].get(stage, 0.0) for b in builds) for stage in names}
    total = statistics.median(b["total"] for b in builds)
    bare = statistics.median(b["total"] for b in bares)
    return {
        "dataset": name,
        "events": sum(1 for _ in (data / "events").glob("*.yaml")),
        "pages": builds[0]["pages"],
        "total_s": total,
        "stages_s": stages,
        "generator_s": total - stages.get("site", 0.0),
        "bare_mkdocs_s": bare,
        "overhead": (total - bare) / bare,
        "generator_mib": max(b["generator_mib"] for b in builds),
        "engine_mib": max(b["engine_mib"] for b in builds),
        "bare_mkdocs_mib": max(b["engine_mib"] for b in bares),
    }


def table(rows: list[dict[str, Any]]) -> str:
    stage_names = list(rows[0]["stages_s"])
    head = ["data", "events", "pages", *stage_names, "build total", "bare mkdocs", "added", "generator / bare"]
    head.append("peak MiB (generator / children / bare mkdocs)")
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for row in rows:
        cells = [
            row["dataset"],
            f"{row['events']:,}",
            f"{row['pages']:,}",
            *(f"{row['stages_s'][s]:.2f}" for s in stage_names),
            f"{row['total_s']:.1f} s",
            f"{row['bare_mkdocs_s']:.1f} s",
            f"{row['overhead']:+.0%}",
            f"{row['generator_s'] / row['bare_mkdocs_s']:.0%}",
            f"{row['generator_mib']:.0f} / {row['engine_mib']:.0f} / {row['bare_mkdocs_mib']:.0f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="synthetic folder sizes in events (comma-separated)")
    parser.add_argument("--no-shipped", action="store_true", help="skip the shipped data folder")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        result = child_build(*rest) if kind == "build" else child_mkdocs(*rest)
        print(json.dumps(result))
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    names = ([] if args.no_shipped else ["shipped"]) + [s for s in args.sizes.split(",") if s]
    rows = []
    for name in names:
        print(f"measuring {name}…", file=sys.stderr, flush=True)
        rows.append(measure(name, args.repeat))
        print(table(rows[-1:]), file=sys.stderr)
    (OUT / "build.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
