"""The 1 MiB limit at its boundary: exactly 1,048,576 bytes is read (and valid); one byte more
is refused, with both sizes exact."""

from pathlib import Path

LIMIT = 1024 * 1024


def _padded(head: str, size: int) -> bytes:
    raw = head.encode("utf-8")
    return raw + b"#" * (size - len(raw) - 1) + b"\n"


def generate(workdir: Path) -> None:
    actors = workdir / "data" / "actors"
    record = "name: Exactly at the limit\nkind: community\nsummary: Padded with a comment.\n"
    (actors / "at-the-limit.yaml").write_bytes(_padded(record, LIMIT))
    (actors / "one-byte-over.yaml").write_bytes(_padded(record, LIMIT + 1))
    (workdir / "data" / "pages").mkdir()
    (workdir / "data" / "pages" / "one-byte-over.md").write_bytes(_padded("# Long\n", LIMIT + 1))
