"""`explainer build`: the whole pipeline, top to bottom.

    validate  the data folder (nothing is written when it is invalid)
    charts    the figures of every chart (in memory)
    files     one Markdown page per record and section            -> build/docs/**.md
              each chart's spec, data, embed page; the gallery    -> build/docs/assets/charts, embed/
              open data downloads and the feed                    -> build/docs/data, feed.xml
              the shared prose of docs/*.md                       -> build/docs/about/
    config    mkdocs.yml for the build folder (explicit nav)      -> build/mkdocs.yml
    site      MkDocs + Material, strict                           -> a fresh folder beside --out
              meanwhile the charts' static images are drawn       -> site and build/docs: assets/charts/*.png|svg
    publish   swap the fresh folder in as --out, all at once

"files" renders and writes the pages and chart files on every core for a large dataset (see
`explainer.rendering.writer`), while this process writes the open data.
The build folder is temporary (kept with --keep-build DIR); the tracked `docs/` is only read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import html
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from explainer.charts.files import ChartImages
from explainer.checking.dataset import Dataset
from explainer.core import resources
from explainer.pages import PagePlan, Section, data_page_title
from explainer.rendering import files as output
from explainer.rendering import writer
from explainer.site import engine as site_engine
from explainer.site.engine import NavEntry, SiteBuildError

SHARED_DOCS = resources.SHARED_DOCS
ABOUT_DIR = "about"


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


def build_command(args: argparse.Namespace) -> int:
    from explainer.checking.validate import validate_data
    from explainer.commands.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, print_report

    keep = Path(args.keep_build) if getattr(args, "keep_build", None) else None
    try:
        check_targets(Path(args.data), Path(args.out), keep, Path(args.archive) if args.archive else None)
    except output.TargetRefused as exc:
        print(f"explainer build: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    progress = Progress(sys.stderr)
    with progress.stage("validate", str(args.data)):
        dataset, report = validate_data(Path(args.data), shown_dir=args.data, archive_dir=args.archive)
    print_report(report)
    if not report.ok:
        print(f"explainer: nothing built; {args.out} is unchanged", file=sys.stderr)
        return EXIT_INVALID
    try:
        pages = build_site(dataset, Path(args.out), progress, keep_build=keep)
    except (SiteBuildError, output.PublishError) as exc:
        print(f"explainer: error: {exc}", file=sys.stderr)
        print(f"explainer: nothing built; {args.out} is unchanged", file=sys.stderr)
        return EXIT_INVALID
    except OSError as exc:  # the disk is full, a folder is not writable: the build stops cleanly
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"explainer: error: {where}cannot write the site: {exc.strerror or exc}", file=sys.stderr)
        print(f"explainer: nothing built; {args.out} is unchanged", file=sys.stderr)
        return EXIT_INVALID
    print(f"explainer: built {args.out}/ ({pages} pages) in {progress.summary()}", file=sys.stderr)
    return EXIT_OK


def check_targets(data: Path, out: Path, keep_build: Path | None, archive: Path | None) -> None:
    """Before any work: TargetRefused unless a build may replace `--out` and `--keep-build`
    (see `output.check_target`): never the data, the archive, the project or the shared docs."""
    protected = [
        output.Protected("the data folder", data),
        output.Protected("the archive folder", archive if archive is not None else data / "archive"),
        output.Protected("the explainer package", resources.PACKAGE),
    ]
    if keep_build is not None:
        output.check_target(
            keep_build, "--keep-build", output.BUILD_STAMP, [*protected, output.Protected("the --out folder", out)]
        )
        protected.append(output.Protected("the --keep-build folder", keep_build))
    output.check_target(out, "--out", output.SITE_STAMP, protected)


class _ImagesFailed(Exception):
    """The charts' static images were planned (pages link them) but could not be drawn."""


