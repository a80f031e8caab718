"""A link to /dev/zero (its size says 0, its content never ends) and to /proc/self/environ
(the build's environment): refused without reading a byte."""

from pathlib import Path


def generate(workdir: Path) -> None:
    data = workdir / "data"
    (data / "events" / "zero.yaml").symlink_to("/dev/zero")
    (data / "pages").mkdir()
    (data / "pages" / "environment.md").symlink_to("/proc/self/environ")
