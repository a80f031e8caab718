"""The rules of the GitHub Actions workflows and the editors' tooling, checked so that they
cannot silently regress: triggers, permissions, pinned actions, the README's commands, the
pre-commit hooks and the YAML schema mapping. (The workflows cannot run here.)"""

from __future__ import annotations

import fnmatch
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from explainer.checking.models import COLLECTIONS
from explainer.commands.cli import _parser
from explainer.commands.schema import write_schemas

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PULL_REQUEST = WORKFLOWS / "pull-request.yml"
PUBLISH = WORKFLOWS / "publish.yml"
NEWEST = WORKFLOWS / "newest.yml"
MAKEFILE = ROOT / "Makefile"
LOCK = ROOT / "requirements" / "lock.txt"
PYPROJECT = ROOT / "pyproject.toml"
PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s*([\w.-]+/[\w./-]+)@([0-9a-f]{40})\s+#\s*v\d+(\.\d+){0,2}\s*$")


def _load(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict), f"{path.name}: not a mapping"
    if True in document:  # YAML 1.1 reads the key `on` as the boolean true
        document["on"] = document.pop(True)
    return document


def _workflows() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml")) + sorted(WORKFLOWS.glob("*.yaml"))


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _commands(steps: list[dict[str, Any]]) -> list[str]:
    """Every command line of the `run:` steps, continuation lines joined."""
    lines = []
    for step in steps:
        if "run" in step:
            lines += [line.strip() for line in step["run"].replace("\\\n", " ").splitlines() if line.strip()]
    return lines


def _uses(steps: list[dict[str, Any]], action: str) -> list[dict[str, Any]]:
    return [step for step in steps if step.get("uses", "").split("@")[0] == action]


def _make_targets() -> set[str]:
    return set(re.findall(r"^([a-z][\w-]*):", MAKEFILE.read_text(encoding="utf-8"), re.MULTILINE))


def test_the_workflows_exist():
    assert {path.name for path in _workflows()} >= {PULL_REQUEST.name, PUBLISH.name, NEWEST.name}


@pytest.mark.parametrize("path", _workflows(), ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_commit_with_its_version(path):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"^\s*(-\s+)?uses:", line)]
    assert lines, f"{path.name} uses no actions"
    for line in lines:
        assert PINNED.match(line), f"{path.name}: not pinned to a commit SHA with a '# vX.Y.Z' comment: {line.strip()}"


def test_one_action_one_commit_across_workflows():
    pins: dict[str, set[str]] = {}
    for path in _workflows():
        for match in filter(None, map(PINNED.match, path.read_text(encoding="utf-8").splitlines())):
            pins.setdefault(match.group(1), set()).add(match.group(2))
    assert pins
    assert {action: shas for action, shas in pins.items() if len(shas) > 1} == {}


@pytest.mark.parametrize("path", _workflows(), ids=lambda p: p.name)
def test_no_workflow_runs_untrusted_code_with_secrets(path):
    text = path.read_text(encoding="utf-8")
    workflow = _load(path)
    assert "pull_request_target" not in text
    assert "workflow_run" not in workflow["on"]
    assert "permissions" in workflow, f"{path.name}: set top-level permissions explicitly"
    for command in _commands(_steps(workflow)):
        assert "${{" not in command, f"{path.name}: pass expressions through env, not into scripts: {command}"
    for step in _uses(_steps(workflow), "actions/checkout"):
        assert step.get("with", {}).get("persist-credentials") is False, f"{path.name}: checkout keeps the token"


def _setup_steps_are_cached(workflow: dict[str, Any]) -> None:
    for job_name, job in workflow["jobs"].items():
        steps = job.get("steps", [])
        for step in _uses(steps, "actions/setup-python"):
            assert step["with"]["cache"] == "pip", job_name
            assert "requirements/lock.txt" in step["with"]["cache-dependency-path"].split(), job_name
        for step in _uses(steps, "actions/setup-node"):
            assert step["with"]["cache"] == "npm", job_name


def _job_steps(job: dict[str, Any], name: str) -> dict[str, Any]:
    return next(step for step in job["steps"] if step.get("name") == name)


def test_pull_requests_run_read_only_jobs():
    workflow = _load(PULL_REQUEST)
    assert set(workflow["on"]) == {"pull_request"}
    assert workflow["permissions"] == {}, "nothing by default; each job says what it reads"
    for name, job in workflow["jobs"].items():
        assert job["permissions"] == {"contents": "read"}, name
        assert "environment" not in job, f"{name}: a pull request deploys nothing"
    _setup_steps_are_cached(workflow)


