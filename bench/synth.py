"""Write a synthetic, valid data folder of any size, for benchmarks.

    python bench/synth.py OUT_DIR --events 10000 [--seed 1]

The proportions follow the Syria data (per 100 events: 20 actors, 10 places, 2 questions,
25 sources); every event has participants, a place, sources, a figure and a claim, so the
validator does the same work per record as on real data. The output is deterministic for a
seed. OUT_DIR must not exist (nothing is overwritten).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

EVENT_KINDS = ["massacre", "military-operation", "bombing", "protest", "diplomacy", "un-vote", "statement"]
ROLES = ["perpetrator", "accused", "target", "victim", "mediator", "participant", "speaker", "host"]
ACTOR_KINDS = ["person", "state", "organization", "armed-group", "community", "media"]
RELATIONS = ["member-of", "leads", "allied-with", "backs", "opposes", "envoy-of", "speaks-for"]
WORDS = [
    "forces", "town", "talks", "council", "army", "village", "report", "envoy", "ceasefire", "shelling",
    "protest", "statement", "minister", "opposition", "government", "district", "monitors", "resolution",
]  # fmt: skip


def proportions(events: int) -> dict[str, int]:
    return {
        "events": events,
        "actors": max(2, events // 5),
        "places": max(2, events // 10),
        "questions": max(1, events // 50),
        "sources": max(1, events // 4),
    }


def _words(rnd: random.Random, count: int) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(count))


def _date(rnd: random.Random) -> str:
    return f"{rnd.randint(2011, 2013)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"


def write_folder(out: Path, events: int, seed: int = 1) -> dict[str, int]:
    """Write the folder; return how many records of each kind it holds."""
    rnd = random.Random(seed)
    counts = proportions(events)
    ids = {kind: [f"{kind[:-1]}-{i:05d}" for i in range(n)] for kind, n in counts.items()}
    out.mkdir(parents=True)
    for kind in counts:
        (out / kind).mkdir()
    (out / "site.yaml").write_text(
        f"title: Synthetic explainer ({events} events)\nbase_url: https://example.org/\n", encoding="utf-8"
    )

    def sources(n: int = 1) -> str:
        return "[" + ", ".join(rnd.sample(ids["sources"], min(n, len(ids["sources"])))) + "]"

    for source_id in ids["sources"]:
        text = (
            f"title: {_words(rnd, 6).capitalize()}\npublisher: {_words(rnd, 2).title()}\ndate: {_date(rnd)}\n"
            f"url: https://example.org/{source_id}\nkind: news\n"
        )
        (out / "sources" / f"{source_id}.yaml").write_text(text, encoding="utf-8")
    for index, place_id in enumerate(ids["places"]):
        within = f"in: {ids['places'][0]}\n" if index else ""
        text = (
            f"name: {_words(rnd, 2).title()}\nkind: town\n"
            f"lat: {rnd.uniform(32, 37):.4f}\nlon: {rnd.uniform(35, 42):.4f}\n"
        )
        (out / "places" / f"{place_id}.yaml").write_text(text + within, encoding="utf-8")
    for actor_id in ids["actors"]:
        other = rnd.choice([a for a in ids["actors"][:50] if a != actor_id])
        text = (
            f"name: {_words(rnd, 3).title()}\nkind: {rnd.choice(ACTOR_KINDS)}\naliases: [{_words(rnd, 1)}]\n"
            f"summary: >-\n  {_words(rnd, 30)}\nsources: {sources()}\n"
            f"roles:\n  - title: {_words(rnd, 2)}\n    from: {_date(rnd)[:7]}\n    sources: {sources()}\n"
            f"relations:\n  - kind: {rnd.choice(RELATIONS)}\n    actor: {other}\n    sources: {sources()}\n"
        )
        (out / "actors" / f"{actor_id}.yaml").write_text(text, encoding="utf-8")
    for event_id in ids["events"]:
        who = rnd.sample(ids["actors"], 2)
        text = (
            f"title: {_words(rnd, 6).capitalize()}\ndate: {_date(rnd)}\nkind: {rnd.choice(EVENT_KINDS)}\n"
            f"place: {rnd.choice(ids['places'])}\nsummary: >-\n  {_words(rnd, 60)}\nsources: {sources(2)}\n"
            f"actors:\n  - actor: {who[0]}\n    role: {rnd.choice(ROLES)}\n"
            f"  - actor: {who[1]}\n    role: {rnd.choice(ROLES)}\n"
            f"figures:\n  - measure: killed\n    min: {rnd.randint(1, 50)}\n    max: {rnd.randint(51, 200)}\n"
            f"    qualifier: at-least\n    according_to: {who[1]}\n    sources: {sources()}\n"
            f"claims:\n  - by: {who[0]}\n    text: {_words(rnd, 12)}\n    sources: {sources()}\n"
        )
        (out / "events" / f"{event_id}.yaml").write_text(text, encoding="utf-8")
    for question_id in ids["questions"]:
        stances = "".join(
            f"  - actor: {actor}\n    stance: {rnd.choice(['for', 'against', 'mixed'])}\n    date: {_date(rnd)}\n"
            f"    sources: {sources()}\n"
            for actor in rnd.sample(ids["actors"], min(12, len(ids["actors"])))
        )
        text = f"question: Should the {_words(rnd, 3)}?\nsummary: {_words(rnd, 20)}\nstances:\n{stances}"
        (out / "questions" / f"{question_id}.yaml").write_text(text, encoding="utf-8")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the data folder to create (must not exist)")
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.out.exists():
        print(f"{args.out} exists; choose a new folder", file=sys.stderr)
        return 2
    counts = write_folder(args.out, args.events, args.seed)
    print(f"wrote {args.out}: " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
