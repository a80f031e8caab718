"""`explainer build`: the whole pipeline, top to bottom.

    validate  the data folder (nothing is written when it is invalid; with --strict, when
              anything is reported)
    charts    the figures of every chart (in memory)
    files     one Markdown page per record and section            -> build/docs/**.md
              each chart's spec, data, embed page; the gallery    -> build/docs/assets/charts, embed/
              open data downloads and the feed                    -> build/docs/data, feed.xml
              the theme's CSS and JS                              -> build/docs/assets/explainer
              the pages every explainer shares                    -> build/docs/about/
    config    mkdocs.yml for the build folder (explicit nav)      -> build/mkdocs.yml
    site      MkDocs + Material, strict                           -> a fresh folder beside --out
              meanwhile the charts' static images are drawn       -> site and build/docs: assets/charts/*.png|svg
    publish   the embeds' earlier versions copied in (from --out and --versions DIR), then
              the fresh folder swapped in as --out, all at once

Every file of the build folder goes through one `explainer.rendering.writer.Writer`, which
refuses to write a path twice and decides how: for a large dataset the pages and chart files
are written by forked workers while this process makes the figures and the open data.
The build folder is temporary (kept with --keep-build DIR); the package's files are only read.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import sys
import tempfile
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TextIO

from explainer.charts.files import ChartImages, carry_versions, check_versions, versions_size
from explainer.checking.dataset import Dataset
from explainer.commands.options import BuildOptions
from explainer.commands.reporting import EXIT_INVALID, EXIT_OK, EXIT_USAGE, print_verdict
from explainer.core import resources, urls
from explainer.pages import PagePlan, Section, data_page_title
from explainer.rendering import files as output
from explainer.rendering.writer import Background, Content, FileJob, Writer, files_in
from explainer.site import engine as site_engine
from explainer.site import search
from explainer.site.engine import NavEntry, SiteBuildError

SHARED_DOCS = resources.SHARED_DOCS
DOCS = "docs"


@dataclass
class Progress:
    """Each stage's name and time on the terminal, and a summary at the end."""

    stream: TextIO | None = None
    timings: list[tuple[str, float]] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str, detail: str = "") -> Iterator[None]:
        if self.stream is not None:
            print(f"explainer: {name}{' ' + detail if detail else ''}…", file=self.stream, flush=True)
        start = time.perf_counter()
        yield
        self.timings.append((name, time.perf_counter() - start))

    def note(self, text: str) -> None:
        if self.stream is not None:
            print(f"explainer:   {text}", file=self.stream, flush=True)

    @property
    def total(self) -> float:
        return sum(seconds for _, seconds in self.timings)

    def summary(self) -> str:
        parts = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in self.timings)
        return f"{self.total:.2f} s ({parts})"