def build_site(
    dataset: Dataset, out_dir: Path, progress: Progress, *, keep_build: Path | None = None, images: bool = True
) -> int:
    """Generate, build and publish a valid dataset's site; returns the number of pages.

    The generated folder is temporary, or with `keep_build` made beside that folder and
    swapped in as it once generated, also when the site engine then fails (that is when it is
    most wanted). The charts' static images are drawn while the site engine runs (a browser
    takes seconds to start) and added to the site and the generated folder afterwards. If
    they cannot be drawn, the site is made again without them: no page, embed, gallery or
    og:image ever names an image that is not there."""
    try:
        return _build_site(dataset, out_dir, progress, keep_build=keep_build, images=images)
    except _ImagesFailed as exc:
        progress.note(f"{exc}; building again without them: charts show their data table instead")
        return _build_site(dataset, out_dir, progress, keep_build=keep_build, images=False)


def _build_site(dataset: Dataset, out_dir: Path, progress: Progress, *, keep_build: Path | None, images: bool) -> int:
    with tempfile.TemporaryDirectory(prefix="explainer-build-") as temporary:
        build_dir = (
            Path(temporary) / "build" if keep_build is None else output.staging_dir(keep_build, output.BUILD_STAMP)
        )
        planned: list[ChartImages] = []
        try:
            count = generate(dataset, build_dir, progress, images_later=planned, images=images)
        except BaseException:
            if keep_build is not None:
                output.discard(build_dir)
            raise
        if keep_build is not None:
            output.replace_dir(build_dir, keep_build, "--keep-build")
            build_dir = keep_build.resolve()
        drawn = Path(temporary) / "images"
        missing: list[int] = []
        drawing = threading.Thread(target=_draw, args=(planned, drawn, missing), name="explainer-images")
        drawing.start()
        staging = output.staging_dir(out_dir)
        try:
            try:
                with progress.stage("site", f"MkDocs builds {count} pages"):
                    site_engine.run_mkdocs(build_dir, staging, epoch=source_date_epoch(dataset))
            finally:
                drawing.join()
            if missing:
                raise _ImagesFailed(f"{sum(missing)} static chart images could not be drawn")
            if drawn.is_dir():
                with progress.stage("images"):
                    _add_images(drawn, [staging, build_dir / "docs"])
            with progress.stage("publish", str(out_dir)):
                output.replace_dir(staging, out_dir)
        finally:
            output.discard(staging)
    return count


def _draw(images: list[ChartImages], root: Path, missing: list[int]) -> None:
    """Draw every batch; `missing` gets the number of images of each batch not made."""
    for batch in images:
        made = batch.draw(root)
        if len(made) < len(batch.jobs):
            missing.append(len(batch.jobs) - len(made))


def _add_images(drawn: Path, targets: list[Path]) -> None:
    for path in sorted(drawn.rglob("*")):
        if path.is_file():
            for target in targets:
                destination = target / path.relative_to(drawn)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, destination)


def generate(
    dataset: Dataset,
    build_dir: Path,
    progress: Progress,
    *,
    shared_docs: Path = SHARED_DOCS,
    preview: bool = False,
    images_later: list[ChartImages] | None = None,
    images: bool = True,
) -> int:
    """Write the build folder: `docs/` for the site engine and `mkdocs.yml` beside it.
    A `preview` (explainer serve) skips the charts' static images and strict mode, so a
    rebuild is quick and a broken link is a warning on the terminal, not a dead preview.
    With `images_later`, the charts' static images are not drawn but added to that list, for
    the caller to draw (`ChartImages.draw`) into the docs folder or the site. Without
    `images`, none are drawn and no page names one."""
    docs = build_dir / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    # The dataset lives until the end: the garbage collector need not walk it again and again
    # while the stages make millions of small objects (20-25% of the pages stage at 10,000 events).
    gc.freeze()
    try:
        return _generate_stages(
            dataset,
            docs,
            build_dir,
            progress,
            shared_docs=shared_docs,
            preview=preview,
            images_later=images_later,
            images=images and not preview,
        )
    finally:
        gc.unfreeze()


