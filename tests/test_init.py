"""`explainer init DIR`: a new explainer that validates without a warning and builds at once,
whose workflows, editor settings and pre-commit hook follow this repository's own rules, and
which never overwrites a file or follows a symbolic link."""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_workflows import PINNED, _commands, _load, _steps, _uses
from test_workflows import WORKFLOWS as REPOSITORY_WORKFLOWS

from explainer import __version__
from explainer.checking import models
from explainer.checking.models import COLLECTIONS, RECORD_MODELS, Site, known_keys
from explainer.checking.validate import check_data
from explainer.commands import cli
from explainer.commands.init import STARTER, VERSION_MARK, init_explainer, starter_files
from explainer.commands.schema import record_schemas
from explainer.commands.skeletons import ENUMS

ROOT = Path(__file__).resolve().parent.parent

# Every file `explainer init` writes. A new starter file must be added here on purpose.
EXPECTED_FILES = {
    "README.md",
    "Makefile",
    "requirements.txt",
    ".gitignore",
    ".pre-commit-config.yaml",
    ".github/dependabot.yml",
    ".github/workflows/pull-request.yml",
    ".github/workflows/publish.yml",
    ".vscode/settings.json",
    ".vscode/extensions.json",
    "data/site.yaml",
    "data/actors/example-person.yaml",
    "data/actors/example-organization.yaml",
    "data/events/example-meeting.yaml",
    "data/questions/example-question.yaml",
    "data/places/example-country.yaml",
    "data/places/example-city.yaml",
    "data/sources/example-report.yaml",
    "data/archive/example-report.txt",
    "data/pages/about.md",
    *(f"schema/{name}.schema.json" for name in (*COLLECTIONS, "site")),
}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One explainer made by `explainer init`, shared by the tests that only read it."""
    folder = tmp_path_factory.mktemp("made") / "my-explainer"
    assert cli.main(["init", str(folder)]) == 0
    return folder


def _files(folder: Path) -> set[str]:
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}


# --- what it writes -----------------------------------------------------------------------------


def test_init_writes_every_starter_file_and_the_schemas(made: Path) -> None:
    assert _files(made) == EXPECTED_FILES
    assert set(starter_files()) | {f for f in EXPECTED_FILES if f.startswith("schema/")} == EXPECTED_FILES


def test_the_output_lists_what_was_made_and_the_next_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    folder = tmp_path / "new"
    assert cli.main(["init", str(folder)]) == 0
    out = capsys.readouterr().out
    assert f"created {len(EXPECTED_FILES)} files in {folder}/" in out
    for name in EXPECTED_FILES:
        assert f"  {name}\n" in out
    for command in (f"cd {folder}", "make site", "make check", "explainer build --data data --out site"):
        assert command in out


def test_the_version_is_the_running_explainer(made: Path) -> None:
    for name in EXPECTED_FILES:
        assert VERSION_MARK not in (made / name).read_text(encoding="utf-8"), name
    requirements = (made / "requirements.txt").read_text(encoding="utf-8")
    assert re.search(rf"^explainer=={re.escape(__version__)}$", requirements, re.MULTILINE)
    assert f"explainer {__version__}" in (made / "README.md").read_text(encoding="utf-8")


def test_dotfiles_are_stored_under_plain_names_in_the_package() -> None:
    """A wheel keeps them whatever its build tool does with hidden files, and the starter's
    .gitignore or .github never act on this repository."""
    assert not list(STARTER.rglob(".*"))
    assert {name for name in starter_files() if name.startswith(".")} == {
        name for name in EXPECTED_FILES if name.startswith(".")
    }


def test_the_gitignore_keeps_made_things_out(made: Path) -> None:
    ignored = (made / ".gitignore").read_text(encoding="utf-8").split()
    assert {"/.venv/", "/site/", "/build/", "/schema/"} <= set(ignored)
    makefile = (made / "Makefile").read_text(encoding="utf-8")
    assert "$(BIN)/explainer schema --out schema" in makefile, "a fresh clone gets schema/ at set-up"


# --- the example data --------------------------------------------------------------------------


def test_the_example_validates_without_an_error_or_a_warning(made: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = check_data(made / "data", shown_dir="data", use_cache=False)
    assert result.report.lines(github=False) == []
    assert result.counts == {"actors": 2, "events": 1, "questions": 1, "places": 2, "sources": 1}
    assert cli.main(["validate", "--data", str(made / "data"), "--no-cache"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "valid" in captured.out


def test_the_example_quote_is_really_checked(made: Path, tmp_path: Path) -> None:
    """The archive text is what makes the quote pass: change a word and it is an error."""
    data = tmp_path / "data"
    shutil.copytree(made / "data", data)
    question = data / "questions" / "example-question.yaml"
    text = question.read_text(encoding="utf-8")
    assert "quote: The old bridge must be rebuilt" in text
    question.write_text(text.replace("must be rebuilt", "must be torn down"), encoding="utf-8")
    codes = [d.code for d in check_data(data, shown_dir="data", use_cache=False).report.diagnostics]
    assert codes == ["quote-not-found"]


def test_the_example_has_every_kind_and_the_v1_1_fields(made: Path) -> None:
    data = made / "data"
    site = yaml.safe_load((data / "site.yaml").read_text(encoding="utf-8"))
    assert site["license"] == "CC-BY-4.0"
    assert site["archive"] == "archive"
    assert {"title", "description", "language"} <= set(site)
    event = yaml.safe_load((data / "events" / "example-meeting.yaml").read_text(encoding="utf-8"))
    assert event["figures"]
    assert event["claims"]
    stances = yaml.safe_load((data / "questions" / "example-question.yaml").read_text(encoding="utf-8"))["stances"]
    assert len(stances) == 2
    assert any("quote" in s for s in stances)
    assert any("according_to" in s for s in stances)
    city = yaml.safe_load((data / "places" / "example-city.yaml").read_text(encoding="utf-8"))
    assert city["in"] == "example-country"
    assert city["aliases"]
    source = yaml.safe_load((data / "sources" / "example-report.yaml").read_text(encoding="utf-8"))
    quote = next(s["quote"] for s in stances if "quote" in s)
    assert quote in (data / "archive" / source["archive"]).read_text(encoding="utf-8")


_NESTED: dict[str, list[type[models.Model]]] = {
    "actors": [models.Actor, models.Role, models.Relation, models.Correction],
    "events": [models.Event, models.Participant, models.Figure, models.Claim],
    "questions": [models.Question, models.Stance],
    "places": [models.Place],
    "sources": [models.Source],
}


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_every_key_of_a_kind_is_shown_in_its_example(collection: str) -> None:
    """As in `explainer new`'s skeletons: every key is written or described in a comment."""
    folder = STARTER / "data" / collection
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.yaml")))
    for model in _NESTED[collection]:
        for key in known_keys(model):
            assert re.search(rf"(^|[\s#(,]){re.escape(key)}\b", text), f"{collection}: '{key}' ({model.__name__})"


