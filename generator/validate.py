"""Load and check a data folder: the first two stages of every command."""

from __future__ import annotations

from pathlib import Path

from generator.cache import ParseCache
from generator.crossref import check_dataset
from generator.dataset import Dataset, load_dataset
from generator.diagnostics import Report


def validate_data(
    data_dir: Path | str,
    *,
    shown_dir: str | None = None,
    archive_dir: Path | str | None = None,
    use_cache: bool = False,
) -> tuple[Dataset, Report]:
    """Every problem of the folder in one report; the dataset is fit to publish if `report.ok`."""
    data_dir = Path(data_dir)
    cache = ParseCache.for_folder(data_dir) if use_cache else None
    dataset, report = load_dataset(data_dir, shown_dir=shown_dir, cache=cache)
    if data_dir.is_dir():
        archive = Path(archive_dir) if archive_dir is not None else None
        check_dataset(dataset, report, archive, str(archive_dir) if archive_dir is not None else None)
    return dataset, report
