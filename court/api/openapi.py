"""The backend's OpenAPI 3.0 document: court/openapi/base.yaml plus one fragment per resource.

Each fragment (court/openapi/<resource>.yaml) holds `paths:` and optionally `components:` (and
`tags:`); it refers to shared things as `#/components/schemas/Error` and so on. :func:`spec`
merges them once per process: a path+method defined twice, or a component name defined twice
with different contents, is an :class:`OpenApiMergeError` naming both files.

``GET /api/v1/openapi.json`` serves it. The test suite checks every response it receives against
it (tests/court/openapi_check.py).
"""
from __future__ import annotations

import copy
import datetime as _dt
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import yaml
from aiohttp import web

SPEC_DIR = Path(__file__).resolve().parent.parent / "openapi"
BASE_FILE = "base.yaml"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
COMPONENT_SECTIONS = (
    "schemas", "responses", "parameters", "examples", "requestBodies", "headers",
    "securitySchemes", "links", "callbacks",
)
FRAGMENT_KEYS = {"paths", "components", "tags"}


class OpenApiMergeError(ValueError):
    """Two fragments disagree, or a fragment is not a fragment."""


def _read_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise OpenApiMergeError(f"{path.name}: expected a mapping at the top level")
    return _jsonable(data, path.name, "")


def _jsonable(value: Any, source: str, where: str) -> Any:
    """YAML's types made JSON's: `200:` (an int key) becomes "200"; an unquoted date is an error."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if isinstance(key, bool) or not isinstance(key, (str, int)):
                raise OpenApiMergeError(f"{source}: key {key!r} at {where or '/'} must be a string; quote it")
            out[str(key)] = _jsonable(item, source, f"{where}/{key}")
        return out
    if isinstance(value, list):
        return [_jsonable(item, source, f"{where}/{i}") for i, item in enumerate(value)]
    if isinstance(value, (_dt.date, _dt.datetime)):
        raise OpenApiMergeError(f"{source}: {where} is a YAML date ({value}); quote it to make it a string")
    return value


def merge(base: dict[str, Any], fragments: list[tuple[str, dict[str, Any]]], base_name: str = BASE_FILE) -> dict[str, Any]:
    """The base document with every fragment's paths, components and tags added; conflicts raise."""
    doc = copy.deepcopy(base)
    paths = doc.setdefault("paths", {}) or {}
    doc["paths"] = paths
    components = doc.setdefault("components", {}) or {}
    doc["components"] = components
    origin: dict[tuple[str, ...], str] = {}
    for path, item in paths.items():
        for method in item:
            origin[("path", path, method)] = base_name
    for section, entries in components.items():
        for name in entries or {}:
            origin[("component", section, name)] = base_name
    tag_names = {tag["name"] for tag in doc.get("tags", [])}

    for source, fragment in fragments:
        unknown = sorted(set(fragment) - FRAGMENT_KEYS)
        if unknown:
            raise OpenApiMergeError(
                f"{source}: a fragment may hold only {sorted(FRAGMENT_KEYS)}, not {unknown} "
                f"(info, servers and security schemes belong in {base_name})"
            )
        for path, item in (fragment.get("paths") or {}).items():
            if not path.startswith("/"):
                raise OpenApiMergeError(f"{source}: path {path!r} must start with '/'")
            if not isinstance(item, dict):
                raise OpenApiMergeError(f"{source}: path {path} must be a mapping")
            target = paths.setdefault(path, {})
            for key, value in item.items():
                where = ("path", path, key)
                if key in target:
                    if key in METHODS:
                        raise OpenApiMergeError(
                            f"{source}: {key.upper()} {path} is already defined in {origin[where]}"
                        )
                    if target[key] != value:  # path-level summary/parameters must agree
                        raise OpenApiMergeError(
                            f"{source}: '{key}' of {path} differs from the one in {origin[where]}"
                        )
                    continue
                target[key] = copy.deepcopy(value)
                origin[where] = source
        for section, entries in (fragment.get("components") or {}).items():
            if section not in COMPONENT_SECTIONS:
                raise OpenApiMergeError(f"{source}: unknown components section {section!r}")
            target = components.setdefault(section, {})
            for name, value in (entries or {}).items():
                where = ("component", section, name)
                if name in target:
                    if target[name] != value:
                        raise OpenApiMergeError(
                            f"{source}: components/{section}/{name} is already defined differently in "
                            f"{origin[where]}; rename one, or reuse the other"
                        )
                    continue
                target[name] = copy.deepcopy(value)
                origin[where] = source
        for tag in fragment.get("tags") or []:
            if tag.get("name") not in tag_names:
                doc.setdefault("tags", []).append(copy.deepcopy(tag))
                tag_names.add(tag.get("name"))
    doc["paths"] = dict(sorted(paths.items()))
    return doc


def load(directory: Path = SPEC_DIR) -> dict[str, Any]:
    """Read and merge base.yaml and every other *.yaml in `directory` (alphabetical order)."""
    base = _read_yaml(directory / BASE_FILE)
    fragments = [
        (path.name, _read_yaml(path))
        for path in sorted(directory.glob("*.yaml"))
        if path.name != BASE_FILE
    ]
    return merge(base, fragments)


@lru_cache(maxsize=1)
def spec() -> dict[str, Any]:
    """The merged document, read once per process. Treat it as read-only."""
    return load()


@lru_cache(maxsize=1)
def spec_json() -> bytes:
    """The merged document as UTF-8 JSON, ready to serve."""
    return json.dumps(spec(), ensure_ascii=False, indent=1).encode("utf-8")


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path, operation) for every operation of the document."""
    for path, item in doc.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield method.upper(), path, item[method]


# ------------------------------------------------------------------------------------------------
# Checking responses against the document (used by the test suite)

_PARAM = re.compile(r"\{[^}/]+\}")


def template_regex(template: str) -> re.Pattern[str]:
    """`/api/v1/filings/{number}` → a regex that matches `/api/v1/filings/LA2026…` (one segment per parameter)."""
    parts = _PARAM.split(template)
    return re.compile("^" + "[^/]+".join(re.escape(p) for p in parts) + "$")


def _ref_target(doc: dict[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        raise OpenApiMergeError(f"only local $ref are supported, not {ref!r}")
    node: Any = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        try:
            node = node[int(part)] if isinstance(node, list) else node[part]
        except (KeyError, IndexError, ValueError):
            raise OpenApiMergeError(f"$ref {ref!r} does not resolve") from None
    return node


def inline_refs(doc: dict[str, Any], node: Any, _seen: tuple[str, ...] = ()) -> Any:
    """`node` with every local $ref replaced by its target (OpenAPI 3.0: siblings of $ref are ignored)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            if ref in _seen:
                raise OpenApiMergeError(f"recursive $ref {ref!r} is not supported by the response checker")
            return inline_refs(doc, _ref_target(doc, ref), _seen + (ref,))
        return {key: inline_refs(doc, value, _seen) for key, value in node.items()}
    if isinstance(node, list):
        return [inline_refs(doc, item, _seen) for item in node]
    return node


routes = web.RouteTableDef()


@routes.get("/api/v1/openapi.json")
async def get_openapi(_request: web.Request) -> web.Response:
    return web.Response(
        body=spec_json(),
        content_type="application/json",
        charset="utf-8",
        headers={"Cache-Control": "public, max-age=300"},
    )
