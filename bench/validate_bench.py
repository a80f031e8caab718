"""How long `explainer validate` takes, and how much memory, on synthetic data folders.

    python bench/validate_bench.py [--events 1000 10000] [--repeat 3] [--keep DIR]

For each size it writes a data folder (bench/synth.py), then runs the real command in a fresh
process, as an editor would, in four situations:

- cold, no cache      `explainer validate --no-cache`: every file parsed
- cold, empty cache   the first run after a clone: every file parsed, the cache written
- warm, unchanged     nothing changed since the last run
- warm, one changed   one event file edited since the last run

and reports the best and the median wall time (on a shared machine the best is the figure that
other jobs disturbed least), the best CPU time (the command and its worker processes) and the
peak resident memory (of the command, and of its largest worker). A last table splits a cold
run into its stages, measured one after the other in one fresh process, to show what dominates.

The machine's load is printed too: on a shared machine wall times are only as good as it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import synth  # type: ignore[import-not-found]  # noqa: E402 - bench/ is not a package; synth.py sits beside it


def run_once(data: Path, no_cache: bool) -> dict[str, float]:
    """One `explainer validate` in this process (started fresh by `measure`); its own figures."""
    started = time.perf_counter()
    from explainer.commands import cli

    with open(os.devnull, "w") as sink:
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = sink
        try:
            code = cli.main(["validate", "--data", str(data), *(["--no-cache"] if no_cache else [])])
        finally:
            sys.stdout, sys.stderr = saved
    me = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "exit": code,
        "inner_wall": time.perf_counter() - started,
        "cpu": me.ru_utime + me.ru_stime + workers.ru_utime + workers.ru_stime,
        "rss_mb": me.ru_maxrss / 1024,
        "worker_rss_mb": workers.ru_maxrss / 1024,
    }


def measure(data: Path, cache_dir: Path, no_cache: bool = False) -> dict[str, float]:
    """Run `run_once` in a new interpreter; the wall time includes starting Python."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_dir), "PYTHONPATH": str(ROOT)}
    env.pop("GITHUB_ACTIONS", None)
    command = [sys.executable, __file__, "--once", str(data)] + (["--no-cache"] if no_cache else [])
    started = time.perf_counter()
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    figures: dict[str, float] = json.loads(output)
    figures["wall"] = time.perf_counter() - started
    if figures["exit"] != 0:
        raise SystemExit(f"validate failed on {data}: exit {figures['exit']}")
    return figures


