"""A UTF-8 byte-order mark (as Windows editors write) is accepted: this case is valid."""

from pathlib import Path


def generate(workdir: Path) -> None:
    text = "name: Caf\u00e9 owners\nkind: community\nsummary: With a BOM.\n"
    (workdir / "data/actors/bom.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
