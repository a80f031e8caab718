"""`explainer build` end to end on the mini fixture: pages, strictness, atomic output,
byte-identical rebuilds, a lean search index (Pagefind's, read back by `test_search.read_index`)
and nothing loaded from another host.

The site is built once per session (`built_site`) and shared with the browser tests.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import re
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from explainer.commands.build import build_command
from explainer.commands.options import BuildOptions
from explainer.site import engine as site_engine
from explainer.site import search

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MINI = HERE / "fixtures" / "mini"
HOSTILE = HERE / "fixtures" / "hostile-site"

pytestmark = pytest.mark.slow


def _workspace() -> Path:
    path = Path(tempfile.mkdtemp(prefix="explainer-test-build-"))
    atexit.register(shutil.rmtree, path, True)
    return path


def run_build(data: Path, out: Path, keep_build: Path | None = None) -> int:
    return build_command(BuildOptions(data=str(data), out=str(out), keep_build=str(keep_build) if keep_build else None))


@functools.cache
def built_site(fixture: str = "mini") -> tuple[Path, Path]:
    """(site, build folder) of a fixture, built once per test session."""
    work = _workspace()
    site, build = work / "site", work / "build"
    assert run_build(HERE / "fixtures" / fixture, site, build) == 0
    return site, build


@pytest.fixture(scope="session")
def mini_site() -> Path:
    return built_site("mini")[0]


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_every_page_kind_is_built(mini_site: Path) -> None:
    for page in (
        "index.html",
        "timeline/index.html",
        "map/index.html",
        "introduction/index.html",
        "about/methodology/index.html",
        "actors/index.html",
        "actors/france/index.html",
        "events/houla-massacre/index.html",
        "questions/president-step-down/index.html",
        "places/houla/index.html",
        "sources/daily-report/index.html",
        "pagefind/pagefind-entry.json",
        "pagefind/pagefind.js",
        "pagefind/wasm.en.pagefind",
        "assets/search/search.js",
    ):
        assert (mini_site / page).is_file(), page
    for folder in ("pagefind/index", "pagefind/fragment", "pagefind/filter"):
        assert any((mini_site / folder).iterdir()), folder
    assert not (mini_site / "search").exists()  # Material's search is off
    houla = (mini_site / "events/houla-massacre/index.html").read_text(encoding="utf-8")
    assert '<a href="../../actors/envoy/">Kofi Annan</a>' in houla
    assert 'class="footnote-ref"' in houla
    france = (mini_site / "actors/france/index.html").read_text(encoding="utf-8")
    assert "République française" in france
    assert "Élysée" in france


def test_the_build_folder_holds_a_plain_mkdocs_project(mini_site: Path) -> None:
    build = built_site("mini")[1]
    config = (build / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_url: https://example.org/mini/" in config
    assert "font: false" in config
    assert "navigation.instant" not in config
    assert "- assets/explainer/explainer.css" in config
    # the nav lists section index pages only, never one page per record
    nav = config.split("\nnav:\n", 1)[1].split("\nnot_in_nav:", 1)[0]
    assert "actors/index.md" in nav
    assert "actors/envoy.md" not in nav


def test_two_builds_are_byte_identical_and_leave_docs_untouched(mini_site: Path) -> None:
    tracked_docs = tree_digest(ROOT / "explainer" / "docs")
    again = _workspace() / "site"
    assert run_build(MINI, again) == 0
    assert tree_digest(again) == tree_digest(mini_site)
    assert tree_digest(ROOT / "explainer" / "docs") == tracked_docs


def previous_site(out: Path) -> None:
    """A site an earlier build published: its stamp says explainer made it."""
    out.mkdir()
    (out / ".explainer-site").write_text("explainer\n", encoding="utf-8")
    (out / "index.html").write_text("previous", encoding="utf-8")


def test_a_published_site_carries_the_stamp_outside_search_and_sitemap(mini_site: Path) -> None:
    assert (mini_site / ".explainer-site").read_text(encoding="utf-8").startswith("explainer ")
    from test_search import read_index

    indexed = read_index(mini_site).fragments
    assert indexed
    assert not [url for url in indexed if ".explainer" in url]
    assert not [page.url for page in search.site_pages(mini_site, "en") if ".explainer" in page.url]
    assert ".explainer" not in (mini_site / "sitemap.xml").read_text(encoding="utf-8")
    assert (built_site("mini")[1] / ".explainer-build").is_file()


def test_invalid_data_leaves_the_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    previous_site(out)
    data = tmp_path / "data"
    shutil.copytree(MINI, data)
    (data / "events" / "houla-massacre.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    assert run_build(data, out) == 1
    assert sorted(p.name for p in out.iterdir()) == [".explainer-site", "index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "previous"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]


def test_a_failing_site_engine_leaves_the_previous_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    previous_site(out)
    run_mkdocs = site_engine.run_mkdocs

    def with_a_broken_link(build_dir: Path, site_dir: Path | None = None, *, epoch: int) -> None:
        # a generated page linking to a page that does not exist: MkDocs' strict mode refuses it
        (build_dir / "docs" / "broken.md").write_text("# Broken\n\nSee [nowhere](nowhere.md).\n", encoding="utf-8")
        run_mkdocs(build_dir, site_dir, epoch=epoch)

    monkeypatch.setattr(site_engine, "run_mkdocs", with_a_broken_link)
    kept = tmp_path / "build"
    assert run_build(MINI, out, kept) == 1
    assert "nowhere.md" in capsys.readouterr().err
    assert (out / "index.html").read_text(encoding="utf-8") == "previous"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".site.", ".build."))]
    # the generated folder is kept for a look at what MkDocs refused
    assert "nowhere.md" in (kept / "docs" / "broken.md").read_text(encoding="utf-8")
    assert (kept / "mkdocs.yml").is_file()


_EXTERNAL = re.compile(
    r"""(?:<(?:script|img|iframe|source|video|audio)\b[^>]*\bsrc|<link\b[^>]*\bhref)\s*=\s*["']?(?:https?:)?//""",
    re.IGNORECASE,
)