def build_command(options: BuildOptions) -> int:
    from explainer.checking.validate import resolve_archive, validate_data

    unchanged = f"explainer: nothing built; {options.out} is unchanged"
    try:
        archive = resolve_archive(options.data_dir, options.archive_dir)  # the one validation reads
        check_targets(options.data_dir, options.out_dir, options.keep_build_dir, archive)
        check_versions_folder(options.versions, options.out_dir)
    except output.TargetRefused as exc:
        print(f"explainer build: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    progress = Progress(sys.stderr)
    with progress.stage("validate", options.data):
        dataset, report = validate_data(options.data_dir, shown_dir=options.data, archive_dir=options.archive_dir)
        if options.versions is not None:
            report.extend(check_versions(Path(options.versions), options.versions))
    if not print_verdict(report, strict=options.strict):
        print(unchanged, file=sys.stderr)
        return EXIT_INVALID
    try:
        pages = build_site(
            dataset, options.out_dir, progress, keep_build=options.keep_build_dir, versions=options.versions_dir
        )
    except (SiteBuildError, search.SearchIndexError, output.PublishError) as exc:
        print(f"explainer: error: {exc}", file=sys.stderr)
        print(unchanged, file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:  # the disk is full, a folder is not writable: the build stops cleanly
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"explainer: error: {where}cannot write the site: {exc.strerror or exc}", file=sys.stderr)
        print(unchanged, file=sys.stderr)
        return EXIT_INVALID
    print(f"explainer: built {options.out}/ ({pages} pages) in {progress.summary()}", file=sys.stderr)
    return EXIT_OK


def check_targets(data: Path, out: Path, keep_build: Path | None, archive: Path) -> None:
    """Before any work: TargetRefused unless a build may replace `--out` and `--keep-build`
    (see `output.check_target`): never the data, the archive the build reads, the package."""
    protected = [
        output.Protected("the data folder", data),
        output.Protected("the archive folder", archive),
        output.Protected("the explainer package", resources.PACKAGE),
    ]
    if keep_build is not None:
        output.check_target(
            keep_build, "--keep-build", output.BUILD_STAMP, [*protected, output.Protected("the --out folder", out)]
        )
        protected.append(output.Protected("the --keep-build folder", keep_build))
    output.check_target(out, "--out", output.SITE_STAMP, protected)


def check_versions_folder(versions: str | None, out: Path) -> None:
    """Before any work: TargetRefused unless `--versions` (when given) is a folder other than
    `--out`. It is only read; what it holds is checked with the data (`check_versions`)."""
    if versions is None:
        return
    folder = Path(versions)
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise output.TargetRefused(
            f"--versions {versions}: this {what}; name the folder of earlier embed versions (it may be empty)"
        )
    if folder.resolve() == out.resolve():
        raise output.TargetRefused(
            f"--versions {versions}: this is the --out folder, whose versions every build keeps anyway; "
            "name a folder of its own"
        )


class _ImagesFailed(Exception):
    """The charts' static images were planned (pages link them) but could not be drawn."""


def build_site(
    dataset: Dataset,
    out_dir: Path,
    progress: Progress,
    *,
    keep_build: Path | None = None,
    images: bool = True,
    versions: Path | None = None,
) -> int:
    """Generate, build and publish a valid dataset's site; returns the number of pages.

    The generated folder is temporary, or with `keep_build` made beside that folder and
    swapped in as it once generated, also when the site engine then fails (that is when it is
    most wanted). The charts' static images are drawn while the site engine runs (a browser
    takes seconds to start) and added to the site and the generated folder afterwards. If
    they cannot be drawn, the site is made again without them: no page, embed, gallery or
    og:image ever names an image that is not there. The embeds' earlier versions are carried
    into the new site from `versions` (a checked folder, `check_versions`) and from `out_dir`."""
    try:
        return _build_site(dataset, out_dir, progress, keep_build=keep_build, images=images, versions=versions)
    except _ImagesFailed as exc:
        progress.note(f"{exc}; building again without them: charts show their data table instead")
        return _build_site(dataset, out_dir, progress, keep_build=keep_build, images=False, versions=versions)


def _build_site(
    dataset: Dataset,
    out_dir: Path,
    progress: Progress,
    *,
    keep_build: Path | None,
    images: bool,
    versions: Path | None,
) -> int:
    with tempfile.TemporaryDirectory(prefix="explainer-build-") as temporary:
        build_dir = (
            Path(temporary) / "build" if keep_build is None else output.staging_dir(keep_build, output.BUILD_STAMP)
        )
        try:
            generated = generate(dataset, build_dir, progress, images=images)
        except BaseException:
            if keep_build is not None:
                output.discard(build_dir)
            raise
        if keep_build is not None:
            output.replace_dir(build_dir, keep_build, "--keep-build")
            build_dir = keep_build.resolve()
            generated.files.moved_to(build_dir)
        drawn = Path(temporary) / "images"
        drawing = Background(partial(generated.images.draw, drawn), "explainer-images")
        staging = output.staging_dir(out_dir)
        try:
            try:
                with progress.stage("site", f"MkDocs builds {generated.pages} pages"):
                    site_engine.run_mkdocs(build_dir, staging, epoch=source_date_epoch(dataset))
            finally:
                made = drawing.result()
            if len(made) < len(generated.images.jobs):
                raise _ImagesFailed(f"{len(generated.images.jobs) - len(made)} static chart images could not be drawn")
            if made:
                with progress.stage("images"):
                    generated.files.folder(DOCS).copy_tree(drawn)
                    Writer(staging).copy_tree(drawn)
            with progress.stage("search"):
                progress.note(search.index_site(staging, language=dataset.site.language).summary())
            with progress.stage("publish", str(out_dir)):
                # frozen embed versions that articles may have pinned outlive the build that made them
                kept = (carry_versions(versions, staging) if versions is not None else []) + carry_versions(
                    out_dir, staging
                )
                count, size = versions_size(staging)
                progress.note(f"{count} embed versions ({len(kept)} from earlier builds), {size / 1e6:.1f} MB")
                output.replace_dir(staging, out_dir)
        finally:
            output.discard(staging)
    return generated.pages


@dataclass(frozen=True)
class Generated:
    """A written build folder: its number of pages, its writer (which knows every file in
    it), and the charts' static images its pages name, still to be drawn into `docs/`."""

    pages: int
    files: Writer
    images: ChartImages


def generate(
    dataset: Dataset,
    build_dir: Path,
    progress: Progress,
    *,
    shared_docs: Path = SHARED_DOCS,
    preview: bool = False,
    images: bool = True,
) -> Generated:
    """Write the build folder: `docs/` for the site engine and `mkdocs.yml` beside it.

    A `preview` (explainer serve) has no static images and no strict mode, so a rebuild is
    quick and a broken link is a warning on the terminal, not a dead preview. Otherwise the
    charts' static images are planned (pages name them) and returned, to be drawn by the
    caller (`build_site` draws them while the site engine runs); without `images`, none are
    planned and no page names one."""
    from explainer.charts import build_charts
    from explainer.charts.files import chart_file_jobs, chart_images
    from explainer.opendata.feed import feed_xml
    from explainer.opendata.tables import open_data_files

    site = dataset.site
    files = Writer(build_dir)
    docs = files.folder(DOCS)
    # The charts' gallery and the open data page are always written: the home page links them.
    plan = PagePlan(dataset, [Section("Charts", urls.CHARTS), Section("Data", urls.DATA)])
    with files.parallel(pages=plan.count) as workers:
        with progress.stage("charts"):
            record_pages = plan.record_pages()
            docs.start(record_pages, keep_a_core=True)  # the pages that show no chart, meanwhile
            chart_set = build_charts(dataset)
            chart_set.images_wanted = images and not preview
        with progress.stage("files"):
            chart_files = chart_file_jobs(chart_set, site) + plan.chart_pages(chart_set)
            docs.start(chart_files)
            planned_images = chart_images(chart_set)
            docs.write_all(
                [FileJob(urls.data_file(name), _text(text)) for name, text in open_data_files(dataset).items()]
            )
            docs.write(FileJob(urls.FEED, partial(feed_xml, dataset)))
            docs.write_all(site_engine.theme_asset_files())
            if not preview:  # the preview rebuilds only what changed: a search index would be partial
                docs.write_all(search.asset_files())
            about = shared_page_files(shared_docs, replaced_by=dataset.pages.keys())
            docs.write_all(about)
            files.wait()
            count = len(record_pages) + len(chart_files)
            progress.note(f"{count:,} files" + (f" on {workers} processes" if workers else ""))
        with progress.stage("config"):
            config = site_engine.site_config(
                site_engine.base_config(),
                site_name=html.escape(site.title),
                site_url=None if preview else site.base_url,  # a preview is served at its root
                language=site.language,
                description=html.escape(site.description) if site.description else None,
                nav=site_nav(dataset, docs, about),
                assets=docs.paths(),
                license=site.license,
                strict=not preview,
            )
            if not preview:
                config = search.with_search(config)
            files.write_all(site_engine.config_files(config))
    pages = sum(1 for path in docs.paths() if path.endswith(".md"))
    return Generated(pages, files, planned_images)


def _text(text: str) -> Content:
    return lambda: text


def shared_page_files(source: Path, *, replaced_by: Collection[str] = ()) -> list[FileJob]:
    """The pages every explainer shares (`explainer/docs/`) and the images they show, as
    files of the `about/` section. A hand-written page of the data folder with a shared
    page's name (`pages/methodology.md`) replaces it: the shared one is left out, and the
    other shared pages' links to it lead to the data folder's page instead."""
    replaced = {path.stem for path in source.glob("*.md") if path.stem in replaced_by} if source.is_dir() else set()
    jobs = []
    for path in files_in(source):
        target = f"{urls.ABOUT_DIR}/{path.relative_to(source).as_posix()}"
        if path.parent == source and path.suffix == ".md" and path.stem in replaced:
            continue
        if replaced and path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
            linked = _linked_to_replacements(text, replaced)
            if linked != text:
                jobs.append(FileJob(target, _text(linked)))
                continue
        jobs.append(FileJob(target, path.read_bytes))
    return jobs


def _linked_to_replacements(text: str, replaced: Collection[str]) -> str:
    """Links from a shared page (in about/) to a replaced one, made to lead to the data
    folder's page of that name (`methodology.md` -> `../methodology.md`)."""
    names = "|".join(re.escape(urls.page_file(name)) for name in sorted(replaced))
    link = re.compile(rf"(\]\(\s*<?|^[ ]{{0,3}}\[[^\]\n]+\]:[ \t]*<?)({names})(?=[#?)>\s]|$)", re.MULTILINE)
    return link.sub(lambda match: f"{match.group(1)}../{match.group(2)}", text)


def site_nav(dataset: Dataset, docs: Writer, about: list[FileJob]) -> list[NavEntry]:
    """Section index pages only: the sidebar is the same size for ten records or ten thousand.
    A page is listed only if the build wrote it (the charts' gallery, the corrections)."""
    nav = [NavEntry("Home", urls.HOME)]
    nav += [
        NavEntry(html.escape(data_page_title(name, page.text)), urls.page_file(name))
        for name, page in sorted(dataset.pages.items())
    ]
    nav.append(NavEntry("Explore", children=tuple(NavEntry(t, f) for t, f in urls.EXPLORE if docs.wrote(f))))
    if docs.wrote(urls.DATA):
        nav.append(NavEntry("Data", urls.DATA))
    if docs.wrote(urls.CORRECTIONS):
        nav.append(NavEntry("Corrections", urls.CORRECTIONS))
    shared = [job for job in about if job.path.endswith(".md") and job.path.count("/") == 1]
    if shared:
        nav.append(NavEntry("About", children=tuple(_shared_page_entry(job) for job in shared)))
    return nav


def _shared_page_entry(job: FileJob) -> NavEntry:
    name = job.path.rpartition("/")[2].removesuffix(".md")
    content = job.content()
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    return NavEntry(html.escape(data_page_title(name, text)), job.path)


def source_date_epoch(dataset: Dataset) -> int:
    """SOURCE_DATE_EPOCH when set; else the last day any record mentions, so the date is a
    property of the data and two builds of it agree."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if raw.isdigit():
        return int(raw)
    days = [s.date.last_day for s in dataset.models("sources").values()]
    days += [(e.end_date or e.date).last_day for e in dataset.models("events").values()]
    last = max(days, default=dt.date(1970, 1, 1))
    return int(dt.datetime(last.year, last.month, last.day, tzinfo=dt.UTC).timestamp())