def edit_one_event(data: Path, round_number: int) -> None:
    """Change one event's title, as an editor would (a new mtime and new content)."""
    path = sorted((data / "events").iterdir())[len(list((data / "events").iterdir())) // 2]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = f"title: Edited in round {round_number}\n"
    path.write_text("".join(lines), encoding="utf-8")


def age_files(data: Path, seconds: int = 3600) -> None:
    """Date every file an hour back, as after a checkout: their stat is then trusted by the cache."""
    past = time.time() - seconds
    for path in data.rglob("*"):
        os.utime(path, (past, past))


def scenarios(data: Path, work: Path, repeat: int) -> dict[str, list[dict[str, float]]]:
    cache = work / "cache"
    results: dict[str, list[dict[str, float]]] = {name: [] for name in SCENARIOS}
    for round_number in range(repeat):
        shutil.rmtree(cache, ignore_errors=True)
        results["cold, no cache"].append(measure(data, cache, no_cache=True))
        results["cold, empty cache"].append(measure(data, cache))
        results["warm, unchanged"].append(measure(data, cache))
        edit_one_event(data, round_number)
        results["warm, one changed"].append(measure(data, cache))
        age_files(data)
    return results


SCENARIOS = ("cold, no cache", "cold, empty cache", "warm, unchanged", "warm, one changed")


def stages(data: Path) -> list[tuple[str, float]]:
    """A cold run's stages, one after the other in one process (no workers, no cache)."""
    timings: list[tuple[str, float]] = []

    def timed(name: str, started: float) -> float:
        now = time.perf_counter()
        timings.append((name, now - started))
        return now

    t = time.perf_counter()
    from explainer.checking import yaml_loader as loader
    from explainer.checking.archive import locate_archive
    from explainer.checking.crossref import Entry, check_records
    from explainer.checking.folder import scan_folder
    from explainer.checking.models import RECORD_MODELS, Site
    from explainer.checking.record_facts import extract_facts
    from explainer.core.diagnostics import Report

    t = timed("import the models (pydantic)", t)
    report = Report()
    listing = scan_folder(data, str(data), report)
    t = timed("list the folder", t)
    raws = [(file, Path(file.file).read_bytes()) for file in listing.files]
    t = timed(f"read {len(raws)} files", t)
    from yaml._yaml import CParser

    for _, raw in raws:
        parser = CParser(raw.decode("utf-8"))
        while parser.get_event().__class__.__name__ != "StreamEndEvent":
            pass
    t = timed("libyaml events alone (lower bound of parsing)", t)
    documents = [(file, loader.load_document(raw, file.path)[0]) for file, raw in raws]
    t = timed("parse: events composed into values with positions", t)
    models = []
    for file, document in documents:
        assert document is not None
        model = Site if file.collection == "site" else RECORD_MODELS[file.collection]
        models.append(model.model_validate(document.data))
    t = timed("check each record against its model (pydantic)", t)
    entries = [
        Entry(file.collection, file.id, file.path, extract_facts(file.collection, document), True)
        for file, document in documents
        if file.collection != "site" and document is not None
    ]
    t = timed("extract the facts the checks across records need", t)
    check_records(entries, [], report, locate_archive(data, str(data), None, None))
    t = timed("check references, stances, quotes across records", t)
    # The copied-prose check, as `validate` runs it when an archive is present: the index of the
    # archived texts built in this process, then every record's prose (from the facts) against it.
    from copying import make_corpus  # type: ignore[import-not-found]  # bench/copying.py, beside this script

    from explainer.checking.crossref import _check_copying

    texts, _ = make_corpus(10, 5)
    t = time.perf_counter()
    _check_copying(entries, [], texts, report)
    timed("copied prose: every record's prose against 5 archived texts of 8 KB", t)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the data folders here (default: a temporary folder)")
    parser.add_argument("--once", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stages", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-cache", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.once:
        print(json.dumps(run_once(args.once, args.no_cache)))
        return 0
    if args.stages:
        print(json.dumps(stages(args.stages)))
        return 0

    print(f"# explainer validate: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        for events in args.events:
            data = work / f"data-{events}"
            if not data.exists():
                synth.write_folder(data, events)
            age_files(data)
            files = sum(1 for _ in data.rglob("*.yaml"))
            print(f"\n## {events} events ({files} files)\n")
            print("| run | wall, best | wall, median | CPU, best | peak memory | largest worker |")
            print("| --- | ---: | ---: | ---: | ---: | ---: |")
            for name, runs in scenarios(data, work / f"work-{events}", args.repeat).items():
                best = min(r["wall"] for r in runs)
                median = statistics.median(r["wall"] for r in runs)
                cpu = min(r["cpu"] for r in runs)
                rss = max(r["rss_mb"] for r in runs)
                worker = max(r["worker_rss_mb"] for r in runs)
                print(f"| {name} | {best:.2f} s | {median:.2f} s | {cpu:.2f} s | {rss:.0f} MB | {worker:.0f} MB |")
            print("\nStages of one cold run (one process, no cache):\n")
            print("| stage | time |")
            print("| --- | ---: |")
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            command = [sys.executable, __file__, "--stages", str(data)]
            timings = json.loads(subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout)
            for name, seconds in timings:
                print(f"| {name} | {seconds:.2f} s |")
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
