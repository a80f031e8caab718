"""`explainer serve`: a live preview on 127.0.0.1 that shows the data's errors.

    watch     the data folder, the archive, the page templates, the theme, the shared docs
              (their files' times and sizes, every tenth of a second)
    validate  only the changed files are parsed again (`LiveData` keeps the others in memory),
              then the checks across records run on the whole folder
    status    `/_explainer/status.json`, served from memory: a generation number and the
              problems; the preview script (explainer/static/preview/, linked only in the
              preview's config, never by `build`) shows them in a banner over the last valid
              page, and reloads the page when a new generation is built
    generate  with the data valid, only the files the change touches (`explainer.commands.
              changes` says which pages), written only where they differ; everything when
              site.yaml, the list of hand-written pages or the code changed
    engine    MkDocs kept running in its own process (`explainer.site.preview_engine`),
              rebuilding only the pages whose Markdown changed; then the generation goes up

With errors (with `--strict`, warnings too) the preview keeps the last valid version and the
banner says why; the browser reloads once the data is valid again, also on a page that was a
404 (a new record's address). The terminal gets one line per rebuild and the problems, each
warning once. A busy port moves the preview to the next free one; Ctrl-C stops it cleanly.
"""

from __future__ import annotations

import contextlib
import errno
import http.server
import io
import json
import os
import posixpath
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from explainer.commands.build import SHARED_DOCS, Progress, generate
from explainer.commands.options import ServeOptions
from explainer.commands.reporting import EXIT_INVALID, EXIT_OK, EXIT_USAGE, passes
from explainer.core import resources, urls
from explainer.core.diagnostics import Diagnostic, Report, Severity
from explainer.rendering.files import sync_tree, write_if_changed
from explainer.rendering.writer import FileJob
from explainer.site import engine as site_engine

if TYPE_CHECKING:
    from explainer.charts.chart import Chart
    from explainer.checking.dataset import Dataset, Record
    from explainer.checking.folder import RecordFile
    from explainer.commands.changes import Snapshot as RecordSnapshot

