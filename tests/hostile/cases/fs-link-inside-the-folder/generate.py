"""A link that stays inside the data folder is read as the file it points to, with a warning
(the record is valid: exit 0)."""

from pathlib import Path


def generate(workdir: Path) -> None:
    (workdir / "data" / "actors" / "twin.yaml").symlink_to(Path("ana-ruiz.yaml"))
    (workdir / "data" / "pages").mkdir()
    (workdir / "data" / "pages" / "about.md").write_text("# About\n\nA page.\n", encoding="utf-8")
    (workdir / "data" / "pages" / "about-again.md").symlink_to(Path("about.md"))
