"""Write ONE self-contained HTML file showing the pages a pull request changes, as built.

The pull-request workflow uploads it unzipped (actions/upload-artifact v7, `archive: false`),
so a reviewer opens it in the browser from the run's page: no zip, no local server, and no
secret or write permission, so pull requests from forks get it too. Each changed page's
content (the `<article>` of the built site) is stacked under a list of the pages, with the
site's own stylesheets and chart images inlined; links between the shown pages jump within
the file, other site links go to the published site. Scripts (interactive charts, search)
are left out: the whole site is the `site-preview` artifact.

    python .github/scripts/preview_pages.py --site site --base "$BASE_SHA" --data data \\
        --output pr-preview/pr-preview.html

Exit codes: 0 written, 2 wrong usage (unknown revision, missing folder).
"""

from __future__ import annotations

import argparse
import base64
import html
import mimetypes
import posixpath
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import yaml

from explainer.commands.changes import (
    EVERY_PAGE,
    Snapshot,
    UsageError,
    describe_changes,
    extract_revision,
    snapshot_folder,
)

STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.DOTALL)
SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)
ATTRIBUTE = re.compile(r'\b(href|src|id)="([^"]*)"')
MAX_PAGES = 40  # a site.yaml change touches every page: show the first ones, list the rest
MAX_INLINED = 600_000  # bytes of one image; a larger one is linked on the published site


def anchor(page: str) -> str:
    """The in-file id of a site path: `/events/houla/` -> `page-events-houla`."""
    return "page-" + (re.sub(r"[^a-z0-9]+", "-", page.lower()).strip("-") or "home")


def page_file(site: Path, page: str) -> Path | None:
    """The built HTML of a site path, if the site has one (a removed record's page has not)."""
    if not page.endswith("/"):
        return None  # /feed.xml and other files are not pages
    target = site / page.strip("/") / "index.html"
    return target if target.is_file() else None


def inline(site: Path, path: str) -> str | None:
    """A data: URL of a built file (an image), or None when it is missing or too large."""
    target = (site / path.lstrip("/")).resolve()
    if not target.is_relative_to(site.resolve()) or not target.is_file() or target.stat().st_size > MAX_INLINED:
        return None
    kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(target.read_bytes()).decode('ascii')}"


def rewrite(content: str, page: str, shown: set[str], site: Path, site_url: str) -> str:
    """Ids made unique per page; links to shown pages kept in the file, others made absolute."""
    prefix = anchor(page)

    def replace(match: re.Match[str]) -> str:
        name, value = match.group(1), html.unescape(match.group(2))
        if name == "id":
            return f'id="{prefix}--{html.escape(value)}"'
        if value.startswith("#"):
            return f'{name}="#{prefix}--{html.escape(value[1:])}"'
        if re.match(r"^[a-z][a-z0-9+.-]*:", value, re.IGNORECASE) or value.startswith("//"):
            return match.group(0)  # already absolute (another site, mailto:, data:)
        path, _, fragment = value.partition("#")
        target = posixpath.normpath(posixpath.join(page, path)) + ("/" if path.endswith("/") or not path else "")
        target = "/" + target.lstrip("/")
        if name == "href" and target in shown:
            return f'href="#{anchor(target)}{"--" + html.escape(fragment) if fragment else ""}"'
        if name == "src":
            data = inline(site, target)
            if data is not None:
                return f'src="{data}"'
        return f'{name}="{html.escape(site_url.rstrip("/") + target + ("#" + fragment if fragment else ""))}"'

    return ATTRIBUTE.sub(replace, SCRIPT.sub("", content))


def stylesheets(site: Path, page_html: str, page: str) -> str:
    """The site's own stylesheets of a built page, inlined (fonts from other hosts are not)."""
    styles = []
    for href in STYLESHEET.findall(page_html):
        target = site / posixpath.normpath(posixpath.join(page, href)).lstrip("/")
        if not href.startswith(("http:", "https:", "//")) and target.is_file():
            styles.append(target.read_text(encoding="utf-8").replace("</style", "<\\/style"))
    return "\n".join(styles)


