"""Written at run time so that no editor or hook re-encodes them."""

from pathlib import Path


def generate(workdir: Path) -> None:
    actors = workdir / "data/actors"
    (actors / "latin.yaml").write_bytes("name: Caf\u00e9 owners\nkind: community\nsummary: x\n".encode("latin-1"))
    (actors / "windows.yaml").write_bytes("name: \u201cQuoted\u201d\nkind: community\nsummary: x\n".encode("cp1252"))
    (actors / "utf16.yaml").write_bytes("name: Wide\nkind: community\nsummary: x\n".encode("utf-16"))
    (actors / "utf16-be.yaml").write_bytes("name: Wide\nkind: community\nsummary: x\n".encode("utf-16-be"))