def test_the_first_job_only_validates_the_data_and_summarises_it():
    workflow = _load(PULL_REQUEST)
    name, job = next(iter(workflow["jobs"].items()))
    assert name == "validate"
    assert "needs" not in job, "validation starts at once"
    assert "if" not in job, "validation always runs"
    assert job["timeout-minutes"] <= 5
    steps = job["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0, "the summary needs the base commit"
    assert not _uses(steps, "actions/setup-node"), "no Node"
    text = yaml.safe_dump(job)
    for slow in ("make ", "npm", "chromium", "EXPLAINER_CHROMIUM", "BROWSER_PATH", "playwright"):
        assert slow not in text, f"the validate job needs no {slow.strip()}"
    commands = _commands(steps)
    validations = [shlex.split(c) for c in commands if c.startswith(".venv/bin/explainer validate")]
    assert len(validations) == 2, "strict with the archive, not strict without it"
    parsed = [_parser().parse_args([a.strip('"') for a in command[1:]]) for command in validations]
    assert [(p.command, p.data, p.strict) for p in parsed] == [("validate", "data", True), ("validate", "data", False)]
    summary = _job_steps(job, "Summarise the data changes")
    assert "always()" in summary["if"]
    assert summary["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert '--output "$GITHUB_STEP_SUMMARY"' in summary["run"]


def _run_step(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": os.environ["PATH"], "HOME": str(cwd), **env}
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=environment, capture_output=True, text=True)


@pytest.mark.parametrize("archive", [True, False], ids=["archive", "no-archive"])
def test_validation_is_strict_only_when_the_archive_is_there(tmp_path, archive):
    """The step runs as written; `explainer` is replaced by a recorder of its arguments."""
    step = _job_steps(_load(PULL_REQUEST)["jobs"]["validate"], "Validate the data")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "site.yaml").write_text("title: T\narchive: ../texts\n", encoding="utf-8")
    if archive:
        (tmp_path / "texts").mkdir()
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(sys.executable)
    (bin_dir / "explainer").write_text('#!/bin/sh\necho "$@" > called.txt\n', encoding="utf-8")
    (bin_dir / "explainer").chmod(0o755)
    summary = tmp_path / "summary.md"
    result = _run_step(step["run"], tmp_path, GITHUB_STEP_SUMMARY=str(summary))
    assert result.returncode == 0, result.stderr
    called = (tmp_path / "called.txt").read_text(encoding="utf-8").split()
    if archive:
        assert called == ["validate", "--strict", "--data", "data", "--archive", "data/../texts"]
        assert "strict" in summary.read_text(encoding="utf-8")
    else:
        assert called == ["validate", "--data", "data"]
        assert "**not strict**" in summary.read_text(encoding="utf-8")
        assert "data/../texts" in summary.read_text(encoding="utf-8"), "says which folder is missing"


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.mark.parametrize(
    ("changed", "code"),
    [(["data/events/a.yaml"], "false"), (["data/events/a.yaml", "explainer/x.py"], "true"), (["README.md"], "true")],
)
def test_the_scope_job_runs_the_tests_only_when_code_changed(tmp_path, changed, code):
    step = _job_steps(_load(PULL_REQUEST)["jobs"]["scope"], "Did anything outside data/ change?")
    _git(tmp_path, "init", "--quiet")
    for args in (("config", "user.email", "t@example.org"), ("config", "user.name", "T")):
        _git(tmp_path, *args)
    for path in ("data/events/a.yaml", "explainer/x.py", "README.md"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("one\n", encoding="utf-8")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "--quiet", "-m", "base")
    base = _git(tmp_path, "rev-parse", "HEAD")
    for path in changed:
        (tmp_path / path).write_text("two\n", encoding="utf-8")
    _git(tmp_path, "commit", "--quiet", "-am", "change")
    output, summary = tmp_path / "output.txt", tmp_path / "summary.md"
    environment = {"BASE_SHA": base, "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)}
    result = _run_step(step["run"], tmp_path, **environment)
    assert result.returncode == 0, result.stderr
    assert output.read_text(encoding="utf-8") == f"code={code}\n"
    result = _run_step(step["run"], tmp_path, **{**environment, "BASE_SHA": "0" * 40})
    assert output.read_text(encoding="utf-8").endswith("code=true\n"), "when git cannot tell, everything runs"


def test_lint_tests_and_zensical_run_only_when_code_changed():
    jobs = _load(PULL_REQUEST)["jobs"]
    assert jobs["scope"]["outputs"]["code"] == "${{ steps.diff.outputs.code }}"
    for name in ("test", "zensical"):
        assert jobs[name]["needs"] == "scope", name
        assert jobs[name]["if"] == "${{ needs.scope.outputs.code == 'true' }}", name
    for name in ("validate", "scope", "build"):
        assert "if" not in jobs[name], f"{name} runs for every pull request"
    commands = _commands(jobs["test"]["steps"])
    assert commands.index("make setup") < commands.index("make lint") < commands.index("make test")
    for name, job in jobs.items():
        if name != "test":
            assert not {"make test", "make lint"} & set(_commands(job["steps"])), name


def test_the_build_job_uploads_the_site_and_one_browsable_page_of_the_changed_pages():
    job = _load(PULL_REQUEST)["jobs"]["build"]
    steps = job["steps"]
    commands = _commands(steps)
    assert commands.index("make setup") < commands.index("make site")
    assert steps[0]["with"]["fetch-depth"] == 0, "the changed pages are found against the base commit"
    site, page = _uses(steps, "actions/upload-artifact")
    assert (site["with"]["name"], site["with"]["path"].rstrip("/")) == ("site-preview", "site")
    assert page["with"]["archive"] is False, "unzipped, so it opens in the browser"
    assert page["with"]["path"] == "pr-preview/pr-preview.html"
    maker = next(c for c in commands if "preview_pages.py" in c)
    assert "--site site" in maker
    assert '--base "$BASE_SHA"' in maker
    assert "--output pr-preview/pr-preview.html" in maker
    assert steps.index(site) < next(i for i, s in enumerate(steps) if "preview_pages.py" in s.get("run", ""))
    links = _job_steps(job, "Link the previews from the job summary")
    assert links["env"] == {
        "PAGES_URL": "${{ steps.pages.outputs.artifact-url }}",
        "SITE_URL": "${{ steps.site.outputs.artifact-url }}",
    }
    assert (site["id"], page["id"]) == ("site", "pages")
    assert "GITHUB_STEP_SUMMARY" in links["run"]


def test_main_builds_once_and_only_the_deploy_job_may_write_pages():
    workflow = _load(PUBLISH)
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {}
    _setup_steps_are_cached(workflow)
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]
    commands = _commands(build["steps"])
    assert commands.count("make site") == 1
    assert not any("explainer build" in command for command in commands), "build once: make site"
    upload = _uses(build["steps"], "actions/upload-pages-artifact")
    assert len(upload) == 1
    assert upload[0]["with"]["path"].rstrip("/") == "site"
    assert build["steps"][-1] is upload[0], "the uploaded site is exactly the one built"
    assert {step.get("uses", "").split("@")[0] for step in build["steps"]}.isdisjoint({"actions/deploy-pages"})


def test_a_zensical_job_builds_the_same_generated_folder():
    job = _load(PULL_REQUEST)["jobs"]["zensical"]
    commands = _commands(job["steps"])
    build = next(command for command in commands if " build " in f" {command} " and "explainer" in command)
    arguments = shlex.split(build)[1:]
    parsed = _parser().parse_args(arguments)  # the flags exist in the command line
    assert (parsed.command, parsed.data, parsed.keep_build) == ("build", "data", "build")
    assert "make setup" in commands
    assert not any("pip install" in command for command in commands), "Zensical comes from the lock"
    pinned = re.search(r"^zensical==([\d.]+) ", LOCK.read_text(encoding="utf-8"), re.MULTILINE)
    assert pinned, "zensical is in the lock"
    assert f"zensical=={pinned.group(1)}" in PYPROJECT.read_text(encoding="utf-8"), "the lock has the pinned release"
    assert ".venv/bin/zensical build -f build/mkdocs.yml" in commands


def test_workflow_commands_are_the_readme_commands():
    """Each `make X` is a Makefile target; the site is built where the Makefile builds it."""
    targets = _make_targets()
    makefile = MAKEFILE.read_text(encoding="utf-8")
    assert re.search(r"^OUT \?= site$", makefile, re.MULTILINE)
    assert "$(BIN)/explainer build --data $(DATA) --out $(OUT)" in makefile
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for path in _workflows():
        for command in _commands(_steps(_load(path))):
            if command.startswith("make "):
                target = command.split()[1]
                assert target in targets, f"{path.name}: make {target} is not in the Makefile"
                assert f"make {target}" in readme + ci or target == "setup", (
                    f"make {target} is in neither README nor .ci/run"
                )
    assert "make test" in ci


def test_browser_tests_fail_rather_than_skip_in_actions():
    """GitHub sets CI=true: the workflows must find a browser, or the browser tests fail."""
    for path in (PULL_REQUEST, PUBLISH):
        steps = _load(path)["jobs"]["test" if path == PULL_REQUEST else "build"]["steps"]
        finder = [step for step in steps if "EXPLAINER_CHROMIUM" in step.get("run", "")]
        assert finder, f"{path.name}: no step sets EXPLAINER_CHROMIUM"
        test_step = next(step for step in steps if step.get("run") == "make test")
        assert steps.index(finder[0]) < steps.index(test_step)


# --- reproducible installs: the lock --------------------------------------------------------------


def _lock_pins() -> dict[str, tuple[str, list[str]]]:
    """Each locked package: its version and hashes (pip-compile's `name==version \\ --hash=...`)."""
    pins: dict[str, tuple[str, list[str]]] = {}
    for entry in re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text(encoding="utf-8")):
        first = entry.split(maxsplit=1)[0]
        if "==" not in first:
            continue
        name, version = first.split("==")
        pins[re.sub(r"[-_.]+", "-", name.lower())] = (version, re.findall(r"--hash=sha256:([0-9a-f]{64})", entry))
    return pins


