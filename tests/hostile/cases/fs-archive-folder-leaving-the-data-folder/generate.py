"""DATA/archive as a link to a folder outside the data folder (no --archive): refused, and no
archived text is read through it (the quote below would not be found there)."""

from pathlib import Path


def generate(workdir: Path) -> None:
    outside = workdir / "elsewhere"
    outside.mkdir()
    (outside / "report.txt").write_text("Nothing quoted here.\n", encoding="utf-8")
    data = workdir / "data"
    (data / "archive").symlink_to(Path("../elsewhere"))
    source = data / "sources" / "daily-report.yaml"
    source.write_text(source.read_text(encoding="utf-8") + "archive: report.txt\n", encoding="utf-8")