WATCHED_CODE = (resources.TEMPLATES / "pages", resources.THEME, resources.BASE_CONFIG)
PREVIEW_STATIC = resources.STATIC / "preview"
PREVIEW_ASSETS = "assets/explainer-preview"
STATUS_PATH = "/_explainer/status.json"
POLL_SECONDS = 0.1
SETTLE_SECONDS = 0.05  # a save in several writes: wait until the files stop changing
PORTS_TRIED = 10
SCHEMA_DIR = Path("schema")  # where the editor settings look for the schemas (.vscode/settings.json)
SHOWN_PROBLEMS = 50  # in the banner; the terminal has them all
PREVIEW_FILES = {
    "/_explainer/preview.js": ("preview.js", "text/javascript"),
    "/_explainer/preview.css": ("preview.css", "text/css"),
}
# Every address's answer until the data has been valid once: the banner, then the page.
NOT_BUILT_YET = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Preview: no valid data yet</title>
<link rel="stylesheet" href="/_explainer/preview.css"></head>
<body><main><p>The preview appears here once the data is valid.</p></main>
<script src="/_explainer/preview.js"></script></body></html>
"""

Snapshot = dict[str, tuple[int, int]]


def _say(text: str) -> None:
    print(f"explainer serve: {text}", file=sys.stderr, flush=True)


# --- watching -------------------------------------------------------------------------------


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """Every entry under the paths with its modification time and size, from `lstat`: never
    opened, so a named pipe or a device in the data folder cannot stall the preview (the
    validation then reports it), and a link is noticed when it changes, not what it points to."""
    state: Snapshot = {}
    for root in paths:
        try:
            files = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
        except OSError:  # a folder that cannot be read: the validation says so
            files = []
        for path in files:
            if path.name.startswith("."):
                continue
            try:
                info = path.lstat()
            except OSError:  # removed meanwhile
                continue
            if not stat.S_ISDIR(info.st_mode):
                state[str(path)] = (info.st_mtime_ns, info.st_size)
    return state


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def wait_for_change(watched: list[Path], state: Snapshot) -> tuple[Snapshot, list[str]]:
    """Block until a watched file changes and the files have stopped changing; the new
    snapshot and the files that changed."""
    while True:
        time.sleep(POLL_SECONDS)
        now = snapshot(watched)
        if now != state:
            break
    while True:  # an editor may save in several writes
        time.sleep(SETTLE_SECONDS)
        settled = snapshot(watched)
        if settled == now:
            return now, changed_files(state, now)
        now = settled


# --- validating: the data folder kept in memory -------------------------------------------


@dataclass
class _Loaded:
    stamp: tuple[int, int, int]
    record: Record | None
    problems: list[Diagnostic]


@dataclass
class LiveData:
    """`validate_data`, again after a save: a file whose time, size and inode are unchanged
    keeps its parsed record and its own problems; the others are parsed again. The checks
    across records (references, stances, quotes, copied prose) run on the whole folder each
    time, as they depend on every file."""

    options: ServeOptions
    files: dict[str, _Loaded] = field(default_factory=dict)
    parsed: int = 0  # files parsed by the last `validate`

    def validate(self) -> tuple[Dataset, Report]:
        from explainer.checking.archive import locate_archive
        from explainer.checking.crossref import check_dataset
        from explainer.checking.dataset import assemble_dataset
        from explainer.checking.folder import scan_folder

        data_dir, shown = self.options.data_dir, self.options.data
        report = Report()
        listing = scan_folder(data_dir, shown, report)
        kept: dict[str, _Loaded] = {}
        self.parsed = 0

        def records() -> Iterator[tuple[RecordFile, Record | None]]:
            for file in listing.files:
                loaded = self._load(file)
                kept[file.relative] = loaded
                report.extend(loaded.problems)
                yield file, loaded.record

        dataset = assemble_dataset(data_dir, shown, listing.pages, records())
        self.files = kept
        if data_dir.is_dir():
            archive = locate_archive(data_dir, shown, self.options.archive_dir, dataset.site_facts)
            check_dataset(dataset, report, archive)
        return dataset, report

    def _load(self, file: RecordFile) -> _Loaded:
        from explainer.checking.dataset import Record, check_file, read_record_file, report_result

        try:
            info = os.stat(file.file)  # noqa: PTH116 - a str path, see RecordFile
            stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
        except OSError:
            stamp = (-1, -1, -1)  # never kept: read again (and reported) each time
        known = self.files.get(file.relative)
        if known is not None and known.stamp == stamp and stamp[0] >= 0:
            return known
        self.parsed += 1
        report = Report()
        raw = read_record_file(file, report)
        record = None
        if raw is not None:
            document, model, result = check_file(raw, file.collection)
            report_result(file, result, report)
            if document is not None:
                document.path = file.path
                record = Record(file.collection, file.id, file.path, model, document, result.facts)
        return _Loaded(stamp, record, report.diagnostics)


# --- the status the preview script polls ---------------------------------------------------


@dataclass
class Status:
    """What `/_explainer/status.json` says; `generation` goes up after each valid build."""

    generation: int = 0
    problems: list[Diagnostic] = field(default_factory=list)
    engine_error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    _body: bytes = b""

    def __post_init__(self) -> None:
        self._body = self._encode()

    def update(
        self, *, problems: list[Diagnostic] | None = None, engine_error: str | None = None, built: bool = False
    ) -> None:
        with self.lock:
            if problems is not None:
                self.problems = problems
            self.engine_error = engine_error
            if built:
                self.generation += 1
            self._body = self._encode()

    @property
    def body(self) -> bytes:
        with self.lock:
            return self._body

    def _encode(self) -> bytes:
        return json.dumps(status_json(self.generation, self.problems, self.engine_error)).encode("utf-8")


def status_json(generation: int, problems: list[Diagnostic], engine_error: str | None = None) -> dict[str, Any]:
    """The status as plain values (pure). The problems' text is data: the script shows it with
    `textContent`, never as markup. The banner lists the first `SHOWN_PROBLEMS`."""
    shown = [
        {"where": f"{p.path}:{p.line}:{p.column}", "severity": p.severity.value, "message": p.message}
        for p in problems[:SHOWN_PROBLEMS]
    ]
    count = len(problems)
    if engine_error is not None:
        shown.append({"where": "site engine", "severity": "error", "message": engine_error})
        count += 1
    return {"generation": generation, "ok": count == 0, "count": count, "errors": shown}


# --- serving --------------------------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    """The built site, the status from memory, the site's 404 page for what is not there;
    nothing cached, so a reload always gets the newest build."""

    status: Status
    site_dir: Path

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == STATUS_PATH:
            self._send(200, "application/json", self.status.body)
            return
        if path in PREVIEW_FILES:  # for the page shown before the data was ever valid
            name, kind = PREVIEW_FILES[path]
            self._send(200, kind, (PREVIEW_STATIC / name).read_bytes())
            return
        del self.headers["If-Modified-Since"]  # a rebuild within the same second is still new
        super().do_GET()

    def _send(self, code: int, kind: str, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        page = self.site_dir / "404.html"
        body = page.read_bytes() if page.is_file() else NOT_BUILT_YET
        self._send(404, "text/html; charset=utf-8", body)

    def list_directory(self, path: str | os.PathLike[str]) -> io.BytesIO | None:
        self.send_error(404)
        return None

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the terminal is for the data's problems


class PortsBusy(Exception):
    """No free port among those tried; the message says which flag to use."""


def open_server(port: int, site_dir: Path, status: Status, *, tries: int = PORTS_TRIED) -> http.server.HTTPServer:
    """A server on 127.0.0.1 at `port`, else at the next free one of `tries`."""
    handler = type("PreviewHandler", (_Handler,), {"status": status, "site_dir": site_dir})
    for candidate in range(port, port + tries):
        try:
            server = http.server.ThreadingHTTPServer(
                ("127.0.0.1", candidate), partial(handler, directory=str(site_dir))
            )
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                continue
            raise
        server.daemon_threads = True
        return server
    last = port + tries - 1
    raise PortsBusy(f"ports {port} to {last} are in use; choose another with --port (e.g. --port {last + 1})")


# --- the site engine ------------------------------------------------------------------------


class Engine:
    """`explainer.site.preview_engine` in its own process: a build on request."""

    def __init__(self, build_dir: Path, site_dir: Path, cache_dir: Path) -> None:
        command = [
            sys.executable, "-m", "explainer.site.preview_engine",
            str(build_dir / site_engine.CONFIG_FILE), str(site_dir), str(cache_dir),
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            cwd=build_dir,
            env=site_engine.engine_environment(0),  # a preview needs no reproducible build date
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            start_new_session=True,  # the terminal's Ctrl-C is for serve, which stops this
        )

    def build(self, *, full: bool) -> dict[str, Any]:
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None
        assert stdout is not None
        try:
            stdin.write("full\n" if full else "dirty\n")
            stdin.flush()
            line = stdout.readline()
        except (BrokenPipeError, OSError):
            line = ""
        if not line:
            return {"ok": False, "error": f"the site engine stopped (exit {self.process.poll()})", "stopped": True}
        answer: dict[str, Any] = json.loads(line)
        return answer

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(OSError):
                if self.process.stdin is not None:
                    self.process.stdin.close()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


# --- generating -----------------------------------------------------------------------------


@dataclass
class Rebuild:
    """What a rebuild did, for its line on the terminal."""

    pages: int = 0  # Markdown pages written
    files: int = 0  # other generated files written
    full: bool = False
    errors: int = 0
    warnings: int = 0
    valid: bool = True
    engine_error: str | None = None


@dataclass
class Preview:
    """The preview's folders and what the last valid build was made from."""

    options: ServeOptions
    build_dir: Path
    site_dir: Path
    url: str
    data: LiveData
    status: Status
    engine: Engine | None = None
    records: RecordSnapshot | None = None
    charts: dict[str, Chart] = field(default_factory=dict)
    page_names: frozenset[str] = frozenset()
    config_text: str = ""
    notices: set[str] = field(default_factory=set)
    warned: set[str] = field(default_factory=set)

    @property
    def docs(self) -> Path:
        return self.build_dir / "docs"

    def refresh(self, *, code_changed: bool) -> Rebuild:
        """Validate; with valid data, regenerate what changed and have the engine build it."""
        from explainer.commands.changes import snapshot as record_snapshot

        dataset, report = self.data.validate()
        problems = report.diagnostics if self.options.strict else report.errors
        result = Rebuild(errors=len(report.errors), warnings=len(report.warnings))
        self._print_problems(report)
        if not passes(report, strict=self.options.strict):
            result.valid = False
            self.status.update(problems=problems)
            return result
        head = record_snapshot(dataset, report)
        if set(head.records) != set(self.records.records if self.records is not None else ()):
            self._refresh_schemas()
        with self._quiet_notices():
            if self._needs_everything(head, dataset, code_changed=code_changed):
                result.full = True
                result.pages, result.files = self._generate_all(dataset)
            else:
                result.pages, result.files = self._generate_changed(dataset, head)
        self.records, self.page_names = head, frozenset(dataset.pages)
        if result.pages or result.files or self.engine is None:
            result.engine_error = self._build_site()
        self.status.update(problems=[], engine_error=result.engine_error, built=result.engine_error is None)
        return result

    def _refresh_schemas(self) -> None:
        """The editors' schemas (`schema/`, made by `make setup` or `explainer schema`) list the
        data's ids for autocompletion: written again when a record is added or removed."""
        from explainer.commands.schema import write_schemas

        if SCHEMA_DIR.is_dir():
            write_schemas(Path(self.options.data), SCHEMA_DIR)

    def _print_problems(self, report: Report) -> None:
        """Every error each time; a warning once in a session (the archive's warnings would
        otherwise repeat on every save)."""
        for diagnostic in report.diagnostics:
            line = diagnostic.format()
            if diagnostic.severity is Severity.ERROR or self.options.strict:
                print(line, file=sys.stderr)
            elif line not in self.warned:
                self.warned.add(line)
                print(line, file=sys.stderr)
        sys.stderr.flush()

    @contextlib.contextmanager
    def _quiet_notices(self) -> Iterator[None]:
        """The generator's notices (no static images in a preview), once, not on every save."""
        captured = io.StringIO()
        with contextlib.redirect_stderr(captured):
            yield
        for line in captured.getvalue().splitlines():
            if line not in self.notices:
                self.notices.add(line)
                print(line, file=sys.stderr)

    def _needs_everything(self, head: RecordSnapshot, dataset: Dataset, *, code_changed: bool) -> bool:
        from explainer.commands.changes import SITE_KEY

        if self.records is None or code_changed or frozenset(dataset.pages) != self.page_names:
            return True  # the first build; a template or the theme; the nav lists the pages
        return self.records.records.get(SITE_KEY) != head.records.get(SITE_KEY)

    def _generate_all(self, dataset: Dataset) -> tuple[int, int]:
        from explainer.charts import build_charts

        with tempfile.TemporaryDirectory(prefix="explainer-preview-") as temporary:
            fresh = Path(temporary)
            generate(dataset, fresh, Progress(), shared_docs=SHARED_DOCS, preview=True)
            add_preview_files(fresh, self.url)
            changed = sync_tree(fresh, self.build_dir)
        chart_set = build_charts(dataset)  # kept, to tell which charts a later change alters
        self.charts = {chart_id: chart_set.chart(chart_id) for chart_id in chart_set.ids}
        self._remove_stale_html(changed)
        pages = sum(1 for path in changed if path.endswith(".md"))
        return pages, len(changed) - pages

    def _generate_changed(self, dataset: Dataset, head: RecordSnapshot) -> tuple[int, int]:
        """Only the files of the pages the change touches (`changes.affected_pages`), the
        charts whose figure or table changed, the open data and the feed."""
        from explainer.commands.changes import affected_pages, compare, site_path

        assert self.records is not None
        records, pages = compare(self.records, head)
        if not records and not pages:
            return 0, 0  # a comment or the layout of a file: nothing a page shows
        wanted = set(affected_pages(self.records, head, records, pages))
        jobs, removed = self._jobs_for(dataset, wanted, site_path)
        written = [job.path for job in jobs if _write(self.docs, job)]
        for path in removed:
            target = self.docs / path
            if target.is_file():
                target.unlink()
                written.append(path)
        self._remove_stale_html(f"docs/{path}" for path in removed)
        pages_written = sum(1 for path in written if path.endswith(".md"))
        return pages_written, len(written) - pages_written

    def _jobs_for(self, dataset: Dataset, wanted: set[str], site_path: Any) -> tuple[list[FileJob], list[str]]:
        from explainer.charts import build_charts
        from explainer.charts.files import chart_file_jobs
        from explainer.opendata.feed import feed_xml
        from explainer.opendata.tables import open_data_files
        from explainer.pages import PagePlan, Section

        plan = PagePlan(dataset, [Section("Charts", urls.CHARTS), Section("Data", urls.DATA)])
        record_jobs = plan.record_pages()
        jobs = [job for job in record_jobs if site_path(job.path) in wanted]
        chart_set = build_charts(dataset)
        chart_set.images_wanted = False
        jobs += [job for job in plan.chart_pages(chart_set) if site_path(job.path) in wanted]
        charts = {chart_id: chart_set.chart(chart_id) for chart_id in chart_set.ids}
        changed = {chart_id for chart_id, chart in charts.items() if self.charts.get(chart_id) != chart}
        self.charts = charts
        chart_paths = {urls.chart_file(chart_id, kind) for chart_id in changed for kind in ("json", "csv", "js")}
        embed_folders = tuple(posixpath.dirname(urls.embed_file(chart_id)) + "/" for chart_id in changed)
        for job in chart_file_jobs(chart_set, dataset.site):
            if job.path in chart_paths or job.path.startswith(embed_folders) or job.path == urls.CHARTS:
                jobs.append(job)
        jobs += [FileJob(urls.data_file(name), partial(str, text)) for name, text in open_data_files(dataset).items()]
        jobs.append(FileJob(urls.FEED, partial(feed_xml, dataset)))
        generated = {job.path for job in record_jobs} | {job.path for job in jobs}
        removed = sorted(
            path
            for collection, record_id in self._removed_records(dataset)
            if (path := urls.record_file(collection, record_id)) not in generated
        )
        return jobs, removed

    def _removed_records(self, dataset: Dataset) -> list[tuple[str, str]]:
        assert self.records is not None
        return [
            (collection, record_id)
            for collection, record_id in self.records.records
            if collection != "site" and record_id not in dataset.collections.get(collection, {})
        ]

    def _remove_stale_html(self, changed: Iterable[str]) -> None:
        """A page whose Markdown is gone loses its HTML too (a dirty build never deletes)."""
        for path in changed:
            if path.startswith("docs/") and path.endswith(".md") and not (self.build_dir / path).exists():
                html = self.site_dir / urls.url_of(path.removeprefix("docs/")) / "index.html"
                html.unlink(missing_ok=True)

    def _build_site(self) -> str | None:
        """The engine's build; None when it succeeded, else its error."""
        config = (self.build_dir / site_engine.CONFIG_FILE).read_text(encoding="utf-8")
        full = self.engine is None or config != self.config_text
        if self.engine is None:
            self.engine = Engine(self.build_dir, self.site_dir, self.build_dir.parent / "templates")
        answer = self.engine.build(full=full)
        for warning in answer.get("warnings", []):
            if warning not in self.notices:
                self.notices.add(warning)
                print(f"site engine: warning: {warning}", file=sys.stderr)
        if not answer.get("ok"):
            if answer.get("stopped"):
                raise EngineStopped(str(answer.get("error")))
            return str(answer.get("error"))
        self.config_text = config
        return None