def _names(requirements: list[str]) -> set[str]:
    """The normalised project names of requirement strings (`PyYAML>=6` -> `pyyaml`)."""
    return {re.sub(r"[-_.]+", "-", re.split(r"[^A-Za-z0-9._-]", r, maxsplit=1)[0].lower()) for r in requirements}


def test_the_lock_pins_every_dependency_with_hashes():
    """Runtime, every extra and the build backend: an exact version and its sha256 hashes each."""
    pyproject = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    pins = _lock_pins()
    assert len(pins) > 40
    for name, (version, hashes) in pins.items():
        assert re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", version), name
        assert hashes, f"{name} has no hash"
    wanted = _names(pyproject["project"]["dependencies"])
    for extra in pyproject["project"]["optional-dependencies"].values():
        wanted |= _names(extra)
    wanted |= _names(pyproject["build-system"]["requires"])
    assert wanted - set(pins) == set(), "make lock: pyproject.toml names packages the lock does not pin"
    assert {"import-linter", "nh3", "setuptools", "kaleido", "pytest"} <= set(pins)


def test_the_lock_is_made_by_make_lock_and_names_no_local_index():
    text = LOCK.read_text(encoding="utf-8")
    assert "#    make lock\n" in text, "the header names the command that refreshes it"
    assert "pip-compile with Python 3.11" in text, "the lock is for the Python of CI and the machines"
    for leak in ("--index-url", "--extra-index-url", "--find-links", "file://", "/opt/", "/tmp/", "/work/"):
        assert leak not in text
    makefile = MAKEFILE.read_text(encoding="utf-8")
    assert "LOCK := requirements/lock.txt" in makefile
    for flag in ("--generate-hashes", "--all-extras", "--all-build-deps", "--allow-unsafe", "--no-emit-index-url"):
        assert flag in makefile
    assert re.search(r"^PIP_TOOLS := pip-tools==[\d.]+$", makefile, re.MULTILINE), "the lock tool is pinned"
    assert {"lock", "lock-upgrade"} <= _make_targets()


