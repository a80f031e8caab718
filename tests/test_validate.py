"""The two ways into the validator agree, and the parse cache never changes an answer."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from hostile.harness import CASES, case_names, prepare

from explainer.checking.parse_cache import ParseCache, code_key
from explainer.checking.validate import check_data, validate_data

ROOT = Path(__file__).resolve().parent.parent
BASE = Path(__file__).parent / "hostile" / "base" / "data"


def _lines(report: object) -> list[str]:
    return [d.format() for d in report.diagnostics]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", case_names())
def test_quick_check_and_full_load_report_the_same(name: str, tmp_path: Path) -> None:
    prepare(CASES / name, tmp_path)
    archive = tmp_path / "archive" if (tmp_path / "archive").is_dir() else None
    dataset, full = validate_data(tmp_path / "data", shown_dir="data", archive_dir=archive)
    quick = check_data(tmp_path / "data", shown_dir="data", archive_dir=archive, use_cache=False)
    assert _lines(quick.report) == _lines(full)
    assert quick.counts == {name: len(dataset.records(name)) for name in dataset.collections}


def test_syria_data_is_valid(tmp_path: Path) -> None:
    result = check_data(ROOT / "data", cache_dir=tmp_path)
    assert result.report.errors == []
    dataset, report = validate_data(ROOT / "data")
    assert report.errors == []
    assert len(dataset.records("events")) == result.counts["events"]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(BASE, tmp_path / "data")
    past = time.time() - 3600  # as after a checkout: old enough for the cache to trust stat
    for path in (tmp_path / "data").rglob("*"):
        os.utime(path, (past, past))
    return tmp_path / "data"


def test_second_run_parses_nothing_and_says_the_same(data: Path, tmp_path: Path) -> None:
    first = check_data(data, cache_dir=tmp_path / "cache")
    assert (first.parsed, first.cached) == (9, 0)
    second = check_data(data, cache_dir=tmp_path / "cache")
    assert (second.parsed, second.cached) == (0, 9)
    assert _lines(second.report) == _lines(first.report)
    assert second.counts == first.counts


def test_a_changed_file_is_parsed_again_and_its_errors_reported(data: Path, tmp_path: Path) -> None:
    check_data(data, cache_dir=tmp_path / "cache")
    event = data / "events" / "port-city-clashes.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("kind: military-operation", "kind: masacre"))
    result = check_data(data, cache_dir=tmp_path / "cache")
    assert result.parsed == 1
    assert [d.code for d in result.report.errors] == ["unknown-value"]


def test_same_size_same_mtime_edit_is_still_seen(data: Path, tmp_path: Path) -> None:
    """A file written moments before a run is not trusted by its stat (size and mtime could stay the
    same through a second edit in the same clock tick): its content decides."""
    fresh = data / "places" / "harbour.yaml"
    fresh.write_text("name: Harbour\nlat: 1\nlon: 2\n", encoding="utf-8")
    written = fresh.stat()
    assert check_data(data, cache_dir=tmp_path / "cache").report.ok
    fresh.write_text("name: Harbour\nlat: X\nlon: 2\n", encoding="utf-8")
    os.utime(fresh, ns=(written.st_atime_ns, written.st_mtime_ns))  # same size, same mtime, same inode
    result = check_data(data, cache_dir=tmp_path / "cache")
    assert [d.code for d in result.report.errors if d.path.endswith("harbour.yaml")] == ["invalid-value"]


def test_damaged_or_foreign_cache_is_ignored(data: Path, tmp_path: Path) -> None:
    cache = ParseCache.for_folder(data, code_key(), tmp_path / "cache")
    assert cache.file is not None
    cache.file.parent.mkdir(parents=True)
    for garbage in (b"", b"\x00\x01garbage", b"\xe9" * 100):
        cache.file.write_bytes(garbage)
        result = check_data(data, cache_dir=tmp_path / "cache")
        assert result.report.ok
        assert result.parsed == 9


def test_other_code_does_not_reuse_results(data: Path, tmp_path: Path) -> None:
    check_data(data, cache_dir=tmp_path / "cache")
    stale = ParseCache.for_folder(data, b"other-code", tmp_path / "cache")
    assert stale.empty
    fresh = ParseCache.for_folder(data, code_key(), tmp_path / "cache")
    assert not fresh.empty


def test_cache_lives_outside_the_data_folder(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    check_data(data)
    assert list((tmp_path / "xdg" / "explainer").iterdir())
    assert sorted(p.name for p in data.iterdir()) == sorted(p.name for p in BASE.iterdir())


def test_many_files_are_parsed_in_parallel_with_the_same_result(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    import synth  # type: ignore[import-not-found]  # bench/ is a folder of scripts, put on sys.path above

    data = tmp_path / "data"
    synth.write_folder(data, 700)  # 1,100 files: above the threshold for worker processes
    parallel = check_data(data, use_cache=False, jobs=2)
    serial = check_data(data, use_cache=False, jobs=1)
    assert parallel.report.ok
    assert parallel.parsed == serial.parsed == 1100
    assert parallel.counts == serial.counts
    # With another thread running, workers are not forked (that can deadlock) but still used.
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        threaded = check_data(data, use_cache=False, jobs=2)
    finally:
        stop.set()
        thread.join()
    assert threaded.counts == serial.counts


@pytest.mark.parametrize(
    ("quote", "archived"),
    [
        ("We will not negotiate - not now", "We will not negotiate — not now"),
        ("“acted with restraint”", '"acted with\n   restraint"'),
        ("it's over", "it’s over"),
        ("a--b", "a – b"),
    ],
)
def test_quotes_match_across_typography(quote: str, archived: str) -> None:
    from explainer.checking.quotes import fold

    assert fold(quote) in fold(archived)


def test_quotes_do_not_match_other_words() -> None:
    from explainer.checking.quotes import fold

    assert fold("acted with great restraint") not in fold("acted with restraint")


def test_a_fresh_file_is_read_again_but_found_by_content(data: Path, tmp_path: Path) -> None:
    (data / "places" / "harbour.yaml").write_text("name: Harbour\nlat: 1\nlon: 2\n", encoding="utf-8")
    first = check_data(data, cache_dir=tmp_path / "cache")
    assert first.parsed == 10
    second = check_data(data, cache_dir=tmp_path / "cache")
    assert (second.parsed, second.cached) == (0, 10)


# --- the trust checks: archive location, warnings through the cache ----------------------------

WARNING_CASES = [
    "trust-copied-prose",
    "trust-invisible-in-prose",
    "trust-stance-without-evidence",
    "trust-archive-from-site-yaml",
    "trust-quotes-that-cannot-be-checked",
]


def _aged(folder: Path) -> None:
    past = time.time() - 3600  # old enough for the cache to trust the files' stat
    for path in folder.rglob("*"):
        os.utime(path, (past, past), follow_symlinks=False)


@pytest.mark.parametrize("name", WARNING_CASES)
def test_warnings_come_back_from_the_cache_unchanged(name: str, tmp_path: Path) -> None:
    """Warnings of one file (stances, invisible characters) and those found across files from the
    cached facts (copied prose, unchecked quotes) are the same when nothing was parsed again."""
    prepare(CASES / name, tmp_path)
    _aged(tmp_path)
    archive = tmp_path / "archive" if (tmp_path / "archive").is_dir() else None
    first = check_data(tmp_path / "data", shown_dir="data", archive_dir=archive, cache_dir=tmp_path / "cache")
    second = check_data(tmp_path / "data", shown_dir="data", archive_dir=archive, cache_dir=tmp_path / "cache")
    assert second.parsed == 0
    assert second.report.warnings
    assert _lines(second.report) == _lines(first.report)
    assert _lines(second.report) == _lines(validate_data(tmp_path / "data", shown_dir="data", archive_dir=archive)[1])


def test_a_warned_file_is_still_valid_and_counted(tmp_path: Path) -> None:
    prepare(CASES / "trust-copied-prose", tmp_path)
    result = check_data(tmp_path / "data", archive_dir=tmp_path / "archive", use_cache=False)
    assert result.report.ok
    assert result.report.warning_count == len(result.report.warnings) == 5
    assert result.counts["events"] == 1


def test_the_archive_named_in_site_yaml_is_used_by_every_way_in(tmp_path: Path) -> None:
    from explainer.checking.validate import resolve_archive

    prepare(CASES / "trust-archive-from-site-yaml", tmp_path)
    data = tmp_path / "data"
    assert resolve_archive(data, None).resolve() == (tmp_path / "seeds").resolve()
    assert resolve_archive(data, tmp_path / "elsewhere") == tmp_path / "elsewhere"
    codes = ["copied-prose", "quote-not-found"]
    assert [d.code for d in check_data(data, use_cache=False).report.diagnostics] == codes
    assert [d.code for d in validate_data(data)[1].diagnostics] == codes
    # --archive wins: an empty folder given on the command line holds no text
    (tmp_path / "empty").mkdir()
    given = check_data(data, archive_dir=tmp_path / "empty", use_cache=False).report
    assert [d.code for d in given.diagnostics] == ["archive-missing"]


def test_the_default_archive_folder_and_a_site_yaml_with_errors(tmp_path: Path) -> None:
    from explainer.checking.validate import resolve_archive

    prepare(CASES / "trust-archive-from-site-yaml", tmp_path)
    data = tmp_path / "data"
    site = data / "site.yaml"
    # an error elsewhere in site.yaml: its archive folder is still used, so the quotes are checked
    site.write_text(site.read_text(encoding="utf-8").replace("title:", "titel:"), encoding="utf-8")
    assert resolve_archive(data, None).resolve() == (tmp_path / "seeds").resolve()
    for report in (check_data(data, use_cache=False).report, validate_data(data)[1]):
        assert "quote-not-found" in [d.code for d in report.diagnostics]
    site.write_text("title: No archive named\n", encoding="utf-8")
    assert resolve_archive(data, None) == data / "archive"


def test_an_archive_folder_inside_the_data_folder_may_not_lead_out(tmp_path: Path) -> None:
    """site.yaml naming a folder inside the data folder keeps the closed world: a link there that
    leaves the data folder is never read through (the folder scan reports it)."""
    prepare(CASES / "trust-archive-from-site-yaml", tmp_path)
    data = tmp_path / "data"
    (data / "archive").symlink_to(tmp_path / "seeds")
    site = data / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("../seeds", "archive"), encoding="utf-8")
    for report in (check_data(data, use_cache=False).report, validate_data(data)[1]):
        assert [d.code for d in report.diagnostics] == ["link-outside"]


def test_the_quick_path_imports_no_yaml_library_and_no_models_when_nothing_changed(tmp_path: Path) -> None:
    from conftest import fresh_python

    prepare(CASES / "trust-archive-from-site-yaml", tmp_path)
    _aged(tmp_path)
    code = f"""
        import sys
        from pathlib import Path
        from explainer.checking.validate import check_data
        data, cache = Path({str(tmp_path / "data")!r}), Path({str(tmp_path / "cache")!r})
        check_data(data, cache_dir=cache)
        for name in [m for m in sys.modules if m.startswith(("yaml", "pydantic", "explainer.checking.models"))]:
            del sys.modules[name]
        result = check_data(data, cache_dir=cache)
        loaded = sorted(m for m in sys.modules if m.startswith(("yaml", "pydantic", "explainer.checking.models")))
        print(result.parsed, [d.code for d in result.report.diagnostics], loaded)
    """
    assert fresh_python(code).strip() == "0 ['copied-prose', 'quote-not-found'] []"