class EngineStopped(Exception):
    """The site engine's process ended; serve cannot go on."""


def _write(docs: Path, job: FileJob) -> bool:
    data = job.content()
    return write_if_changed(docs / job.path, data.encode("utf-8") if isinstance(data, str) else data)


def add_preview_files(build_dir: Path, url: str) -> None:
    """The preview's own additions to a generated folder: the banner's script and styles,
    linked in its config (never in `build`'s), and the address it is served at (so the 404
    page's links work at any depth). The engine's search index is left out: a dirty build
    would index only the pages it rebuilt."""
    target = build_dir / "docs" / PREVIEW_ASSETS
    target.mkdir(parents=True, exist_ok=True)
    names = sorted(path.name for path in PREVIEW_STATIC.iterdir() if path.suffix in (".js", ".css"))
    for name in names:
        shutil.copyfile(PREVIEW_STATIC / name, target / name)
    config_file = build_dir / site_engine.CONFIG_FILE
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["site_url"] = url
    config["plugins"] = [
        plugin for plugin in config.get("plugins", []) if plugin != "search" and "search" not in plugin
    ]
    config["extra_css"] = [
        *config.get("extra_css", []),
        *(f"{PREVIEW_ASSETS}/{n}" for n in names if n.endswith(".css")),
    ]
    config["extra_javascript"] = [
        *config.get("extra_javascript", []),
        *(f"{PREVIEW_ASSETS}/{n}" for n in names if n.endswith(".js")),
    ]
    text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1000)
    config_file.write_text(text, encoding="utf-8")


