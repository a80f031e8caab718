"""Synthetic data folders for tests: `bench/synth.py` (deterministic, in the proportions of the
Syria data), loaded once for every test file that needs a big explainer."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explainer.checking.dataset import Dataset

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


def dataset(out: Path, events: int, seed: int = 1) -> Dataset:
    """A valid synthetic dataset of `events` events, its folder written into `out`."""
    from explainer.checking.validate import validate_data

    write_folder(out, events, seed=seed)
    checked, report = validate_data(out)
    assert report.ok, report.lines()
    return checked
