"""`explainer serve`'s pure parts: the status the preview script polls, the line a rebuild
prints, the port it serves on, and the preview's additions to a generated folder."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from explainer.commands import serve
from explainer.core.diagnostics import Diagnostic, Severity


def _error(path: str = "data/events/x.yaml", message: str = "date: not a date (write YYYY-MM-DD)") -> Diagnostic:
    return Diagnostic(path, 3, 7, Severity.ERROR, "date", message)


def test_status_lists_each_problem_with_its_place_and_message() -> None:
    status = serve.status_json(4, [_error()])
    assert status == {
        "generation": 4,
        "ok": False,
        "count": 1,
        "errors": [
            {"where": "data/events/x.yaml:3:7", "severity": "error", "message": "date: not a date (write YYYY-MM-DD)"}
        ],
    }
    assert serve.status_json(5, []) == {"generation": 5, "ok": True, "count": 0, "errors": []}


def test_status_keeps_markup_as_text_and_caps_the_list() -> None:
    hostile = _error(message="title: <img src=x onerror=alert(1)> </script>")
    body = serve.Status()
    body.update(problems=[hostile] * (serve.SHOWN_PROBLEMS + 5))
    parsed = json.loads(body.body)
    assert parsed["count"] == serve.SHOWN_PROBLEMS + 5
    assert len(parsed["errors"]) == serve.SHOWN_PROBLEMS
    assert parsed["errors"][0]["message"] == "title: <img src=x onerror=alert(1)> </script>"  # data, not markup
    script = (serve.PREVIEW_STATIC / "preview.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script
    assert "insertAdjacentHTML" not in script


def test_status_generation_goes_up_only_after_a_valid_build() -> None:
    status = serve.Status()
    status.update(problems=[_error()])
    assert json.loads(status.body)["generation"] == 0
    status.update(problems=[], built=True)
    assert json.loads(status.body) == {"generation": 1, "ok": True, "count": 0, "errors": []}
    status.update(engine_error="mkdocs: boom")
    assert json.loads(status.body)["errors"] == [
        {"where": "site engine", "severity": "error", "message": "mkdocs: boom"}
    ]


def test_rebuild_line_says_what_changed_how_long_and_how_many_errors(tmp_path: Path) -> None:
    data = tmp_path / "data"
    changed = [str(data / "events" / "x.yaml")]
    valid = serve.rebuild_line(changed, str(data), serve.Rebuild(pages=3, files=12), 0.42)
    assert valid == f"{data}/events/x.yaml: 3 pages and 12 other files in 0.42 s; no errors"
    invalid = serve.rebuild_line(changed, str(data), serve.Rebuild(errors=2, valid=False), 0.05)
    assert invalid == f"{data}/events/x.yaml: 2 errors in 0.05 s; the preview shows the last valid version"
    quiet = serve.rebuild_line(changed * 5, "data", serve.Rebuild(), 0.01)
    assert "and 2 more" in quiet
    assert "no page changed" in quiet


def test_a_busy_port_moves_to_the_next_free_one_or_names_the_flag(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        server = serve.open_server(port, tmp_path, serve.Status())
        try:
            assert server.server_address[1] != port
        finally:
            server.server_close()
        with pytest.raises(serve.PortsBusy, match=r"choose another with --port"):
            serve.open_server(port, tmp_path, serve.Status(), tries=1)


def test_server_answers_status_and_the_page_before_any_valid_build(tmp_path: Path) -> None:
    import threading

    status = serve.Status()
    status.update(problems=[_error()])
    server = serve.open_server(0, tmp_path, status, tries=1)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with urllib.request.urlopen(base + serve.STATUS_PATH, timeout=5) as response:
            assert json.load(response)["ok"] is False
            assert response.headers["Cache-Control"] == "no-store"
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(base + "/events/new/", timeout=5)
        assert missing.value.code == 404
        assert b"/_explainer/preview.js" in missing.value.read()  # it reloads once the data is valid
    finally:
        server.shutdown()
        server.server_close()


def test_only_the_preview_links_the_banner_script(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    config = {"site_name": "x", "plugins": ["search"], "extra_javascript": ["assets/explainer/explainer.js"]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    serve.add_preview_files(tmp_path, "http://127.0.0.1:8001/")
    written = yaml.safe_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8"))
    assert written["extra_javascript"] == ["assets/explainer/explainer.js", f"{serve.PREVIEW_ASSETS}/preview.js"]
    assert written["extra_css"] == [f"{serve.PREVIEW_ASSETS}/preview.css"]
    assert written["site_url"] == "http://127.0.0.1:8001/"
    assert written["plugins"] == []
    assert (tmp_path / "docs" / serve.PREVIEW_ASSETS / "preview.js").is_file()


def test_build_never_links_the_banner_script(tmp_path: Path) -> None:
    from explainer.checking.validate import validate_data
    from explainer.commands.build import Progress, generate

    dataset, report = validate_data(Path(__file__).parent / "fixtures" / "mini")
    assert report.ok
    generate(dataset, tmp_path, Progress(), images=False)
    config = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    assert "preview" not in config
    assert not (tmp_path / "docs" / serve.PREVIEW_ASSETS).exists()
