"""Written at run time: a 25 MB record, a 12 MB page and a 12 MB archived text."""

from pathlib import Path


def generate(workdir: Path) -> None:
    line = "# " + "x" * 97 + "\n"
    record = "title: Huge\n" + line * 250_000
    (workdir / "data/events/huge.yaml").write_text(record, encoding="utf-8")
    (workdir / "data/pages").mkdir()
    (workdir / "data/pages/huge-page.md").write_text(line * 120_000, encoding="utf-8")
    (workdir / "data/sources/big-archive.yaml").write_text(
        "title: Big\npublisher: P\ndate: 2012\narchive: big.txt\n", encoding="utf-8"
    )
    (workdir / "archive").mkdir()
    (workdir / "archive/big.txt").write_text("lorem ipsum dolor " * 700_000 + "the needle", encoding="utf-8")
    (workdir / "data/questions/needle.yaml").write_text(
        "question: Is the needle found?\nsummary: In 30 MB.\nstances:\n"
        "  - actor: ana-ruiz\n    stance: for\n    date: 2012\n    quote: the needle\n"
        "    sources: [big-archive]\n"
        "  - actor: river-front\n    stance: against\n    date: 2012\n    quote: the haystack\n"
        "    sources: [big-archive]\n",
        encoding="utf-8",
    )
