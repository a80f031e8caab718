"""Drawing the charts' static images never hangs a build: the kaleido batch runs in a child
process of its own session, killed (with any browser it started) when it stalls, tried once
more, then reported."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from explainer.charts import images

STALL = """
import os, subprocess, sys, time
open(os.path.join(os.path.dirname(sys.argv[1]), "pids"), "a").write(
    f"{os.getpid()} {subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']).pid}\\n"
)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:  # a zombie is not alive
        return stat.read().split(")")[-1].split()[0] != "Z"


def test_a_stalled_batch_is_killed_with_its_children_then_reported(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(images, "_CHILD", STALL)
    monkeypatch.setattr(images, "BATCH_SECONDS", 1.0)
    monkeypatch.setattr(images, "SECONDS_A_DRAWING", 0.0)
    started = time.monotonic()
    with pytest.raises(images.DrawingFailed, match=r"no answer from the browser in 1 s"):
        images.draw_batch([{"fig": {}}], {}, tmp_path)
    assert time.monotonic() - started < 30
    pids = [int(pid) for line in (tmp_path / "pids").read_text().splitlines() for pid in line.split()]
    assert len(pids) == 2 * images.ATTEMPTS, "tried again once"
    time.sleep(0.2)
    assert not any(_alive(pid) for pid in pids), "the child and what it started are gone"


def test_a_failing_batch_names_the_last_error_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(images, "_CHILD", "raise SystemExit('kaleido: the browser closed')")
    with pytest.raises(images.DrawingFailed, match="kaleido: the browser closed"):
        images.draw_batch([], {}, tmp_path)