# --- the command ----------------------------------------------------------------------------


def _stop_on_terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def shown_path(path: str, data: str) -> str:
    """A changed file as the terminal shows it: inside the data folder as the user wrote the
    folder (`data/events/x.yaml`), else from the package (`templates/pages/event.md.j2`)."""
    for root, shown in ((Path(data), data.rstrip("/")), (resources.PACKAGE, "")):
        with contextlib.suppress(ValueError):
            relative = Path(path).resolve().relative_to(root.resolve()).as_posix()
            return f"{shown}/{relative}" if shown else relative
    return path


def rebuild_line(changes: list[str], data: str, result: Rebuild, seconds: float) -> str:
    """The one line a rebuild prints (pure)."""
    shown = [shown_path(path, data) for path in changes[:3]]
    what = ", ".join(shown) + (f" and {len(changes) - 3} more" if len(changes) > 3 else "")
    if not result.valid:
        problems = f"{result.errors} error{'s' if result.errors != 1 else ''}"
        if not result.errors:
            problems = f"{result.warnings} warning{'s' if result.warnings != 1 else ''} (--strict)"
        return f"{what}: {problems} in {seconds:.2f} s; the preview shows the last valid version"
    if result.engine_error is not None:
        return f"{what}: the site engine failed in {seconds:.2f} s: {result.engine_error}"
    if not result.pages and not result.files:
        return f"{what}: no page changed ({seconds:.2f} s)"
    pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
    scope = "everything regenerated, " if result.full else ""
    warned = f", {result.warnings} warning{'s' if result.warnings != 1 else ''}" if result.warnings else ""
    return f"{what}: {scope}{pages} and {result.files} other files in {seconds:.2f} s; no errors{warned}"


