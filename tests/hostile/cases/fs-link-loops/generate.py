"""Links that loop (two pointing at each other, one at itself) and one whose target is gone:
one error each, never an internal error."""

from pathlib import Path


def generate(workdir: Path) -> None:
    places = workdir / "data" / "places"
    (places / "first.yaml").symlink_to(Path("second.yaml"))
    (places / "second.yaml").symlink_to(Path("first.yaml"))
    (workdir / "data" / "pages").mkdir()
    (workdir / "data" / "pages" / "self.md").symlink_to(Path("self.md"))
    (workdir / "data" / "questions" / "gone.yaml").symlink_to(Path("deleted.yaml"))
    (workdir / "data" / "sources").joinpath("looped-folder").symlink_to(Path("."))
