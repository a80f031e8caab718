"""Named pipes (FIFOs) named like record files and pages: reading one would wait forever for
a writer. Each is one error, at once."""

import os
from pathlib import Path


def generate(workdir: Path) -> None:
    data = workdir / "data"
    os.mkfifo(data / "actors" / "pipe.yaml")
    os.mkfifo(data / "events" / "pipe.yaml")
    (data / "pages").mkdir()
    os.mkfifo(data / "pages" / "pipe.md")
    os.mkfifo(data / "notes.yaml")
