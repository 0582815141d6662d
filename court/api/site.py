"""The litigant page (/) with its chat widget, the staff console (/staff) and their assets.

Why this shape:
* A strict Content-Security-Policy: scripts and styles only from this origin, no inline code, no
  CDN (the socket.io client is copied from node_modules by `make web`), connections only to this
  origin and to Rasa (the page talks to Rasa's socket.io directly).
* The Rasa URL is a setting (COURT_RASA_PUBLIC_URL, else COURT_RASA_URL, else
  http://127.0.0.1:5005): the server writes it into the page's <meta name="rasa-url">, so no
  inline script is needed to configure the widget.
* Caching: pages are `no-cache` (always revalidated, so a new release is seen at once); assets are
  linked as `/site/x.js?v=<hash of the file>` and served `immutable` for a year when the hash
  matches, `no-cache` otherwise. Every answer carries an ETag.
"""
from __future__ import annotations

import hashlib
import html
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from aiohttp import web

from court.infra.app_keys import SETTINGS

routes = web.RouteTableDef()
STATIC = Path(__file__).resolve().parent.parent / "static"
SITE_DIR = STATIC / "site"
STAFF_DIR = STATIC / "staff"
ROOTS = {"site": SITE_DIR, "staff": STAFF_DIR}
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png",
         ".ico": "image/x-icon", ".woff2": "font/woff2", ".json": "application/json"}

COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


@dataclass(frozen=True)
class _Asset:
    body: bytes
    etag: str
    version: str


_cache: dict[Path, tuple[float, _Asset]] = {}


def _asset(path: Path) -> Optional[_Asset]:
    """The file's bytes and hashes, re-read only when its mtime changes."""
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return None
    cached = _cache.get(path)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    body = path.read_bytes()
    digest = hashlib.sha256(body).hexdigest()
    asset = _Asset(body, f'"{digest[:32]}"', digest[:12])
    _cache[path] = (mtime, asset)
    return asset


def _origin(url: str) -> tuple[str, str]:
    """(http origin, websocket origin) of a URL, for connect-src."""
    parts = urlsplit(url)
    scheme = parts.scheme or "http"
    ws = "wss" if scheme == "https" else "ws"
    return f"{scheme}://{parts.netloc}", f"{ws}://{parts.netloc}"


def site_csp(rasa: str) -> str:
    http_origin, ws_origin = _origin(rasa)
    return "; ".join([
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "font-src 'self'", f"connect-src 'self' {http_origin} {ws_origin}", "manifest-src 'self'",
        "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'", "object-src 'none'",
    ])


STAFF_CSP = "; ".join([
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' blob: data:",
    "font-src 'self'", "connect-src 'self'", "frame-src blob:", "object-src 'none'",
    "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
])


def _not_modified(request: web.Request, etag: str) -> bool:
    return etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]


def _render(area: str, rasa: str) -> tuple[bytes, str]:
    """index.html of `area` with {{rasa_url}} and {{asset:NAME}} filled in; (body, etag)."""
    source = (ROOTS[area] / "index.html").read_text(encoding="utf-8")
    text = source.replace("{{rasa_url}}", html.escape(rasa, quote=True))
    for name in _asset_names(source):
        asset = _asset(ROOTS[area] / name)
        version = asset.version if asset else "0"
        text = text.replace("{{asset:" + name + "}}", f"/{area}/{name}?v={version}")
    body = text.encode("utf-8")
    return body, f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def _asset_names(source: str) -> list[str]:
    names, start = [], 0
    while (i := source.find("{{asset:", start)) >= 0:
        end = source.index("}}", i)
        names.append(source[i + 8:end])
        start = end
    return names


def _page(request: web.Request, area: str, csp: str) -> web.Response:
    body, etag = _render(area, request.app[SETTINGS].rasa_browser_url())
    headers = {**COMMON_HEADERS, "Content-Security-Policy": csp, "Cache-Control": REVALIDATE, "ETag": etag}
    if _not_modified(request, etag):
        return web.Response(status=304, headers=headers)
    return web.Response(body=body, content_type="text/html", charset="utf-8", headers=headers)


@routes.get("/")
async def litigant_page(request: web.Request) -> web.Response:
    return _page(request, "site", site_csp(request.app[SETTINGS].rasa_browser_url()))


@routes.get("/staff")
async def staff_page(request: web.Request) -> web.Response:
    return _page(request, "staff", STAFF_CSP)


@routes.get("/staff/")
async def staff_slash(_request: web.Request) -> web.Response:
    raise web.HTTPMovedPermanently("/staff")


async def _serve_asset(request: web.Request, area: str) -> web.Response:
    name = request.match_info["name"]
    root = ROOTS[area]
    path = (root / name).resolve()
    if root.resolve() not in path.parents or path.name.startswith(".") or path.name == "index.html":
        raise web.HTTPNotFound()
    asset = _asset(path) if path.is_file() else None
    if asset is None:
        raise web.HTTPNotFound()
    cache = IMMUTABLE if request.query.get("v") == asset.version else REVALIDATE
    headers = {**COMMON_HEADERS, "Cache-Control": cache, "ETag": asset.etag,
               "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"}
    if _not_modified(request, asset.etag):
        return web.Response(status=304, headers=headers)
    content_type = TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    charset = "utf-8" if content_type.startswith("text/") or content_type.endswith(("json", "xml")) else None
    return web.Response(body=asset.body, content_type=content_type, charset=charset, headers=headers)


@routes.get(r"/site/{name:[A-Za-z0-9_\-./]+}")
async def site_asset(request: web.Request) -> web.Response:
    return await _serve_asset(request, "site")


@routes.get(r"/staff/{name:[A-Za-z0-9_\-./]+}")
async def staff_asset(request: web.Request) -> web.Response:
    return await _serve_asset(request, "staff")
