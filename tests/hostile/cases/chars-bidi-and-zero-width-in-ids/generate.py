"""Written at run time: invisible characters in file names and ids, which an editor may hide or drop."""

from pathlib import Path


def generate(workdir: Path) -> None:
    actors = workdir / "data/actors"
    record = "name: Someone\nkind: person\nsummary: x\n"
    (actors / "kofi\u200b-annan.yaml").write_text(record, encoding="utf-8")  # zero-width space
    (actors / "\u202egnp.yaml").write_text(record, encoding="utf-8")  # right-to-left override
    (actors / "ana\u2066-ruiz\u2069.yaml").write_text(record, encoding="utf-8")  # an isolate
    (actors / "\ufeffbom.yaml").write_text(record, encoding="utf-8")  # a byte-order mark
    event = (
        "title: Night raid\ndate: 2012-03-20\nkind: military-operation\nsummary: x\n"
        "sources: [daily\u200d-report]\n"  # zero-width joiner
        "place: port\u2060-city\n"  # word joiner
        "actors:\n"
        "  - actor: north\u202eland\n"  # right-to-left override
        "    role: participant\n"
        '  - actor: "river-front\\u200c"\n'  # zero-width non-joiner, as an escape
        "    role: participant\n"
        '  - actor: "ana-ruiz\\n"\n'  # a trailing newline
        "    role: participant\n"
    )
    (workdir / "data/events/raid.yaml").write_text(event, encoding="utf-8")