def _recipe(target: str) -> list[str]:
    makefile = MAKEFILE.read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert match, f"no recipe for {target}"
    return [line.strip() for line in match.group(1).splitlines()]


def test_setup_installs_exactly_the_lock():
    """Hash-checked wheels from the lock, then the project itself with no dependencies and the
    locked build backend (no build isolation, which would fetch an unlocked setuptools)."""
    recipe = _recipe("$(VENV)/.installed")
    installs = [line for line in recipe if " install " in f" {line} "]
    assert installs == [
        "$(BIN)/pip install --quiet --require-hashes --only-binary :all: -r $(LOCK)",
        "$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .",
    ]
    assert "$(BIN)/pip check" in recipe
    assert re.search(r"^\$\(VENV\)/\.installed: pyproject\.toml \$\(LOCK\)$", MAKEFILE.read_text(), re.MULTILINE)
    makefile = MAKEFILE.read_text(encoding="utf-8")
    other = [line for line in makefile.splitlines() if "pip install" in line and line.strip() not in installs]
    assert all("$(PIP_TOOLS)" in line for line in other), f"an install that is not the lock: {other}"


SUBSET = ROOT / ".github" / "scripts" / "lock_subset.py"
SUBSET_INSTALL = [
    'python .github/scripts/lock_subset.py > "$RUNNER_TEMP/runtime-lock.txt"',
    "python -m venv .venv",
    '.venv/bin/pip install --quiet --require-hashes --no-deps --only-binary :all: -r "$RUNNER_TEMP/runtime-lock.txt"',
    ".venv/bin/pip install --quiet --no-deps --no-build-isolation -e .",
    ".venv/bin/pip check",
]


