"""site.yaml names the archive folder (`archive: ../seeds`, relative to the data folder and
outside it: allowed, it is only read). No --archive is given, yet the quotes are checked there:
one is found, one is not (an error), and a copied sentence is reported."""

from pathlib import Path


def generate(workdir: Path) -> None:
    seeds = workdir / "seeds"
    seeds.mkdir()
    (seeds / "report.txt").write_text(
        "Ana Ruiz said the army had only returned fire after rebels attacked three police stations in the night.\n",
        encoding="utf-8",
    )
    site = workdir / "data" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8") + "archive: ../seeds\n", encoding="utf-8")
