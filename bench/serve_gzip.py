"""Serve a built site from 127.0.0.1 the way a static host does: gzip for text, for benchmarks.

    python bench/serve_gzip.py SITE [--port 0] [--seconds 1800]

Python's `http.server` sends every file uncompressed, which roughly halves a Lighthouse score
on a page that loads plotly.js; a static host (GitHub Pages, Netlify, an S3 bucket behind a
CDN) sends text compressed. This server does what such a host does, and nothing more:

- `Content-Encoding: gzip` (level 6, compressed once per file and kept) for HTML, CSS,
  JavaScript, JSON, SVG, XML, CSV, plain text and source maps, when the browser accepts it,
  with `Vary: Accept-Encoding`; images, fonts and archives are sent as they are;
- the right `Content-Type` (with `charset=utf-8` for text);
- `/folder/` serves `folder/index.html`, `/folder` redirects there (301); a missing file is a
  404 with the site's own `404.html` when it has one; paths never leave the site folder;
- `Cache-Control: max-age=600` and `Last-Modified`, with 304 answers to `If-Modified-Since`,
  as GitHub Pages sends them (Lighthouse clears the cache before each run anyway);
- GET and HEAD only; query strings are ignored.

It listens on 127.0.0.1 only, on a free port unless told one. Used from Python
(`with serve(site) as origin:`) it runs in a background thread until the block ends; from the
command line it prints its origin and stops after `--seconds` (30 minutes by default), on
Ctrl-C or on SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import email.utils
import gzip
import http.server
import mimetypes
import posixpath
import signal
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

HOST = "127.0.0.1"
MAX_AGE = 600
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".csv": "text/csv; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".gz": "application/gzip",
    ".zip": "application/zip",
    ".pdf": "application/pdf",
}
COMPRESSED = frozenset({".html", ".css", ".js", ".mjs", ".json", ".map", ".svg", ".xml", ".csv", ".txt", ".md"})


def content_type(path: Path) -> str:
    return TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


class StaticHost(http.server.BaseHTTPRequestHandler):
    """One request: find the file under `root`, send it gzipped if it is text."""

    root: ClassVar[Path]
    zipped: ClassVar[dict[tuple[Path, int, int], bytes]]
    lock: ClassVar[threading.Lock]
    server_version = "serve_gzip"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def version_string(self) -> str:
        return self.server_version

    def do_HEAD(self) -> None:
        self.answer(body=False)

    def do_GET(self) -> None:
        self.answer(body=True)

    def locate(self, url_path: str) -> Path | None:
        """The file a URL path names inside the site, or None when it names none or leaves it."""
        parts = [part for part in posixpath.normpath(urllib.parse.unquote(url_path)).split("/") if part]
        if any(part in (".", "..") or "\\" in part or "\0" in part for part in parts):
            return None
        path = self.root.joinpath(*parts)
        try:
            path.resolve().relative_to(self.root)
        except (ValueError, OSError):
            return None
        return path

    def answer(self, *, body: bool) -> None:
        url_path = urllib.parse.urlsplit(self.path).path
        path = self.locate(url_path)
        if path is not None and path.is_dir():
            if not url_path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", url_path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            path = path / "index.html"
        if path is None or not path.is_file():
            missing = self.root / "404.html"
            self.send_file(missing if missing.is_file() else None, 404, body=body)
            return
        self.send_file(path, 200, body=body)

    def send_file(self, path: Path | None, status: int, *, body: bool) -> None:
        if path is None:
            data, kind, stamp = b"404 Not Found\n", "text/plain; charset=utf-8", None
        else:
            info = path.stat()
            stamp = email.utils.formatdate(info.st_mtime, usegmt=True)
            if status == 200 and self.headers.get("If-Modified-Since") == stamp:
                self.send_response(304)
                self.send_header("Cache-Control", f"max-age={MAX_AGE}")
                self.send_header("Last-Modified", stamp)
                self.end_headers()
                return
            data, kind = path.read_bytes(), content_type(path)
        compress = (
            path is not None
            and path.suffix.lower() in COMPRESSED
            and "gzip" in self.headers.get("Accept-Encoding", "").lower()
        )
        if compress and path is not None:
            data = self.compressed(path, data)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if path is not None and path.suffix.lower() in COMPRESSED:
            self.send_header("Vary", "Accept-Encoding")
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        if status == 200 and stamp is not None:
            self.send_header("Cache-Control", f"max-age={MAX_AGE}")
            self.send_header("Last-Modified", stamp)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def compressed(self, path: Path, data: bytes) -> bytes:
        info = path.stat()
        key = (path, info.st_mtime_ns, info.st_size)
        with self.lock:
            cached = self.zipped.get(key)
        if cached is None:
            cached = gzip.compress(data, 6, mtime=0)
            with self.lock:
                self.zipped[key] = cached
        return cached


def make_server(site: Path, port: int = 0) -> http.server.ThreadingHTTPServer:
    """A server for `site` on 127.0.0.1 (a free port when `port` is 0), not yet running."""
    root = site.resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"{site}: not a folder")

    class Handler(StaticHost):
        pass

    Handler.root = root
    Handler.zipped = {}
    Handler.lock = threading.Lock()
    server = http.server.ThreadingHTTPServer((HOST, port), Handler)
    server.daemon_threads = True
    return server


def origin_of(server: http.server.ThreadingHTTPServer) -> str:
    return f"http://{HOST}:{server.server_address[1]}"


@contextlib.contextmanager
def serve(site: Path, port: int = 0) -> Iterator[str]:
    """Serve `site` in a background thread while the block runs; yields the origin."""
    server = make_server(site, port)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    try:
        yield origin_of(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", help="a built site folder")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--seconds", type=float, default=1800, help="stop after this long (default: 1800)")
    args = parser.parse_args(argv)
    try:
        server = make_server(Path(args.site), args.port)
    except (FileNotFoundError, OSError) as error:
        print(f"serve_gzip: {error}", file=sys.stderr)
        return 2
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    print(origin_of(server), flush=True)
    stop.wait(args.seconds)
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
