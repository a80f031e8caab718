"""A link inside the archive folder that points outside it (made at run time: links are not
portable in git): its target is never read."""

from pathlib import Path


def generate(workdir: Path) -> None:
    (workdir / "secret.txt").write_text("never read\n", encoding="utf-8")
    (workdir / "archive" / "linked.txt").symlink_to(Path("..") / "secret.txt")
    (workdir / "data" / "sources" / "linked.yaml").write_text(
        "title: Linked\npublisher: P\ndate: 2012\narchive: linked.txt\n", encoding="utf-8"
    )
