"""Written at run time: 50,000 nested lists (100 KB) and 50,000 nested mappings."""

from pathlib import Path


def generate(workdir: Path) -> None:
    depth = 50_000
    lists = "title: Deep\nsummary: " + "[" * depth + "]" * depth + "\n"
    (workdir / "data/events/deep-lists.yaml").write_text(lists, encoding="utf-8")
    mappings = "name: Deep\nsummary:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(300))
    (workdir / "data/actors/deep-block.yaml").write_text(mappings, encoding="utf-8")
    flow = "name: Deep\nroles: " + "{a: " * depth + "1" + "}" * depth + "\n"
    (workdir / "data/actors/deep-flow.yaml").write_text(flow, encoding="utf-8")