@pytest.mark.parametrize("path", [p for p in _workflows() if p != NEWEST], ids=lambda p: p.name)
def test_every_workflow_installs_from_the_lock(path):
    """No workflow but the weekly newest-releases one installs a package that is not locked:
    either `make setup` (the whole lock) or the lock's runtime part, hash-checked, then `pip check`."""
    workflow = _load(path)
    for name, job in workflow["jobs"].items():
        commands = _commands(job.get("steps", []))
        installs = [c for c in commands if re.search(r"\bpip3? install\b|\buv\b|\bpipx?\b.*\binstall\b", c)]
        if installs:
            step = next(s["run"] for s in job["steps"] if "pip install" in s.get("run", ""))
            assert _commands([{"run": step}]) == SUBSET_INSTALL, f"{path.name} {name}: install from the lock"
        uses = [i for i, c in enumerate(commands) if c.startswith((".venv/", "make "))]
        if uses and not installs:
            assert commands[uses[0]] == "make setup", f"{path.name} {name}: set up from the lock first"


def _load_script(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, ROOT / ".github" / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_runtime_part_of_the_lock_is_complete_and_hash_pinned():
    """What validation installs: the runtime dependencies and what they pull in, per the lock's
    `# via` notes, and the build backend; no test tool, no browser driver."""
    subset = _load_script("lock_subset")
    pyproject = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    lock = LOCK.read_text(encoding="utf-8")
    entries = subset.runtime_subset(lock, pyproject["project"]["dependencies"])
    pins = _lock_pins()
    chosen = {re.sub(r"[-_.]+", "-", e.split("==")[0].lower()): e for e in entries}
    assert _names(pyproject["project"]["dependencies"]) | {"setuptools"} <= set(chosen)
    for name, entry in chosen.items():
        version, hashes = pins[name]
        assert entry.startswith(f"{entry.split('==')[0]}=={version} ")
        assert set(re.findall(r"--hash=sha256:([0-9a-f]{64})", entry)) == set(hashes), name
    for name, (_, parents) in subset.parse_lock(lock).items():
        if {subset.normalise(p) for p in parents} & set(chosen):
            assert name in chosen, f"{name} is needed by a runtime package"
    assert {"pytest", "playwright", "kaleido", "mypy", "ruff", "zensical"}.isdisjoint(chosen)
    assert len(chosen) < len(pins)
    with pytest.raises(LookupError, match="make lock"):
        subset.runtime_subset(lock, ["not-locked-anywhere>=1"])
    result = subprocess.run([sys.executable, str(SUBSET)], capture_output=True, text=True, check=True)
    assert result.stdout == "\n".join(entries) + "\n"


def _built_page(site: Path, page: str, body: str) -> None:
    folder = site / page.strip("/")
    folder.mkdir(parents=True, exist_ok=True)
    depth = "../" * len([part for part in page.split("/") if part])
    (folder / "index.html").write_text(
        f'<html><head><link rel="stylesheet" href="{depth}assets/site.css"></head><body>'
        f'<article class="md-content__inner md-typeset">{body}<script>alert(1)</script></article></body></html>',
        encoding="utf-8",
    )


def test_the_preview_page_shows_the_changed_pages_in_one_file(tmp_path):
    preview = _load_script("preview_pages")
    site = tmp_path / "site"
    (site / "assets" / "charts").mkdir(parents=True)
    (site / "assets" / "site.css").write_text(".md-typeset{color:teal}", encoding="utf-8")
    (site / "assets" / "charts" / "t.png").write_bytes(b"\x89PNG-bytes")
    _built_page(site, "/", "<h1>Home</h1>")
    _built_page(
        site,
        "/events/houla/",
        '<h1 id="houla">Houla</h1><a href="../../actors/un/#roles">UN</a> <a href="../../places/x/">X</a>'
        ' <a href="#houla">here</a> <img src="../../assets/charts/t.png"> <a href="https://example.org/">out</a>',
    )
    _built_page(site, "/actors/un/", '<h1 id="roles">UN</h1>')
    _built_page(site, "/places/x/", "<h1>X</h1>")
    affected = ["/actors/un/", "/events/houla/", "/feed.xml", "/events/removed/"]
    text = preview.preview_html(site, affected, "https://pub.example/site/", "Preview")
    assert "<script" not in text
    assert ".md-typeset{color:teal}" in text, "the site's stylesheet is inlined"
    assert text.count("<section ") == 2
    assert 'href="#page-actors-un--roles"' in text, "a link to a shown page stays in the file"
    assert 'id="page-actors-un--roles"' in text
    assert 'id="page-events-houla--houla"' in text
    assert 'href="#page-events-houla--houla"' in text
    assert 'href="https://pub.example/site/places/x/"' in text, "other pages: the published site"
    assert 'href="https://example.org/"' in text
    assert 'src="data:image/png;base64,iVBORy1ieXRlcw=="' in text, "chart images travel inside the file"
    assert "<code>/feed.xml</code>" in text, "listed as not shown"
    assert "<code>/events/removed/</code>" in text, "listed as not shown"
    every = preview.preview_html(site, [preview.EVERY_PAGE], "", "Preview")
    assert every.count("<section ") == 4
    assert "site.yaml" in every


def test_the_preview_script_finds_the_changed_pages_with_git(tmp_path):
    """End to end on a copy of the data in a repository: one changed event, its pages shown."""
    preview = _load_script("preview_pages")
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "data", repo / "data", ignore=shutil.ignore_patterns("archive"))
    _git(repo, "init", "--quiet")
    for args in (("config", "user.email", "t@example.org"), ("config", "user.name", "T")):
        _git(repo, *args)
    _git(repo, "add", ".")
    _git(repo, "commit", "--quiet", "-m", "base")
    event = sorted((repo / "data" / "events").glob("*.yaml"))[0]
    event.write_text(event.read_text(encoding="utf-8").replace("title: ", "title: Changed ", 1), encoding="utf-8")
    site = tmp_path / "site"
    _built_page(site, "/", "<h1>Home</h1>")
    _built_page(site, f"/events/{event.stem}/", "<h1>Changed</h1>")
    output = tmp_path / "out" / "pr-preview.html"
    arguments = ["--site", str(site), "--base", "HEAD", "--data", "data", "--output", str(output)]
    cwd = Path.cwd()
    try:
        os.chdir(repo)
        assert preview.main(arguments) == 0
    finally:
        os.chdir(cwd)
    text = output.read_text(encoding="utf-8")
    assert f'<section id="page-events-{event.stem}">' in text
    assert "<code>/events/</code>" in text, "the section page is listed (not built here, so not shown)"
    assert preview.main([*arguments[:2], "--base", "no-such-revision", *arguments[4:]]) == 2