def serve_command(options: ServeOptions) -> int:
    """Run the preview until Ctrl-C (exit 0); exit 2 when no port is free, 1 when the site
    engine stops."""
    from explainer.checking.validate import resolve_archive

    signal.signal(signal.SIGTERM, _stop_on_terminate)  # stop the site engine too, never orphan it
    # The archive as it is now (site.yaml may name another later: a change to site.yaml rebuilds,
    # and a restart watches the new one).
    watched = [options.data_dir, resolve_archive(options.data_dir, options.archive_dir), *WATCHED_CODE, SHARED_DOCS]
    code = [*WATCHED_CODE, SHARED_DOCS]
    status = Status()
    with tempfile.TemporaryDirectory(prefix="explainer-serve-") as temporary:
        site_dir = Path(temporary) / "site"
        site_dir.mkdir()
        try:
            server = open_server(options.port, site_dir, status)
        except PortsBusy as exc:
            _say(f"error: {exc}")
            return EXIT_USAGE
        port = int(server.server_address[1])
        if port != options.port:
            _say(f"port {options.port} is in use; using {port} (choose one with --port)")
        url = f"http://127.0.0.1:{port}/"
        preview = Preview(options, Path(temporary) / "build", site_dir, url, LiveData(options), status)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        try:
            start = time.perf_counter()
            state = snapshot(watched)
            first = preview.refresh(code_changed=True)
            thread.start()
            counted = (
                f"{first.pages} pages in {time.perf_counter() - start:.1f} s" if first.valid else "no valid data yet"
            )
            _say(f"preview on {url} ({counted}; Ctrl-C stops)")
            while True:
                state, changes = wait_for_change(watched, state)
                start = time.perf_counter()
                code_changed = any(Path(path).is_relative_to(root) for path in changes for root in code)
                result = preview.refresh(code_changed=code_changed)
                _say(rebuild_line(changes, options.data, result, time.perf_counter() - start))
        except KeyboardInterrupt:
            _say("stopped")
            return EXIT_OK
        except EngineStopped as exc:
            _say(f"error: {exc}")
            return EXIT_INVALID
        finally:
            if thread.is_alive():
                server.shutdown()
            server.server_close()
            if preview.engine is not None:
                preview.engine.stop()