def test_every_key_of_site_yaml_is_shown() -> None:
    text = (STARTER / "data" / "site.yaml").read_text(encoding="utf-8")
    for key in known_keys(Site):
        assert re.search(rf"^(# )?{key}:", text, re.MULTILINE), key


def test_the_allowed_values_are_listed_as_the_models_have_them() -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted((STARTER / "data").rglob("*.yaml")))
    for name, choices in ENUMS.items():
        assert choices in text, f"{name}: the comments do not list {choices}"
    assert typing.get_args(models.StanceValue) == ("for", "against", "mixed")


def test_the_example_is_neutral_placeholder_content() -> None:
    text = "\n".join(path.read_text(encoding="utf-8") for path in sorted((STARTER / "data").rglob("*.*")))
    for name in ("Syria", "Assad", "Annan", "Houla", "Damascus", "Russia", "United Nations"):
        assert name not in text
    for path in sorted((STARTER / "data").rglob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        shown = document.get("name") or document.get("title") or document.get("question")
        assert "xample" in shown, f"{path.name}: {shown}"


# --- refusing, keeping, links ------------------------------------------------------------------


def test_a_folder_that_is_not_empty_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    assert cli.main(["init", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"{folder} is not empty (notes.txt)" in err
    assert "--force" in err
    assert _files(folder) == {"notes.txt"}


def test_a_file_or_a_link_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert cli.main(["init", str(tmp_path / "file")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "empty")
    assert cli.main(["init", str(tmp_path / "link"), "--force"]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert list((tmp_path / "empty").iterdir()) == []


def test_an_empty_clone_counts_as_empty(tmp_path: Path) -> None:
    (tmp_path / "clone" / ".git").mkdir(parents=True)
    assert cli.main(["init", str(tmp_path / "clone")]) == 0
    assert _files(tmp_path / "clone") == EXPECTED_FILES


def test_force_adds_the_missing_files_and_keeps_the_others(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    folder = tmp_path / "mine"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "site.yaml").write_text("title: Mine\n", encoding="utf-8")
    (folder / "README.md").write_text("my readme\n", encoding="utf-8")
    (folder / ".gitignore").write_text("secret/\n", encoding="utf-8")
    assert cli.main(["init", str(folder), "--force"]) == 0
    out = capsys.readouterr().out
    assert (folder / "data" / "site.yaml").read_text(encoding="utf-8") == "title: Mine\n"
    assert (folder / "README.md").read_text(encoding="utf-8") == "my readme\n"
    assert (folder / ".gitignore").read_text(encoding="utf-8") == "secret/\n"
    assert _files(folder) == EXPECTED_FILES
    kept = out.split("kept 3 files that were there already (not overwritten):\n")[1]
    assert {line.strip() for line in kept.split("\n\n")[0].splitlines()} == {
        "data/site.yaml",
        "README.md",
        ".gitignore",
    }
    created = out.split("kept")[0]
    assert "  data/site.yaml\n" not in created
    assert f"created {len(EXPECTED_FILES) - 3} files" in out
    # Run again: nothing left to add, nothing touched.
    result = init_explainer(folder, force=True)
    assert result.created == []
    assert sorted(result.kept) == sorted(EXPECTED_FILES)


def test_force_never_follows_a_link_out_of_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "data").symlink_to(outside, target_is_directory=True)
    (folder / "README.md").symlink_to(outside / "README.md")  # a dangling link: still not followed
    assert cli.main(["init", str(folder), "--force"]) == 0
    out = capsys.readouterr().out
    assert list(outside.iterdir()) == []
    assert "symbolic links are never followed" in out
    assert "  data\n" in out
    assert "  README.md\n" in out
    assert (folder / "Makefile").is_file()


# --- the workflows, the editor and pre-commit follow the repository's rules ---------------------


def _starter_workflows(made: Path) -> dict[str, dict[str, Any]]:
    folder = made / ".github" / "workflows"
    return {path.name: _load(path) for path in sorted(folder.glob("*.y*ml"))}


def _repository_pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for path in sorted(REPOSITORY_WORKFLOWS.glob("*.yml")):
        for match in filter(None, map(PINNED.match, path.read_text(encoding="utf-8").splitlines())):
            pins[match.group(1)] = match.group(2)
    return pins


def test_every_action_is_pinned_to_the_commit_this_repository_uses(made: Path) -> None:
    pins = _repository_pins()
    for path in sorted((made / ".github" / "workflows").glob("*.yml")):
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"^\s*(-\s+)?uses:", line)]
        assert lines
        for line in lines:
            match = PINNED.match(line)
            assert match, f"{path.name}: not pinned to a commit with a '# vX.Y.Z' comment: {line.strip()}"
            assert pins.get(match.group(1)) == match.group(2), f"{path.name}: {match.group(1)} differs from ours"


def test_workflows_have_least_privilege_and_no_untrusted_code(made: Path) -> None:
    workflows = _starter_workflows(made)
    assert set(workflows) == {"pull-request.yml", "publish.yml"}
    for name, workflow in workflows.items():
        text = (made / ".github" / "workflows" / name).read_text(encoding="utf-8")
        assert "pull_request_target" not in text
        assert "workflow_run" not in workflow["on"]
        assert workflow["permissions"] == {}, f"{name}: nothing at the top; each job asks for what it needs"
        for command in _commands(_steps(workflow)):
            assert "${{" not in command, f"{name}: {command}"
        for step in _uses(_steps(workflow), "actions/checkout"):
            assert step["with"]["persist-credentials"] is False
        for job_name, job in workflow["jobs"].items():
            for step in _uses(job["steps"], "actions/setup-python"):
                assert step["with"]["cache"] == "pip", job_name
                assert step["with"]["cache-dependency-path"] == "requirements.txt", job_name
    pull_request = workflows["pull-request.yml"]
    assert set(pull_request["on"]) == {"pull_request"}
    assert {name: job["permissions"] for name, job in pull_request["jobs"].items()} == {"check": {"contents": "read"}}
    publish = workflows["publish.yml"]
    assert publish["on"]["push"]["branches"] == ["main"]
    build, deploy = publish["jobs"]["build"], publish["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]


def test_pull_requests_validate_then_build_and_main_publishes_that_build(made: Path) -> None:
    workflows = _starter_workflows(made)
    check = workflows["pull-request.yml"]["jobs"]["check"]["steps"]
    commands = _commands(check)
    assert commands.index("make check") < commands.index("make site")
    upload = _uses(check, "actions/upload-artifact")
    assert len(upload) == 1
    assert upload[0]["with"]["path"].rstrip("/") == "site"
    build = workflows["publish.yml"]["jobs"]["build"]["steps"]
    commands = _commands(build)
    assert commands.index("make check") < commands.index("make site")
    assert commands.count("make site") == 1
    pages = _uses(build, "actions/upload-pages-artifact")
    assert len(pages) == 1
    assert pages[0]["with"]["path"].rstrip("/") == "site"
    assert build[-1] is pages[0], "the uploaded site is exactly the one built"


def _validate_arguments(command: list[str]) -> Any:
    """Parse an `explainer validate ...` command line as the CLI does. `--strict` (warnings are
    errors) is the one option allowed to be unknown, until the CLI of this branch has it."""
    parser = cli._parser()
    arguments, unknown = parser.parse_known_args(command)
    strict_known = any(
        "--strict" in (getattr(sub, "_option_string_actions", {}) or {})
        for action in parser._actions
        if hasattr(action, "choices") and isinstance(action.choices, dict)
        for name, sub in action.choices.items()
        if name == "validate"
    )
    assert unknown == ([] if strict_known else [o for o in command if o == "--strict"]), unknown
    return arguments


def test_the_make_targets_run_the_commands_the_readme_names(made: Path) -> None:
    makefile = (made / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.MULTILINE))
    readme = (made / "README.md").read_text(encoding="utf-8")
    for workflow in _starter_workflows(made).values():
        for command in _commands(_steps(workflow)):
            if command.startswith("make "):
                assert command.split()[1] in targets
                assert command in readme
    assert re.search(r"^OUT \?= site$", makefile, re.MULTILINE)
    assert "$(BIN)/pip install --quiet -r requirements.txt" in makefile
    build = re.search(r"^\t\$\(BIN\)/explainer (build .*)$", makefile, re.MULTILINE)
    validate = re.search(r"^\t\$\(BIN\)/explainer (validate .*)$", makefile, re.MULTILINE)
    assert build
    assert validate
    variables = {"$(DATA)": "data", "$(OUT)": "site"}
    parsed = cli._parser().parse_args(shlex.split(_expand(build.group(1), variables)))
    assert (parsed.command, parsed.data, parsed.out) == ("build", "data", "site")
    checked = _validate_arguments(shlex.split(_expand(validate.group(1), variables)))
    assert (checked.command, checked.data) == ("validate", "data")
    assert "--strict" in validate.group(1)
    for line in makefile.splitlines():
        assert not line.startswith("    "), "recipes are indented with tabs"


def _expand(text: str, variables: dict[str, str]) -> str:
    for name, value in variables.items():
        text = text.replace(name, value)
    return text


def test_pre_commit_validates_the_data_with_the_pinned_explainer(made: Path) -> None:
    config = yaml.safe_load((made / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: (repo, hook) for repo in config["repos"] for hook in repo["hooks"]}
    repo, hook = hooks["explainer-validate"]
    assert repo["repo"] == "local"
    assert hook["language"] == "python"
    assert hook["additional_dependencies"] == [f"explainer=={__version__}"]
    assert hook["pass_filenames"] is False
    assert re.match(hook["files"], "data/events/example-meeting.yaml")
    arguments = _validate_arguments(shlex.split(hook["entry"])[1:])
    assert (arguments.command, arguments.data) == ("validate", "data")
    for other in config["repos"]:
        if other["repo"] != "local":
            assert re.fullmatch(r"v\d+\.\d+\.\d+", other["rev"]), f"{other['repo']}: pin a release"


def test_the_editor_maps_every_file_to_its_schema_and_the_schemas_are_there(made: Path) -> None:
    from jsonschema import Draft202012Validator

    from explainer.checking.yaml_loader import load_document

    settings = json.loads((made / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    repository = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == repository["yaml.schemas"], "the same mapping as this repository's"
    assert settings["yaml.schemaStore.enable"] is False
    assert set(settings["yaml.schemas"]) == {f"./schema/{name}.schema.json" for name in record_schemas()}
    data_files = sorted(p.relative_to(made).as_posix() for p in (made / "data").rglob("*.yaml"))
    checked = []
    for schema_name, patterns in settings["yaml.schemas"].items():
        schema_file = made / schema_name
        assert schema_file.is_file(), f"{schema_name}: written by init, so the editor works at once"
        validator = Draft202012Validator(json.loads(schema_file.read_text(encoding="utf-8")))
        for file in data_files:
            if any(fnmatch.fnmatch(file, pattern) for pattern in patterns):
                document, problems = load_document((made / file).read_bytes(), file)
                assert document is not None, problems
                assert [e.message for e in validator.iter_errors(document.data)] == [], file
                checked.append(file)
    assert sorted(checked) == data_files, "every data file is mapped to one schema"
    extensions = json.loads((made / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def test_the_starter_records_match_the_models_kinds() -> None:
    assert set(RECORD_MODELS) == {p.name for p in (STARTER / "data").iterdir() if p.is_dir()} - {"pages", "archive"}


# --- it builds ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_init_then_build_in_the_new_folder_gives_a_site(tmp_path: Path) -> None:
    """`explainer init x && cd x && explainer build --data data --out site`, as a user types it."""
    env = {key: value for key, value in os.environ.items() if key != "EXPLAINER_ASSETS_DIR"}
    env["PYTHONPATH"] = str(ROOT)
    explainer = [sys.executable, "-m", "explainer"]
    made = subprocess.run([*explainer, "init", "x"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert made.returncode == 0, made.stderr
    folder = tmp_path / "x"
    built = subprocess.run(
        [*explainer, "build", "--data", "data", "--out", "site"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    site = folder / "site"
    for page in (
        "index.html",
        "about/index.html",
        "actors/example-person/index.html",
        "events/example-meeting/index.html",
        "questions/example-question/index.html",
        "places/example-city/index.html",
        "sources/example-report/index.html",
        "about/format/index.html",
        "map/index.html",
        "data/datapackage.json",
        "feed.xml",
    ):
        assert (site / page).is_file(), page
    person = (site / "actors" / "example-person" / "index.html").read_text(encoding="utf-8")
    assert "Example Person" in person
    figure = json.loads((site / "assets" / "charts" / "map.json").read_text(encoding="utf-8"))
    assert any(trace.get("marker") for trace in figure["data"]), "the example event is on the map"
