"""UTF-32 files, with and without a byte-order mark, are named UTF-32 (not UTF-16)."""

from pathlib import Path


def generate(workdir: Path) -> None:
    actors = workdir / "data" / "actors"
    text = "name: Wide\nkind: community\nsummary: x\n"
    (actors / "utf32.yaml").write_bytes(text.encode("utf-32"))
    (actors / "utf32-be.yaml").write_bytes(b"\x00\x00\xfe\xff" + text.encode("utf-32-be"))
    (actors / "utf32-no-mark.yaml").write_bytes(text.encode("utf-32-le"))