def test_ci_runs_the_tests_then_the_linters_through_make():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in ci.splitlines() if line.strip().startswith("make ")]
    assert commands == ["make test", "make lint"]
    assert "pip install" not in ci


def test_the_newest_releases_are_tested_weekly_without_the_lock():
    workflow = _load(NEWEST)
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    (schedule,) = workflow["on"]["schedule"]
    _minute, _hour, day, month, weekday = schedule["cron"].split()
    assert (day, month) == ("*", "*"), "once a week"
    assert weekday.isdigit(), "once a week"
    assert workflow["permissions"] == {}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    commands = _commands(job["steps"])
    assert ".venv/bin/pip install --upgrade --upgrade-strategy eager -e '.[test,images]'" in commands
    assert not any("requirements/lock.txt" in c and "install" in c for c in commands), "newest, not the lock"
    assert not any(command.startswith("make ") for command in commands), "make would install the lock"
    assert commands[-1] == ".venv/bin/pytest"
    assert any("GITHUB_STEP_SUMMARY" in command for command in commands), "the versions tested are shown"
    assert any("EXPLAINER_CHROMIUM" in step.get("run", "") for step in job["steps"]), "browser tests run"


def test_dependabot_watches_pip_npm_and_actions():
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert config["version"] == 2
    ecosystems = {update["package-ecosystem"]: update for update in config["updates"]}
    assert set(ecosystems) == {"pip", "npm", "github-actions"}
    for update in ecosystems.values():
        assert update["directory"] == "/"
        assert update["schedule"]["interval"] in {"daily", "weekly"}


# --- the editor's tooling -----------------------------------------------------------------------


def test_pre_commit_runs_ruff_yaml_syntax_and_explainer_validate():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: (repo["repo"], repo.get("rev"), hook) for repo in config["repos"] for hook in repo["hooks"]}
    for hook_id in ("ruff-check", "ruff-format"):
        assert hooks[hook_id][0] == "https://github.com/astral-sh/ruff-pre-commit"
    assert hooks["check-yaml"][0] == "https://github.com/pre-commit/pre-commit-hooks"
    for repo in config["repos"]:
        if repo["repo"] != "local":
            assert re.fullmatch(r"v\d+\.\d+\.\d+", repo["rev"]), f"{repo['repo']}: pin a release"
    validate = hooks["explainer-validate"][2]
    assert validate["entry"] == "explainer validate --data data"
    assert validate["pass_filenames"] is False
    assert re.match(validate["files"], "data/events/houla-massacre.yaml")
    arguments = _parser().parse_args(shlex.split(validate["entry"])[1:])
    assert arguments.command == "validate"


