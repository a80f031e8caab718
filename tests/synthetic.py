"""Synthetic data folders for tests: `bench/synth.py` (deterministic, in the proportions of the
Syria data), loaded once for every test file that needs a big explainer."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from types import ModuleType

SYNTH = Path(__file__).resolve().parent.parent / "bench" / "synth.py"


@functools.cache
def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synth", SYNTH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_folder(out: Path, events: int, seed: int = 1) -> dict[str, int]:
    """Write a valid data folder of `events` events into `out` (see bench/synth.py)."""
    counts: dict[str, int] = _module().write_folder(out, events, seed=seed)
    return counts
