"""Links that leave the data folder, in every place a file is read (made at run time: git
stores links, but a checkout may not): actors/, events/, pages/, site.yaml and an archived
text. Each is one error; no target is ever read (they hold 'LEAKED')."""

from pathlib import Path


def generate(workdir: Path) -> None:
    (workdir / "secret.yaml").write_text("name: LEAKED\nkind: person\nsummary: LEAKED\n", encoding="utf-8")
    (workdir / "secret.md").write_text("# LEAKED\n", encoding="utf-8")
    (workdir / "secret.txt").write_text("LEAKED\n", encoding="utf-8")
    data = workdir / "data"
    (data / "actors" / "leak.yaml").symlink_to(Path("../../secret.yaml"))
    (data / "events" / "leak.yaml").symlink_to(Path("../../secret.yaml"))
    (data / "pages").mkdir()
    (data / "pages" / "leak.md").symlink_to(Path("../../secret.md"))
    (data / "site.yaml").unlink()
    (data / "site.yaml").symlink_to(Path("../secret.yaml"))
    (workdir / "archive").mkdir()
    (workdir / "archive" / "leak.txt").symlink_to(Path("../secret.txt"))
    (data / "sources" / "linked.yaml").write_text(
        "title: Linked\npublisher: P\ndate: 2012\narchive: leak.txt\n", encoding="utf-8"
    )