def test_vscode_maps_every_record_kind_to_the_schema_explainer_writes(tmp_path):
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    written = {f"./schema/{path.name}" for path in write_schemas(tmp_path / "schema")}
    assert set(mapping) == written, "one mapping per schema that `explainer schema` writes"
    assert _parser().parse_args(["schema"]).out == "schema", "the settings name the default schema folder"
    assert settings["yaml.schemaStore.enable"] is False, "no schemas fetched from other hosts"
    globs = mapping
    for collection in COLLECTIONS:
        patterns = globs[f"./schema/{collection}.schema.json"]
        files = [path.relative_to(ROOT).as_posix() for path in (ROOT / "data" / collection).glob("*.yaml")]
        assert files
        assert all(any(fnmatch.fnmatch(file, pattern) for pattern in patterns) for file in files), collection
    assert globs["./schema/site.schema.json"] == ["data/site.yaml"]
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


def test_the_editing_guide_documents_the_workflow():
    guide = (ROOT / "explainer" / "docs" / "editing.md").read_text(encoding="utf-8")
    for needed in (
        "explainer new event",
        "explainer validate",
        "explainer serve",
        "explainer schema",
        "pre-commit install",
        ".vscode/settings.json",
        "pull request",
        "site-preview",
    ):
        assert needed in guide, f"docs/editing.md does not mention {needed}"
    for image in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", guide):
        assert (ROOT / "explainer" / "docs" / image).is_file(), f"docs/editing.md shows a missing image {image}"


def test_the_schemas_the_editor_uses_accept_every_data_file(tmp_path):
    """Autocompletion must not underline valid data: each file passes its mapped schema."""
    from jsonschema import Draft202012Validator

    from explainer.checking.yaml_loader import load_document

    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    write_schemas(tmp_path / "schema")
    checked = 0
    for schema_name, patterns in settings["yaml.schemas"].items():
        schema = json.loads((tmp_path / schema_name).read_text(encoding="utf-8"))
        validator = Draft202012Validator(schema)
        for pattern in patterns:
            for path in sorted(ROOT.glob(pattern)):
                document, problems = load_document(path.read_bytes(), str(path))
                assert document is not None, problems
                errors = [
                    f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document.data)
                ]
                assert errors == [], f"{path.relative_to(ROOT)}: {errors}"
                checked += 1
    assert checked > 100


# --- embed versions kept across deploys (issue 14) -------------------------------------------------

STARTER_PUBLISH = ROOT / "explainer" / "starter" / "dot-github" / "workflows" / "publish.yml"
FETCH_VERSIONS = "Fetch the embed versions of earlier deploys"
COMMIT_VERSIONS = "Commit its new versions to the embed-versions branch"


@pytest.mark.parametrize("path", [PUBLISH, STARTER_PUBLISH], ids=["repository", "starter"])
def test_versions_are_read_by_the_build_and_written_only_after_the_deploy(path):
    workflow = _load(path)
    build, deploy, versions = (workflow["jobs"][name] for name in ("build", "deploy", "versions"))
    fetch = _job_steps(build, FETCH_VERSIONS)
    site = next(step for step in build["steps"] if step.get("run") == "make site")
    assert build["steps"].index(fetch) < build["steps"].index(site)
    assert site["env"]["EXPLAINER_VERSIONS"] == fetch["env"]["VERSIONS_DIR"], "the build reads what was fetched"
    assert fetch["env"]["GITHUB_TOKEN"] == "${{ github.token }}"
    assert build["permissions"] == {"contents": "read"}, "the build job's token stays read-only"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    # the one job that writes the repository: after the deploy, only git on the deployed site
    assert versions["needs"] == "deploy"
    assert versions["permissions"] == {"contents": "write"}
    assert "environment" not in versions
    download, commit = versions["steps"]
    assert download["uses"].split("@")[0] == "actions/download-artifact"
    assert download["with"]["name"] == "github-pages", "exactly the site that was deployed"
    assert commit["name"] == COMMIT_VERSIONS
    assert not _uses(versions["steps"], "actions/checkout"), "the project's code is never checked out"
    assert not any(c.startswith(("make", ".venv/", "pip", "npm", "python")) for c in _commands(versions["steps"]))
    assert fetch["env"]["VERSIONS_BRANCH"] == commit["env"]["VERSIONS_BRANCH"] == "embed-versions"


def test_the_starter_keeps_versions_exactly_as_the_repository_does():
    ours, starter = _load(PUBLISH), _load(STARTER_PUBLISH)
    assert starter["jobs"]["versions"] == ours["jobs"]["versions"]
    assert _job_steps(starter["jobs"]["build"], FETCH_VERSIONS) == _job_steps(ours["jobs"]["build"], FETCH_VERSIONS)


def _site_tar(tmp_path: Path, name: str, files: dict[str, str]) -> Path:
    """A deployed site as upload-pages-artifact packs it (`artifact.tar` of `./...`)."""
    site = tmp_path / f"site-{name}"
    for relative, text in files.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_text(text, encoding="utf-8")
    deployed = tmp_path / f"deployed-{name}"
    deployed.mkdir()
    subprocess.run(["tar", "-cf", str(deployed / "artifact.tar"), "-C", str(site), "."], check=True)
    return deployed


