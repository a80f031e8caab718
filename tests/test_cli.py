"""The `explainer` command as editors and CI use it: output lines, summary, exit codes 0/1/2."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from explainer.commands import cli

BASE = Path(__file__).parent / "hostile" / "base" / "data"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A valid data folder named `data` in the current directory (a temporary one)."""
    shutil.copytree(BASE, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path / "data"


def _break(data: Path) -> None:
    (data / "events" / "port-city-clashes.yaml").write_text(
        "title: Clashes\ndate: 2012-02-30\nkind: masacre\nsummary: x\nsources: [daily-reprt]\n", encoding="utf-8"
    )


def test_valid_folder_exits_0_with_a_count(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate"]) == 0
    out, err = capsys.readouterr()
    assert out == "data: valid (3 actors, 1 events, 1 questions, 2 places, 1 sources)\n"
    assert err == ""


def test_invalid_folder_exits_1_with_every_problem_and_a_summary(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _break(data)
    assert cli.main(["validate", "--data", "data"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "data/events/port-city-clashes.yaml:2:7: error: date: '2012-02-30' is not a real date: "
        "February 2012 has 29 days",
        "data/events/port-city-clashes.yaml:3:7: error: kind: 'masacre' is not allowed (did you mean 'massacre'?); "
        "expected one of: massacre, military-operation, bombing, protest, diplomacy, un-vote, statement, sanction, "
        "defection, appointment, other",
        "data/events/port-city-clashes.yaml:5:11: error: sources[0]: unknown source 'daily-reprt' "
        "(did you mean 'daily-report'?)",
        "3 errors in 1 file",
    ]


def test_the_path_is_shown_as_given(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _break(data)
    assert cli.main(["validate", "--data", "./data/"]) == 1
    assert capsys.readouterr().err.startswith("./data/events/port-city-clashes.yaml:2:7: error: ")


def test_github_actions_annotations(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _break(data)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert cli.main(["validate"]) == 1
    out, err = capsys.readouterr()
    assert len(err.splitlines()) == 4  # the same lines as always, for the log
    annotations = out.splitlines()
    assert len(annotations) == 3
    assert annotations[0] == (
        "::error file=data/events/port-city-clashes.yaml,line=2,col=7,title=explainer invalid-value::"
        "date: '2012-02-30' is not a real date: February 2012 has 29 days"
    )


def test_annotation_escapes_what_github_would_misread() -> None:
    from explainer.core.diagnostics import Diagnostic, Severity

    line = Diagnostic("d/a,b:c.yaml", 0, 0, Severity.WARNING, "x", "50% done").github_annotation()
    assert line == "::warning file=d/a%2Cb%3Ac.yaml,title=explainer x::50%25 done"


def test_warnings_alone_exit_0(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (data / "archive").mkdir()
    source = data / "sources" / "daily-report.yaml"
    source.write_text(source.read_text(encoding="utf-8") + "archive: missing.txt\n", encoding="utf-8")
    assert cli.main(["validate"]) == 0
    out, err = capsys.readouterr()
    assert "warning: archive: data/archive/missing.txt not found" in err
    assert err.splitlines()[-1] == "1 warning in 1 file"
    assert out.startswith("data: valid")


def test_missing_data_folder_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["validate", "--data", "nowhere"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "nowhere:0:0: error: the data folder does not exist",
        "1 error in 1 file",
    ]


@pytest.mark.parametrize(
    "argv",
    [[], ["nonsense"], ["validate", "--bogus"], ["new", "event"], ["schema", "--out"], ["serve", "--port", "x"]],
)
def test_wrong_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    assert "usage: explainer" in capsys.readouterr().err


def test_new_with_bad_kind_or_id_exits_2(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["new", "evnt", "x"]) == 2
    assert "unknown kind 'evnt' (did you mean 'event'?)" in capsys.readouterr().err
    assert cli.main(["new", "event", "Night Raid"]) == 2
    assert "(try 'night-raid')" in capsys.readouterr().err
    assert cli.main(["new", "event", "port-city-clashes"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_new_then_validate_reports_placeholders(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["new", "place", "old-town"]) == 0
    assert (
        capsys.readouterr().out
        == "wrote data/places/old-town.yaml: replace each <...>, then run `explainer validate`\n"
    )
    assert cli.main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "data/places/old-town.yaml:4:6: error: lat: still holds the placeholder; fill it in" in err


def test_schema_writes_one_file_per_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema", "--out", str(tmp_path / "schema")]) == 0
    names = sorted(p.name for p in (tmp_path / "schema").iterdir())
    assert names == [f"{kind}.schema.json" for kind in ("actors", "events", "places", "questions", "site", "sources")]
    for path in (tmp_path / "schema").iterdir():
        assert json.loads(path.read_text(encoding="utf-8"))["$schema"].endswith("2020-12/schema")
    assert capsys.readouterr().out.count("wrote ") == 6


def test_internal_error_is_one_line_without_traceback(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import explainer.checking.validate

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(explainer.checking.validate, "check_data", explode)
    assert cli.main(["validate"]) == 70
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "explainer: internal error: RuntimeError: boom" in err


def test_python_dash_m_runs_the_same_command(data: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "explainer", "validate", "--data", "data", "--no-cache"],
        capture_output=True, text=True, check=False, cwd=data.parent,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("data: valid")