def test_no_page_loads_anything_from_another_host(mini_site: Path) -> None:
    for path in mini_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in _EXTERNAL.finditer(text):
            tag = text[match.start() : text.index(">", match.start()) + 1]
            # a canonical link, or an oEmbed discovery link, names the site's own published
            # address; neither loads anything
            canonical = 'rel="canonical"' in tag or "rel=canonical" in tag
            own = 'rel="alternate"' in tag and 'href="https://example.org/mini/' in tag
            assert canonical or own, (path, tag)
    for path in [*mini_site.rglob("*.css"), *mini_site.rglob("*.js")]:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "fonts.googleapis.com" not in text or path.name.startswith("bundle."), path


def test_search_index_is_lean_and_finds_names_aliases_places_and_quotes(mini_site: Path) -> None:
    from test_search import read_index

    index = read_index(mini_site)
    assert index.find("Élysée") == {"/actors/france/"}  # an alias, with its accents
    assert "/actors/envoy/" in index.find("Joint Special Envoy")  # an alias
    assert "/places/houla/" in index.find("Houla")  # a place
    assert "/places/houla/" in index.find("Hula")  # a place's other spelling
    quote = "the massacre in Houla that shocked the world"
    assert "/events/houla-massacre/" in index.find(quote)
    assert quote in index.text("/events/houla-massacre/")
    readers = {url: index.text(url) for url in index.fragments if not url.startswith(("/about/", "/charts/"))}
    for absent in ("plotly", '"data":', "explainer-chart"):
        assert not [url for url, text in readers.items() if absent in text.lower()], absent
    # what a chart says (its summary, its data table) stays out of the index of our pages
    summaries = re.compile(r'<p class="explainer-chart-summary"[^>]*>(.*?)</p>', re.DOTALL)
    for page in ("timeline", "questions", "actors", "events"):
        html = (mini_site / page / "index.html").read_text(encoding="utf-8")
        found = summaries.findall(html)
        assert found, f"no chart on {page}/"
        indexed = [text for url, text in readers.items() if url.startswith(f"/{page}/")]
        for summary in found:
            assert not any(summary[:60] in text for text in indexed), (page, summary[:60])
    # the gallery's embed snippets (HTML code, the largest entry once) are for copying, not finding
    gallery = index.text("/charts/")
    assert "Timeline of events" in gallery
    assert "<iframe" not in gallery
    assert "&lt;iframe" not in gallery
    assert "/charts/" not in index.find("lazy")  # the snippet's loading="lazy"
    # long lists of links (index tables, the timeline) repeat what the record pages say
    for listing in ("/events/", "/timeline/", "/actors/", "/sources/"):
        text = index.text(listing)
        assert text, listing
        assert not any(name in text for name in ("Spring offensive", "Kofi Annan", "Weekly Analysis")), listing
    assert "/events/spring-offensive/" in index.find("Spring offensive")
    assert "/timeline/" not in index.find("Spring offensive")
    # what a search downloads grows with the text indexed: the word index and the pages' excerpts
    bundle = mini_site / search.BUNDLE
    size = sum(path.stat().st_size for folder in ("index", "fragment") for path in (bundle / folder).iterdir())
    assert size / len(index.fragments) < 4096, f"{size / len(index.fragments):.0f} bytes of search index per page"


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts = 0
        self.live: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.scripts += tag == "script"
        source = dict(attrs).get("src") or ""
        local = bool(source) and not re.match(r"^([a-z][a-z0-9+.-]*:|//)", source, re.IGNORECASE)
        if tag in ("img", "iframe", "object", "embed") and not local:
            self.live.append(f"{tag}[src={source}]")
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.live.append(f"{tag}[{name}={value}]")


