"""How long the copied-prose check takes, and how much memory, at 10,000 events.

    python bench/copying.py [--events 10000] [--sources 5 500] [--repeat 5]

Synthetic, deterministic text: archived sources of about 8 KB each and, per event, about
1.2 KB of the record's own prose in four pieces (a summary, two claim texts, a note), as
`validate` would hand them to `explainer.checking.copying` one by one. Words come from a vocabulary of
5,000 with Zipf frequencies, as in real prose; sentences carry commas, curly apostrophes (so
most pieces are not pure ASCII), quotations and Markdown links. One event in a hundred copies
a passage of 10 to 20 words from a source outside quotation marks (a warning each), and one in
twenty quotes one inside quotation marks (no warning).

Each size runs in a fresh Python process: building the index once, then scanning every piece
of prose (best and median of the rounds), then, in a second pass under `tracemalloc`, the
memory the index holds and the peak while scanning. The process's peak resident memory is
printed as well (it includes the synthetic text itself).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from itertools import accumulate
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from explainer.checking.copying import find_copied, index_sources  # noqa: E402 - bench/ runs as a script

VOCABULARY = 5000
SOURCE_BYTES = 8000
PIECES = (450, 200, 200, 230)  # bytes of a summary, two claim texts and a note: about 1.2 KB


class Words:
    """Zipf-distributed pseudo-words, drawn in bulk (random.choices with cumulative weights)."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd
        letters = "abcdefghijklmnopqrstuvwxyz"
        self.words = ["".join(rnd.choices(letters, k=rnd.randint(2, 9))) for _ in range(VOCABULARY)]
        for i in range(17, VOCABULARY, 40):  # none among the most frequent words
            self.words[i] = self.words[i][:-1] + "’s"  # a possessive with a curly apostrophe
        weights = [1 / rank for rank in range(1, VOCABULARY + 1)]
        self.cumulative = list(accumulate(weights))

    def text(self, size: int) -> str:
        """About `size` characters of sentences."""
        out: list[str] = []
        length = 0
        while length < size:
            sentence = self.rnd.choices(self.words, cum_weights=self.cumulative, k=self.rnd.randint(8, 24))
            sentence[0] = sentence[0].capitalize()
            if len(sentence) > 12:
                sentence[6] += ","
            line = " ".join(sentence) + "."
            out.append(line)
            length += len(line) + 1
        return " ".join(out)


def make_corpus(events: int, sources: int, seed: int = 1) -> tuple[dict[str, str], list[str]]:
    """The archive ({source id: text}) and every piece of prose of `events` events."""
    rnd = random.Random(seed)
    words = Words(rnd)
    archive = {}
    for number in range(sources):
        paragraphs = [words.text(SOURCE_BYTES // 8) for _ in range(8)]
        archive[f"source-{number:04d}"] = "\n\n".join(paragraphs) + "\n"
    texts = list(archive.values())
    pieces: list[str] = []
    for event in range(events):
        for size in PIECES:
            pieces.append(words.text(size))
        if event % 100 == 0:  # copied without quotation marks
            pieces[-4] = f"{pieces[-4]} {_passage(rnd, texts, 10, 20)} {words.text(80)}"
        if event % 20 == 5:  # quoted, with quotation marks
            pieces[-3] = f"{pieces[-3]} They said “{_passage(rnd, texts, 10, 20)}” as reported."
        if event % 10 == 3:  # a Markdown link
            pieces[-1] = f"{pieces[-1]} See [the report](https://example.org/{event}/) for more."
    return archive, pieces


def _passage(rnd: random.Random, texts: list[str], shortest: int, longest: int) -> str:
    words = rnd.choice(texts).split()
    count = rnd.randint(shortest, longest)
    first = rnd.randrange(len(words) - count)
    return " ".join(words[first : first + count])


def run_once(events: int, sources: int, repeat: int) -> dict[str, float]:
    """One size, in this process (started fresh by `measure`)."""
    archive, pieces = make_corpus(events, sources)
    started = time.perf_counter()
    index = index_sources(archive)
    build = time.perf_counter() - started
    scans = []
    found = 0
    for _ in range(repeat):
        started = time.perf_counter()
        found = sum(len(find_copied(piece, index)) for piece in pieces)
        scans.append(time.perf_counter() - started)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    del index
    tracemalloc.start()
    index = index_sources(archive)
    index_mb = tracemalloc.get_traced_memory()[0] / 2**20
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    for piece in pieces:
        find_copied(piece, index)
    scan_peak_mb = (tracemalloc.get_traced_memory()[1] - before) / 2**20
    tracemalloc.stop()
    return {
        "events": events,
        "sources": sources,
        "archive_kb": sum(len(text.encode()) for text in archive.values()) / 1024,
        "prose_mb": sum(len(piece.encode()) for piece in pieces) / 2**20,
        "pieces": len(pieces),
        "shingles": len(index),
        "warnings": found,
        "build": build,
        "scan_best": min(scans),
        "scan_median": statistics.median(scans),
        "index_mb": index_mb,
        "scan_peak_mb": scan_peak_mb,
        "rss_mb": rss_mb,
    }


def measure(events: int, sources: int, repeat: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, __file__, "--once", str(events), str(sources), str(repeat)]
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    figures: dict[str, float] = json.loads(output)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--sources", type=int, nargs="+", default=[5, 500])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--once", type=int, nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.once:
        print(json.dumps(run_once(*args.once)))
        return 0
    print(f"# copied prose: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start\n")
    print(
        "| archive | prose | index: build | index: keys, memory | scan, best | scan, median "
        "| scan peak memory | process peak RSS | warnings |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for sources in args.sources:
        r = measure(args.events, sources, args.repeat)
        print(
            f"| {sources} texts, {r['archive_kb']:,.0f} KB | {r['events']:,} events, {r['pieces']:,} pieces, "
            f"{r['prose_mb']:.1f} MB | {r['build']:.2f} s | {r['shingles']:,}, {r['index_mb']:.1f} MB "
            f"| {r['scan_best']:.2f} s | {r['scan_median']:.2f} s | {r['scan_peak_mb']:.1f} MB "
            f"| {r['rss_mb']:.0f} MB | {r['warnings']} |"
        )
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
