"""The site's URL layout, defined once: where every page, chart file, embed and download lives.

Generated files are named relative to the generated docs folder ("actors/x.md", "assets/charts/
map.json"); the site engine publishes `a/b.md` at `/a/b/` and `a/index.md` at `/a/`. Pages,
charts, open data, the feed, the nav, the change summary and the folder check all ask here, so
a new page kind is one entry here, a view and a template. The published paths are permanent
(see "Published URLs" in the format): change them only with redirects.
"""

from __future__ import annotations

from explainer.core.ids import COLLECTIONS

HOME = "index.md"
TIMELINE = "timeline.md"
MAP = "map.md"
CHARTS = "charts/index.md"
DATA = "data/index.md"
CORRECTIONS = "corrections.md"
FEED = "feed.xml"
ABOUT_DIR = "about"
DATA_DIR = "data"
CHART_ASSETS = "assets/charts"
VENDOR_ASSETS = "assets/vendor"
THEME_ASSETS = "assets/explainer"
EMBED_DIR = "embed"

# Top-level names a hand-written page (`pages/<name>.md`) may not take: they are published paths.
RESERVED_PAGE_NAMES = frozenset(
    {
        *COLLECTIONS,
        "timeline",
        "map",
        "charts",
        "embed",
        "data",
        "search",
        "assets",
        "index",
        "404",
        "feed",
        "corrections",
    }
)


def record_file(collection: str, record_id: str) -> str:
    """ "actors/kofi-annan.md", published at /actors/kofi-annan/."""
    return f"{collection}/{record_id}.md"


def section_file(collection: str) -> str:
    """The index page of a collection: "actors/index.md"."""
    return f"{collection}/index.md"


def page_file(name: str) -> str:
    """A hand-written page of the data folder: "background.md"."""
    return f"{name}.md"


def about_file(name: str) -> str:
    """A page every explainer shares (methodology, format…): "about/format.md"."""
    return f"{ABOUT_DIR}/{name}.md"


# The methodology, and its section on reporting an error (linked from the home and corrections pages).
METHODOLOGY = about_file("methodology")
REPORTING_AN_ERROR = METHODOLOGY + "#reporting-an-error"


def url_of(file: str) -> str:
    """The published path of a generated Markdown file, from the site root without a leading
    slash: "actors/x.md" -> "actors/x/", "charts/index.md" -> "charts/", "index.md" -> ""."""
    stem = file.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def record_url(collection: str, record_id: str) -> str:
    """A record's page from the site root: "actors/kofi-annan/"."""
    return url_of(record_file(collection, record_id))


def record_path(collection: str, record_id: str) -> str:
    """A record's page as an absolute path on the site: "/actors/kofi-annan/"."""
    return "/" + record_url(collection, record_id)


def embed_url(chart_id: str) -> str:
    """A chart alone, for an iframe: "embed/timeline/"."""
    return f"{EMBED_DIR}/{chart_id}/"


def embed_file(chart_id: str) -> str:
    return embed_url(chart_id) + "index.html"


OEMBED_FILE = "oembed.json"
"""A chart's oEmbed answer, in its embed folder."""


def oembed_url(chart_id: str) -> str:
    """The chart's oEmbed answer: "embed/timeline/oembed.json"."""
    return embed_url(chart_id) + OEMBED_FILE


# Frozen versions of an embed: "embed/<chart>/v/<version>/", each a folder of these files that
# later builds carry over unchanged (an article may pin one). The version is 10 hex digits.
VERSIONS_DIR = "v"
VERSION_PAGE = "index.html"
VERSION_FIGURE = "figure.js"
VERSION_PREVIEWS = ("preview.svg", "preview-dark.svg")
"""A version's previews, light and dark, in its own folder."""
VERSION_FILES = (VERSION_PAGE, VERSION_FIGURE, *VERSION_PREVIEWS)
VERSION_DIGITS = 10


def embed_versions(chart_id: str) -> str:
    """The folder of a chart's versions: "embed/timeline/v/"."""
    return f"{embed_url(chart_id)}{VERSIONS_DIR}/"


def embed_version_url(chart_id: str, version: str) -> str:
    """One frozen version of a chart's embed: "embed/timeline/v/3fa9c01b2e/"."""
    return f"{embed_versions(chart_id)}{version}/"


def embed_version_file(chart_id: str, version: str, name: str) -> str:
    """A file of a version's folder (one of `VERSION_FILES`): "embed/timeline/v/3fa9c01b2e/figure.js"."""
    return embed_version_url(chart_id, version) + name


def is_version(name: str) -> bool:
    """Whether a folder name is a version: 10 lowercase hex digits."""
    return len(name) == VERSION_DIGITS and all(c in "0123456789abcdef" for c in name)


def chart_file(chart_id: str, extension: str) -> str:
    """A chart's spec, data or image: "assets/charts/timeline.json"."""
    return f"{CHART_ASSETS}/{chart_id}.{extension}"


def chart_in_gallery(chart_id: str) -> str:
    """A chart on the charts page, with its embed snippet: "charts/#chart-timeline"."""
    return f"{url_of(CHARTS)}#chart-{chart_id}"


def theme_file(name: str) -> str:
    """A script or style the explainer ships for every page: "assets/explainer/charts.js"."""
    return f"{THEME_ASSETS}/{name}"


def vendor_file(package: str, name: str) -> str:
    """A third-party browser file, one copy for the whole site: "assets/vendor/plotly/x.js"."""
    return f"{VENDOR_ASSETS}/{package}/{name}"


def data_file(name: str) -> str:
    """An open-data download: "data/events.csv"."""
    return f"{DATA_DIR}/{name}"


def depth_prefix(url: str) -> str:
    """From a published URL back to the site root: "actors/x/" -> "../../", "" -> ""."""
    return "../" * url.count("/")


def relative_file(from_file: str, to_file: str) -> str:
    """A Markdown link from one generated file to another (the site engine checks and rewrites
    it). posixpath.relpath gives the same answer at a tenth of the speed."""
    folder = from_file.rpartition("/")[0]
    if folder and to_file.startswith(folder + "/"):
        return to_file[len(folder) + 1 :]
    return "../" * from_file.count("/") + to_file


# Section pages of the nav, in order: (title, file). Record pages are listed on their section's
# index page, never in the sidebar, so a page's size does not grow with the number of records.
EXPLORE = (
    ("Timeline", TIMELINE),
    ("Map", MAP),
    ("Actors", section_file("actors")),
    ("Events", section_file("events")),
    ("Questions", section_file("questions")),
    ("Places", section_file("places")),
    ("Sources", section_file("sources")),
    ("Charts", CHARTS),
)
NOT_IN_NAV = tuple(f"/{collection}/*.md" for collection in COLLECTIONS)