def _markup(path: Path) -> _Markup:
    parser = _Markup()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_hostile_summaries_are_text_in_the_built_site(mini_site: Path) -> None:
    site, _ = built_site("hostile-site")
    page = site / "events" / "houla-massacre" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned = 'script'&lt;/script&gt;" in html
    assert _markup(page).live == []
    # the same scripts as on the clean page: the theme's own, nothing from the data
    assert _markup(page).scripts == _markup(mini_site / "events" / "houla-massacre" / "index.html").scripts
    for path in site.rglob("*.html"):
        assert _markup(path).live == [], path


def test_versions_from_a_versions_folder_reach_the_site_and_a_bad_folder_stops_the_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--versions DIR` (issue 14): a fresh --out (as on a CI runner) still gets every earlier
    version; a folder with a link is a located error and nothing is built; a missing folder is
    refused before any work."""
    monkeypatch.setenv("EXPLAINER_IMAGES", "0")  # the versions are the point here, not the pictures
    store, out = tmp_path / "versions", tmp_path / "site"
    old = store / "embed" / "timeline" / "v" / "0123456789"
    old.mkdir(parents=True)
    (old / "index.html").write_text("pinned by an article", encoding="utf-8")
    (old / "figure.js").write_text("old figure", encoding="utf-8")
    (store / ".git").mkdir()
    (store / "README.md").write_text("the versions branch", encoding="utf-8")

    def build(versions: Path) -> int:
        return build_command(BuildOptions(data=str(MINI), out=str(out), versions=str(versions)))

    assert build(store) == 0
    kept = out / "embed" / "timeline" / "v" / "0123456789"
    assert (kept / "index.html").read_text(encoding="utf-8") == "pinned by an article"
    assert sorted(p.name for p in kept.iterdir()) == ["figure.js", "index.html"]
    assert not (out / "README.md").exists()
    own = [p for p in (out / "embed" / "timeline" / "v").iterdir() if p.name != "0123456789"]
    assert len(own) == 1, "this build's own version beside the kept one"
    assert re.search(r"embed versions \(1 from earlier builds\), [\d.]+ MB", capsys.readouterr().err)

    (old / "figure.js").unlink()
    (old / "figure.js").symlink_to(Path("/etc/passwd"))
    before = tree_digest(out)
    assert build(store) == 1
    err = capsys.readouterr().err
    assert f"{store}/embed/timeline/v/0123456789/figure.js:0:0: error: a symbolic link;" in err
    assert tree_digest(out) == before, "nothing built"

    assert build(tmp_path / "missing") == 2
    assert "--versions" in capsys.readouterr().err
    assert build(out) == 2, "the --out folder is not a versions folder"