def preview_html(site: Path, affected: list[str], site_url: str, title: str) -> str:
    """The single preview file of `affected` (site paths) from the built `site`."""
    every = EVERY_PAGE in affected
    pages = sorted(str(p.parent.relative_to(site).as_posix()) for p in site.rglob("index.html")) if every else []
    wanted = ["/" if p == "." else f"/{p}/" for p in pages] if every else affected
    built = [page for page in wanted if page_file(site, page) is not None]
    shown, rest = built[:MAX_PAGES], built[MAX_PAGES:]
    missing = [page for page in wanted if page not in built]
    sections, styles = [], ""
    for page in shown:
        source = page_file(site, page)
        assert source is not None
        text = source.read_text(encoding="utf-8")
        styles = styles or stylesheets(site, text, page)
        match = ARTICLE.search(text)
        body = rewrite(match.group(1), page, set(shown), site, site_url) if match else "<p>(no content)</p>"
        sections.append(
            f'<section id="{anchor(page)}"><p class="preview-path"><code>{html.escape(page)}</code> · '
            f'<a href="#preview-top">back to the list</a></p>\n{body}\n</section>'
        )
    listing = "".join(f'<li><a href="#{anchor(p)}"><code>{html.escape(p)}</code></a></li>' for p in shown)
    notes = []
    if every:
        notes.append("<p><code>site.yaml</code> changed, so every page may change; the first pages are shown.</p>")
    if rest:
        more = f"{len(rest)} more changed pages"
        notes.append(f"<p>{more} are only in the full site (the <code>site-preview</code> artifact).</p>")
    if missing:
        items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in missing)
        notes.append(f"<p>Not shown here (removed, or not an HTML page):</p><ul>{items}</ul>")
    if not shown and not missing:
        notes.append("<p>No page changes: this pull request changes no record or hand-written page.</p>")
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{styles}\n"
        ".preview-path{margin-top:3em;padding-top:1em;border-top:2px solid var(--md-primary-fg-color,#3f51b5)}"
        "</style></head>\n"
        '<body dir="ltr" data-md-color-scheme="default" data-md-color-primary="indigo" data-md-color-accent="indigo">'
        '<div class="md-container"><main class="md-main"><div class="md-main__inner md-grid"><div class="md-content">'
        '<article class="md-content__inner md-typeset" id="preview-top">'
        f"<h1>{html.escape(title)}</h1>"
        "<p>The pages this pull request changes, as built. Interactive charts, search and navigation are "
        "in the full site (the <code>site-preview</code> artifact); links to pages not shown here go to "
        "the published site.</p>"
        f"<ul>{listing}</ul>{''.join(notes)}\n{''.join(sections)}"
        "</article></div></div></main></div></body></html>\n"
    )


def published_url(data: Path) -> str:
    """site.yaml's `base_url`, or "" when it has none (or is not readable: validation says why)."""
    try:
        settings = yaml.safe_load((data / "site.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return ""
    url = settings.get("base_url") if isinstance(settings, dict) else None
    return url if isinstance(url, str) else ""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="preview_pages.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", required=True, metavar="DIR", help="the built site")
    parser.add_argument("--base", required=True, metavar="REV", help="the git revision to compare with")
    parser.add_argument("--data", default="data", metavar="DIR", help="the new data folder (default: data)")
    parser.add_argument(
        "--site-url", metavar="URL", help="the published site, for other links (default: site.yaml's base_url)"
    )
    parser.add_argument("--output", required=True, metavar="FILE", help="the HTML file to write")
    args = parser.parse_args(argv)
    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(f"preview_pages: error: no built site in {args.site}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="explainer-preview-") as temporary:
        try:
            base_dir = extract_revision(args.base, args.data, Path(temporary))
        except UsageError as exc:
            print(f"preview_pages: error: {exc}", file=sys.stderr)
            return 2
        base = snapshot_folder(base_dir, args.base) if base_dir.is_dir() else Snapshot({}, {}, {})
        head = snapshot_folder(Path(args.data), args.data)
    affected = describe_changes(base, head).affected
    site_url = args.site_url if args.site_url is not None else published_url(Path(args.data))
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(preview_html(site, affected, site_url, "Preview of the changed pages"), encoding="utf-8")
    print(f"wrote {output} ({len(affected)} changed pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
