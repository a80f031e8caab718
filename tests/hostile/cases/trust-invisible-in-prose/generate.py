"""Bidi controls and zero-width characters in prose and quotes: a warning each, at the
character (names and ids refuse them: see chars-bidi-and-zero-width-in-ids). Written here so
that no editor drops or reorders them."""

from pathlib import Path

ZWSP, RLO, LRI, PDI, WJ = "\u200b", "\u202e", "\u2066", "\u2069", "\u2060"


def generate(workdir: Path) -> None:
    data = workdir / "data"
    (data / "events" / "port-city-clashes.yaml").write_text(
        "title: Clashes in Port City\n"
        "date: 2012-03-13\n"
        "kind: military-operation\n"
        "place: port-city\n"
        "summary: >-\n"
        "  Government forces and the River Front\n"
        f"  fought in the{ZWSP} old town.\n"
        "sources: [daily-report]\n"
        "claims:\n"
        "  - by: ana-ruiz\n"
        f"    text: Said the army {RLO}only returned fire.\n"
        f'    quote: "We only {WJ}returned fire."\n'
        "    sources: [daily-report]\n"
        "corrections:\n"
        "  - date: 2012-03-20\n"
        f"    text: 'Gave the wrong {LRI}day{PDI}.'\n",
        encoding="utf-8",
    )
    (data / "questions" / "ceasefire.yaml").write_text(
        "question: Should a ceasefire be declared in Port City?\n"
        "summary: Whether both sides should stop fighting at once.\n"
        "stances:\n"
        "  - actor: ana-ruiz\n"
        "    stance: against\n"
        "    date: 2012-03-14\n"
        "    according_to: river-front\n"
        f"    note: |\n      First line.\n      Second {ZWSP}line.\n"
        "    sources: [daily-report]\n",
        encoding="utf-8",
    )
    (data / "actors" / "river-front.yaml").write_text(
        "name: River Front\n"
        "kind: armed-group\n"
        f'summary: "An armed group opposed to the \\u202egovernment."\n'
        "relations:\n"
        "  - kind: opposes\n"
        "    actor: northland\n"
        f"    note: Since {WJ}2011.\n"
        "    sources: [daily-report]\n",
        encoding="utf-8",
    )
