"""The litigant page and the staff console as served: strict CSP, no inline code, cache headers,
the Rasa URL from configuration, assets only from our own origin."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from court.api.site import SITE_DIR, STAFF_DIR
from court.infra.app_keys import SETTINGS

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


@pytest.fixture(params=["sqlite"])
def db_url(request, sqlite_url: str) -> str:  # pages need no database: one run is enough
    return sqlite_url


async def test_litigant_page_has_a_strict_policy_and_the_configured_rasa_url(client):
    client.app[SETTINGS].extra["rasa_public_url"] = "https://rasa.court.example:8443/"
    resp = await client.get("/")
    assert resp.status == 200 and resp.content_type == "text/html"
    html = await resp.text()
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "connect-src 'self' https://rasa.court.example:8443 wss://rasa.court.example:8443" in csp
    assert "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Cache-Control"] == "no-cache"
    assert '<meta name="rasa-url" content="https://rasa.court.example:8443">' in html
    assert not INLINE_SCRIPT.search(html) and not INLINE_HANDLER.search(html)
    assert 'lang="zh-CN"' in html and 'aria-live="polite"' in html
    assert "http" not in re.sub(r'content="https://rasa[^"]*"', "", html).split("<body>")[0]  # no CDN


async def test_default_rasa_url_is_local(client):
    resp = await client.get("/")
    assert "connect-src 'self' http://127.0.0.1:5005 ws://127.0.0.1:5005" in resp.headers["Content-Security-Policy"]


async def test_assets_are_versioned_and_cached_for_a_year(client):
    html = await (await client.get("/")).text()
    links = re.findall(r'(/site/[A-Za-z0-9_./-]+)\?v=([0-9a-f]{12})', html)
    assert {path for path, _v in links} >= {"/site/site.css", "/site/widget.js", "/site/vendor/socket.io.min.js"}
    path, version = next((p, v) for p, v in links if p == "/site/widget.js")
    resp = await client.get(path, params={"v": version})
    assert resp.status == 200 and resp.content_type == "text/javascript"
    assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    etag = resp.headers["ETag"]
    assert (await client.get(path, params={"v": "old"})).headers["Cache-Control"] == "no-cache"
    assert (await client.get(path, headers={"If-None-Match": etag})).status == 304
    page_etag = (await client.get("/")).headers["ETag"]
    assert (await client.get("/", headers={"If-None-Match": page_etag})).status == 304


async def test_socket_io_client_is_served_from_our_origin(client):
    if not (SITE_DIR / "vendor" / "socket.io.min.js").exists():
        pytest.skip("run `make web` (npm ci) to copy the socket.io client")
    resp = await client.get("/site/vendor/socket.io.min.js")
    assert resp.status == 200
    assert "Socket.IO v4.8" in (await resp.text())[:200]


async def test_staff_console_policy_allows_blob_previews_only(client):
    resp = await client.get("/staff")
    assert resp.status == 200
    csp = resp.headers["Content-Security-Policy"]
    assert "frame-src blob:" in csp and "connect-src 'self'" in csp and "script-src 'self'" in csp
    html = await resp.text()
    assert not INLINE_SCRIPT.search(html) and not INLINE_HANDLER.search(html)
    assert (await client.get("/staff/", allow_redirects=False)).status == 301
    assert (await client.get("/staff/console.js")).status == 200


@pytest.mark.parametrize("path", ["/site/index.html", "/site/../api/site.py", "/site/%2e%2e/api/site.py",
                                  "/staff/index.html", "/site/missing.js", "/site/.hidden"])
async def test_nothing_else_is_served(client, path):
    assert (await client.get(path)).status == 404


def test_scripts_never_build_html_from_strings() -> None:
    for path in (SITE_DIR / "widget.js", STAFF_DIR / "console.js", STAFF_DIR / "dashboard.js",
                 STAFF_DIR / "enforcement.js"):
        source = path.read_text(encoding="utf-8")
        assert "innerHTML" not in source and "insertAdjacentHTML" not in source and "document.write" not in source
        assert "eval(" not in source and "new Function" not in source


def test_no_english_is_shown_on_the_pages() -> None:
    for path in (SITE_DIR / "index.html", STAFF_DIR / "index.html"):
        text = re.sub(r"<[^>]+>", " ", Path(path).read_text(encoding="utf-8"))
        words = set(re.findall(r"[A-Za-z]{3,}", text)) - {"PDF", "JPG", "PNG", "DOCX", "Word"}
        assert not words, (path.name, sorted(words))
