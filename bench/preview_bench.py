"""How long a save takes to show in `explainer serve`'s preview, measured in a browser.

    python bench/preview_bench.py                      # the Syria data and 1,000 synthetic events
    python bench/preview_bench.py --data data --rounds 10
    python bench/preview_bench.py --events 1000

For each data folder (copied to a temporary folder first, so the real one is never written):
start `explainer serve`, open an event's page in headless Chromium (Debian's, through
Playwright), then ten times: change the event's title in its YAML file and time from the
moment the file is written to the moment the page in the browser shows the new title (the
preview script notices the new version and reloads the page). Reports the startup time (the
command started to "preview on") and the median, best and worst of the saves; and the same for
a save that breaks the file, until the error banner shows.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("EXPLAINER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run"]
TITLE = re.compile(r"^title: .*$", re.MULTILINE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Serve:
    def __init__(self, data: Path) -> None:
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "explainer", "serve", "--data", str(data), "--port", str(free_port())],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.url = ""
        self.startup = 0.0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))
            if "preview on http" in line and not self.ready.is_set():
                self.startup = time.perf_counter() - self.started
                self.url = line.split("preview on ", 1)[1].split(" ", 1)[0]
                self.ready.set()

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGINT)
        self.process.wait(timeout=30)


def measure(data: Path, label: str, rounds: int) -> dict[str, float | str]:
    from playwright.sync_api import sync_playwright

    event = sorted((data / "events").glob("*.yaml"))[0]
    original = event.read_text(encoding="utf-8")
    serve = Serve(data)
    try:
        if not serve.ready.wait(600):
            raise SystemExit("serve did not start:\n" + "\n".join(serve.lines[-20:]))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"{serve.url}events/{event.stem}/")
            page.wait_for_selector("article h1")
            page.wait_for_timeout(1000)  # the script's first poll
            saves, banners = [], []
            for round_ in range(rounds):
                title = f"Bench title {round_} {time.monotonic_ns()}"
                start = time.perf_counter()
                event.write_text(TITLE.sub(f"title: {title}", original, count=1), encoding="utf-8")
                page.wait_for_function(
                    "t => (document.querySelector('article h1') || {}).textContent?.includes(t)",
                    arg=title,
                    polling=10,
                    timeout=60_000,
                )
                saves.append(time.perf_counter() - start)
                page.wait_for_timeout(300)
            for _ in range(min(rounds, 3)):
                start = time.perf_counter()
                event.write_text(original.replace("title:", "title: [unclosed", 1), encoding="utf-8")
                page.get_by_role("alert").wait_for(timeout=60_000)
                banners.append(time.perf_counter() - start)
                event.write_text(original, encoding="utf-8")
                page.get_by_role("alert").wait_for(state="detached", timeout=60_000)
                page.wait_for_timeout(500)
            browser.close()
    finally:
        serve.stop()
        event.write_text(original, encoding="utf-8")
    rebuilds = [line for line in serve.lines if "explainer serve:" in line and " in " in line]
    return {
        "data": label,
        "startup": serve.startup,
        "median": statistics.median(saves),
        "best": min(saves),
        "worst": max(saves),
        "banner": statistics.median(banners) if banners else float("nan"),
        "last rebuild line": rebuilds[-1] if rebuilds else "",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="measure only this data folder (copied first)")
    parser.add_argument("--events", type=int, help="measure only a synthetic folder of this many events")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="preview-bench-") as temporary:
        folders: list[tuple[Path, str]] = []
        if args.events is None:
            source = Path(args.data) if args.data else ROOT / "data"
            copy = Path(temporary) / "data"
            shutil.copytree(source, copy)
            folders.append((copy, f"{source} (copy)"))
        if args.data is None:
            events = args.events or 1000
            synthetic = Path(temporary) / f"synth-{events}"
            subprocess.run(
                [sys.executable, str(ROOT / "bench" / "synth.py"), str(synthetic), "--events", str(events)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            folders.append((synthetic, f"{events:,} synthetic events"))
        for folder, label in folders:
            results.append(measure(folder, label, args.rounds))
    print(f"| data | startup | save → page, median of {args.rounds} | best | worst | invalid save → banner |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r['data']} | {r['startup']:.1f} s | {r['median']:.2f} s | {r['best']:.2f} s "
            f"| {r['worst']:.2f} s | {r['banner']:.2f} s |"
        )
    for r in results:
        print(f"{r['data']}: {r['last rebuild line']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