def _branch_files(remote: Path, branch: str = "embed-versions") -> dict[str, str]:
    listed = _git(remote, "ls-tree", "-r", "--name-only", branch).splitlines()
    return {name: _git(remote, "show", f"{branch}:{name}") for name in listed}


def test_the_versions_steps_keep_every_deployed_version_and_the_build_accepts_them(tmp_path):
    """The two steps run as written against a local repository: the first deploy creates the
    branch, a later one adds only versions it lacks (never changing one), and the build job's
    step fetches them into a folder `check_versions` accepts."""
    from explainer.charts.files import check_versions

    workflow = _load(PUBLISH)
    fetch = _job_steps(workflow["jobs"]["build"], FETCH_VERSIONS)
    commit = _job_steps(workflow["jobs"]["versions"], COMMIT_VERSIONS)
    server = tmp_path / "server"
    remote = server / "owner" / "explainer.git"
    remote.mkdir(parents=True)
    _git(remote, "init", "--quiet", "--bare")
    github = {"GITHUB_SERVER_URL": f"file://{server}", "GITHUB_REPOSITORY": "owner/explainer", "GITHUB_TOKEN": "t"}

    def run(step: dict[str, Any], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
        cwd.mkdir(parents=True, exist_ok=True)
        values = {key: value for key, value in step["env"].items() if "${{" not in value}
        return _run_step(step["run"], cwd, **values, **github, **env)

    first = run(fetch, tmp_path / "build-1")
    assert first.returncode == 0, first.stderr
    assert "No embed-versions branch yet" in first.stdout
    assert list((tmp_path / "build-1" / ".embed-versions").iterdir()) == []

    def deploy(name: str, files: dict[str, str]) -> subprocess.CompletedProcess[str]:
        temp = tmp_path / f"runner-{name}"
        temp.mkdir()
        summary = tmp_path / f"summary-{name}.md"
        return run(
            commit,
            tmp_path / f"job-{name}",
            DEPLOYED=str(_site_tar(tmp_path, name, files)),
            RUNNER_TEMP=str(temp),
            GITHUB_SHA=f"sha-{name}",
            GITHUB_STEP_SUMMARY=str(summary),
        )

    old = "embed/timeline/v/0123456789/"
    result = deploy("1", {"index.html": "home", "embed/timeline/index.html": "latest", old + "index.html": "one"})
    assert result.returncode == 0, result.stderr
    kept = _branch_files(remote)
    assert kept.pop("README.md").startswith("# Embed versions")
    assert kept == {old + "index.html": "one"}, "versions only: not the latest embed, not the pages"

    new = "embed/map/v/abcdefabcd/"
    second = {old + "index.html": "changed?", old + "figure.js": "f", new + "index.html": "two", new + "figure.js": "m"}
    result = deploy("2", second)
    assert result.returncode == 0, result.stderr
    kept = _branch_files(remote)
    assert kept[old + "index.html"] == "one", "a version already kept never changes"
    assert old + "figure.js" not in kept
    assert (kept[new + "index.html"], kept[new + "figure.js"]) == ("two", "m")
    assert _git(remote, "rev-list", "--count", "embed-versions") == "2"
    assert "sha-2 (1 new)" in _git(remote, "log", "-1", "--format=%s", "embed-versions")

    result = deploy("3", second)
    assert result.returncode == 0, result.stderr
    assert "No new versions." in result.stdout
    assert _git(remote, "rev-list", "--count", "embed-versions") == "2", "nothing to commit, no commit"

    result = run(fetch, tmp_path / "build-2")
    assert result.returncode == 0, result.stderr
    store = tmp_path / "build-2" / ".embed-versions"
    assert (store / new / "figure.js").read_text(encoding="utf-8") == "m"
    assert check_versions(store, ".embed-versions") == [], "the .git folder and README.md are not read"


def test_the_build_stops_when_the_versions_branch_cannot_be_read(tmp_path):
    """A network or permission failure is not "no branch yet": publishing would drop versions."""
    fetch = _job_steps(_load(PUBLISH)["jobs"]["build"], FETCH_VERSIONS)
    environment = {key: value for key, value in fetch["env"].items() if "${{" not in value}
    result = _run_step(
        fetch["run"],
        tmp_path,
        **environment,
        GITHUB_SERVER_URL=f"file://{tmp_path}/nowhere",
        GITHUB_REPOSITORY="owner/explainer",
        GITHUB_TOKEN="t",
    )
    assert result.returncode == 1
    assert "::error::cannot read the embed-versions branch" in result.stdout