def _generate_stages(
    dataset: Dataset,
    docs: Path,
    build_dir: Path,
    progress: Progress,
    *,
    shared_docs: Path,
    preview: bool,
    images_later: list[ChartImages] | None,
    images: bool,
) -> int:
    from explainer.charts import build_charts
    from explainer.charts.files import chart_file_jobs, chart_images
    from explainer.opendata.feed import write_feed
    from explainer.opendata.tables import write_open_data

    site = dataset.site
    about: list[tuple[str, str]] = []

    def unsplittable() -> None:
        """What this process writes while the workers render pages and chart files."""
        drawing = chart_images(chart_set)
        if images_later is None:
            drawing.draw(docs)
        else:
            images_later.append(drawing)
        write_open_data(dataset, docs / "data")
        write_feed(dataset, docs)
        about.extend(copy_shared_docs(shared_docs, docs / ABOUT_DIR))
        site_engine.copy_theme_assets(docs)

    # The charts' gallery and the open data page are always written (by the jobs and by
    # `unsplittable`): the home page links them.
    plan = PagePlan(dataset, [Section("Charts", "charts/index.md"), Section("Data", "data/index.md")])
    workers = writer.workers_for(plan.count)
    batches: list[writer.Batch] = []
    try:
        with progress.stage("charts"):
            # The pages that show no chart are written meanwhile, on the other cores.
            record_pages = plan.record_pages()
            batches.append(writer.start_files(docs, record_pages, workers=max(workers - 1, 1) if workers else 0))
            chart_set = build_charts(dataset)
            chart_set.images_wanted = images
        with progress.stage("files"):
            jobs = chart_file_jobs(chart_set, site) + plan.chart_pages(chart_set)
            batches.append(writer.start_files(docs, jobs, workers=workers))
            unsplittable()
            for batch in batches:
                batch.wait()
            files = len(record_pages) + len(jobs)
            progress.note(f"{files:,} files" + (f" on {workers} processes" if workers else ""))
    except BaseException:
        for batch in batches:
            batch.abort()
        raise
    with progress.stage("config"):
        nav = site_nav(dataset, docs, about)
        config = site_engine.site_config(
            site_engine.base_config(),
            site_name=html.escape(site.title),
            site_url=None if preview else site.base_url,  # a preview is served at its root
            language=site.language,
            description=html.escape(site.description) if site.description else None,
            nav=nav,
            docs_dir=docs,
            strict=not preview,
        )
        site_engine.write_config(config, build_dir)
    return sum(1 for _ in docs.rglob("*.md"))


def copy_shared_docs(source: Path, target: Path) -> list[tuple[str, str]]:
    """The project's `docs/` (its pages and the images they show) into the build's about/
    section; returns the pages as [(title, file)] for the nav."""
    if not source.is_dir():
        return []
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    return [
        (html.escape(data_page_title(path.stem, path.read_text(encoding="utf-8"))), f"{ABOUT_DIR}/{path.name}")
        for path in sorted(source.glob("*.md"))
    ]


def site_nav(dataset: Dataset, docs: Path, about: list[tuple[str, str]]) -> list[NavEntry]:
    """Section index pages only: the sidebar is the same size for ten records or ten thousand."""
    nav = [NavEntry("Home", "index.md")]
    nav += [
        NavEntry(html.escape(data_page_title(name, page.text)), f"{name}.md")
        for name, page in sorted(dataset.pages.items())
    ]
    explore = [
        NavEntry("Timeline", "timeline.md"),
        NavEntry("Map", "map.md"),
        NavEntry("Actors", "actors/index.md"),
        NavEntry("Events", "events/index.md"),
        NavEntry("Questions", "questions/index.md"),
        NavEntry("Places", "places/index.md"),
        NavEntry("Sources", "sources/index.md"),
    ]
    if (docs / "charts" / "index.md").is_file():
        explore.append(NavEntry("Charts", "charts/index.md"))
    nav.append(NavEntry("Explore", children=tuple(explore)))
    if (docs / "data" / "index.md").is_file():
        nav.append(NavEntry("Data", "data/index.md"))
    if about:
        nav.append(NavEntry("About", children=tuple(NavEntry(title, file) for title, file in about)))
    return nav


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
