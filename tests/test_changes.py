"""The pull-request summary: records added, changed and removed, pages affected, warnings."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from explainer.commands.changes import (
    EVERY_PAGE,
    RecordChange,
    describe_changes,
    main,
    markdown_summary,
    snapshot_folder,
)

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"

NEW_EVENT = """\
title: Envoy visits Houla
date: "2012-05-27"
kind: diplomacy
place: houla
summary: The envoy visits the town.
sources: [daily-report]
actors:
  - {actor: envoy, role: mediator}
"""


@pytest.fixture
def folders(tmp_path):
    base, head = tmp_path / "base", tmp_path / "head"
    shutil.copytree(MINI, base)
    shutil.copytree(MINI, head)
    return base, head


def _changes(base: Path, head: Path):
    return describe_changes(snapshot_folder(base, "base"), snapshot_folder(head, "head"))


def test_the_same_data_has_no_changes(folders):
    base, head = folders
    changes = _changes(base, head)
    assert changes.records == []
    assert changes.pages == []
    assert changes.affected == []
    assert "No record or page changed." in markdown_summary(changes, base_label="main", head_label="data")


def test_comments_and_formatting_are_no_change(folders):
    base, head = folders
    path = head / "events" / "houla-massacre.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        "# a comment added by an editor\n"
        + text.replace("sources: [daily-report]\nactors:", "sources:\n  - daily-report\nactors:"),
        encoding="utf-8",
    )
    assert _changes(base, head).records == []


def test_added_changed_and_removed_records(folders):
    base, head = folders
    (head / "events" / "envoy-visits-houla.yaml").write_text(NEW_EVENT, encoding="utf-8")
    government = head / "actors" / "government.yaml"
    government.write_text(
        government.read_text(encoding="utf-8").replace("short_name: Government", "short_name: Regime"), encoding="utf-8"
    )
    (head / "questions" / "peace-plan.yaml").unlink()
    page = head / "pages" / "introduction.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")

    changes = _changes(base, head)
    assert changes.records == [
        RecordChange("actors", "government", "changed", ("short_name",)),
        RecordChange("events", "envoy-visits-houla", "added"),
        RecordChange("questions", "peace-plan", "removed"),
    ]
    assert changes.pages == [RecordChange("pages", "introduction", "changed")]
    affected = set(changes.affected)
    # the records' own pages, the section pages that list them, the open data
    assert {"/events/envoy-visits-houla/", "/actors/government/", "/questions/peace-plan/"} <= affected
    assert {"/events/", "/timeline/", "/feed.xml", "/actors/", "/questions/", "/charts/", "/data/"} <= affected
    # what the new event names shows it: its actor, place and source
    assert {"/actors/envoy/", "/places/houla/", "/sources/daily-report/"} <= affected
    # what names the changed actor shows its name: the Houla event names the government
    assert "/events/houla-massacre/" in affected
    assert "/introduction/" in affected
    assert "/places/paris/" not in affected


def test_the_summary_counts_and_lists_the_changes(folders):
    base, head = folders
    (head / "events" / "envoy-visits-houla.yaml").write_text(NEW_EVENT, encoding="utf-8")
    text = markdown_summary(_changes(base, head), base_label="origin/main", head_label="data")
    assert text.startswith("## Data changes: origin/main → data")
    assert "**1 record added, 0 changed, 0 removed**" in text
    assert "| events | 1 | 0 | 0 |" in text
    assert "- added: `events/envoy-visits-houla`" in text
    assert "- `/events/envoy-visits-houla/`" in text


def test_site_yaml_changes_every_page(folders):
    base, head = folders
    site = head / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("Mini explainer", "Small explainer"), encoding="utf-8")
    changes = _changes(base, head)
    assert changes.records == [RecordChange("site", "site", "changed", ("title",))]
    assert changes.affected == [EVERY_PAGE]


def test_errors_and_warnings_of_the_new_data_are_listed(folders):
    base, head = folders
    (head / "events" / "broken.yaml").write_text(
        NEW_EVENT.replace("kind: diplomacy", "kind: diplomacyy"), encoding="utf-8"
    )
    changes = _changes(base, head)
    assert changes.records == [RecordChange("events", "broken", "added")]
    assert [d.path for d in changes.errors] == ["head/events/broken.yaml"]
    text = markdown_summary(changes, base_label="main", head_label="head")
    assert "### Errors" in text
    assert "head/events/broken.yaml:3:7: error: kind:" in text


def test_a_record_that_breaks_is_a_change(folders):
    base, head = folders
    path = head / "places" / "paris.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "lat2: 1\n", encoding="utf-8")
    changes = _changes(base, head)
    assert changes.records == [RecordChange("places", "paris", "changed", ("(the file could not be read)",))]


def test_long_lists_are_cut_short(tmp_path):
    base, head = tmp_path / "base", tmp_path / "head"
    shutil.copytree(MINI, base)
    shutil.copytree(MINI, head)
    for i in range(60):
        (head / "events" / f"extra-{i:02d}.yaml").write_text(NEW_EVENT, encoding="utf-8")
    text = markdown_summary(_changes(base, head), base_label="a", head_label="b")
    assert "- ... and 10 more records" in text
    assert "**60 records added" in text


# --- against a git revision ---------------------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false", *args],
        cwd=repo, check=True, capture_output=True,
    )  # fmt: skip


@pytest.fixture
def repo(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("x\n", encoding="utf-8")
    _git(repo, "add", "README.md")
    _git(repo, "commit", "-qm", "no data yet")
    shutil.copytree(MINI, repo / "data")
    _git(repo, "add", "data")
    _git(repo, "commit", "-qm", "data")
    monkeypatch.chdir(repo)
    return repo


def test_compares_the_working_tree_with_a_revision(repo, capsys):
    (repo / "data" / "events" / "envoy-visits-houla.yaml").write_text(NEW_EVENT, encoding="utf-8")
    (repo / "data" / "places" / "paris.yaml").unlink()
    assert main(["--base", "HEAD", "--data", "data"]) == 0
    out = capsys.readouterr().out
    assert "## Data changes: HEAD → data" in out
    assert "- added: `events/envoy-visits-houla`" in out
    assert "- removed: `places/paris`" in out


def test_a_revision_without_the_data_folder_makes_everything_new(repo, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier steps\n", encoding="utf-8")
    assert main(["--base", "HEAD~1", "--data", "data", "--output", str(summary)]) == 0
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier steps\n## Data changes: HEAD~1 → data")
    records = sum(
        len(list((MINI / name).glob("*.yaml"))) for name in ("actors", "events", "questions", "places", "sources")
    )
    assert f"**{records + 1} records added, 0 changed, 0 removed**" in text  # + site.yaml


def test_a_nested_data_folder_is_found_from_a_subfolder(repo, capsys, monkeypatch):
    monkeypatch.chdir(repo / "data")
    assert main(["--base", "HEAD", "--data", "."]) == 0
    assert "No record or page changed." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--base", "no-such-branch"], "unknown revision 'no-such-branch'"),
        (["--base", "HEAD", "--data", "missing"], "the data folder missing does not exist"),
        (["--base-data", "missing"], "the data folder missing does not exist"),
    ],
)
def test_wrong_usage_exits_2_with_a_message(repo, capsys, args, message):
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_two_folders_without_git(folders, capsys):
    base, head = folders
    (head / "events" / "envoy-visits-houla.yaml").write_text(NEW_EVENT, encoding="utf-8")
    assert main(["--base-data", str(base), "--data", str(head)]) == 0
    assert "**1 record added" in capsys.readouterr().out


def test_a_record_with_corrections_changes_the_corrections_page_and_the_feed(folders):
    base, head = folders
    government = head / "actors" / "government.yaml"
    government.write_text(
        government.read_text(encoding="utf-8")
        + "corrections:\n  - date: 2012-06-01\n    text: The summary named the wrong town.\n",
        encoding="utf-8",
    )
    changes = _changes(base, head)
    assert changes.records == [RecordChange("actors", "government", "changed", ("corrections",))]
    assert {"/corrections/", "/feed.xml", "/actors/government/"} <= set(changes.affected)


def test_a_record_without_corrections_leaves_the_corrections_page_alone(folders):
    base, head = folders
    place = head / "places" / "paris.yaml"
    place.write_text(place.read_text(encoding="utf-8").replace("Paris", "Paris (city)", 1), encoding="utf-8")
    changes = _changes(base, head)
    assert [change.id for change in changes.records] == ["paris"]
    assert "/places/paris/" in changes.affected
    assert "/corrections/" not in changes.affected
