"""The backend's OpenAPI 3.0 document: court/openapi/base.yaml plus one fragment per resource.

Each fragment (court/openapi/<resource>.yaml) holds `paths:` and optionally `components:` (and
`tags:`); it refers to shared things as `#/components/schemas/Error` and so on. :func:`spec`
merges them once per process: a path+method defined twice, or a component name defined twice
with different contents, is an :class:`OpenApiMergeError` naming both files.

:class:`ResponseChecker` checks a response against the document; the backend test suite runs it
on every response it receives (tests/court/conftest.py). It needs openapi-schema-validator, a
test dependency, imported only when a checker is made.
"""
from __future__ import annotations

import copy
import datetime as _dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import yaml

SPEC_DIR = Path(__file__).with_name("openapi")
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


def _is_json(content_type: str) -> bool:
    ct = content_type.split(";")[0].strip().lower()
    return ct == "application/json" or ct.endswith("+json")


@dataclass
class _Route:
    template: str
    regex: re.Pattern[str]
    literal_segments: int


class ResponseChecker:
    """Tells whether a response is what the document says; `check` returns the problems (empty: fine).

    Rules, for a path of the document: the method must be documented (or the answer a 405 with
    the Error body); the status must be listed under `responses` (or its `4XX` range, or
    `default`); a JSON body must validate against the documented schema, and may hold no property
    that its schema does not name (unless the schema has `additionalProperties`). A path under
    `strict_prefix` that the document does not know is a problem too, except a 404 for a path that
    the application has no route for (`app_has_route`).
    """

    def __init__(self, doc: dict[str, Any], strict_prefix: str = "/api/") -> None:
        from openapi_schema_validator import OAS30Validator, oas30_format_checker

        self.doc = doc
        self.strict_prefix = strict_prefix
        self._validator_cls = OAS30Validator
        self._format_checker = oas30_format_checker
        self._routes = sorted(
            (
                _Route(t, template_regex(t), sum(1 for s in t.split("/") if s and not _PARAM.search(s)))
                for t in doc.get("paths", {})
            ),
            key=lambda r: -r.literal_segments,
        )
        self._schemas: dict[tuple[str, str, str], Any] = {}
        self._error_schema = inline_refs(doc, {"$ref": "#/components/schemas/Error"})

    def find_template(self, path: str) -> Optional[str]:
        for route in self._routes:
            if route.regex.match(path):
                return route.template
        return None

    def check(
        self,
        method: str,
        path: str,
        status: int,
        content_type: str,
        body: Optional[bytes],
        app_has_route: Callable[[str], bool] = lambda _path: True,
    ) -> list[str]:
        """Problems with this response; `body` None means "not read" (only the status is checked)."""
        method = method.lower()
        where = f"{method.upper()} {path} → {status}"
        template = self.find_template(path)
        if template is None:
            if not path.startswith(self.strict_prefix):
                return []
            if status == 404 and not app_has_route(path):
                return self._check_json(where, content_type, body, self._error_schema, "the Error schema")
            return [f"{where}: the path is not in the OpenAPI document (court/openapi/*.yaml); document it"]
        item = self.doc["paths"][template]
        operation = item.get(method) or (item.get("get") if method == "head" else None)
        if operation is None:
            if status == 405:
                return self._check_json(where, content_type, body, self._error_schema, "the Error schema")
            documented = [m.upper() for m in METHODS if m in item]
            return [f"{where}: {method.upper()} is not documented for {template} (documented: {documented})"]
        responses = operation.get("responses", {})
        key = next((k for k in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default") if k in responses), None)
        if key is None:
            return [
                f"{where}: status {status} is not documented for {method.upper()} {template} "
                f"(documented: {sorted(responses)}); add it to the fragment's `responses`"
            ]
        cache_key = (template, method, key)
        if cache_key not in self._schemas:
            self._schemas[cache_key] = inline_refs(self.doc, responses[key])
        response = self._schemas[cache_key]
        content = response.get("content") or {}
        if method == "head":
            return []
        if not _is_json(content_type):
            if content and all(_is_json(ct) for ct in content):
                return [f"{where}: answered {content_type or 'no content type'}, documented only {sorted(content)}"]
            return []  # a download or a page: its status is all we check
        if body is None:
            return []
        if not content:
            if body.strip():
                return [f"{where}: answered a JSON body, but the response is documented without content"]
            return []
        media = next((m for ct, m in content.items() if _is_json(ct)), None) or content.get("*/*") or content.get("application/*")
        if media is None:
            return [f"{where}: answered JSON, documented only {sorted(content)}"]
        schema = media.get("schema")
        if schema is None:
            return []
        return self._check_json(where, content_type, body, schema, f"{template} {method.upper()} {key}")

    def _check_json(self, where: str, content_type: str, body: Optional[bytes], schema: Any, label: str) -> list[str]:
        if body is None:
            return []
        if not _is_json(content_type):
            return [f"{where}: expected a JSON body ({label}), got {content_type or 'no content type'}"]
        try:
            instance = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as err:
            return [f"{where}: the body is not valid JSON ({err})"]
        return self.validate(where, instance, schema)

    def validate(self, where: str, instance: Any, schema: Any) -> list[str]:
        """Problems of `instance` against a schema (with local $refs into the document)."""
        schema = inline_refs(self.doc, schema)
        validator = self._validator_cls(schema, format_checker=self._format_checker)
        problems = [
            f"{where}: {_json_path(err.absolute_path)}: {err.message}"
            for err in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
        ]
        if not problems:
            problems = [
                f"{where}: {p}: not in the documented schema (name it under `properties`, or say "
                f"`additionalProperties: true` for a free-form object)"
                for p in self._undocumented(instance, schema, "$")
            ]
        return problems

    def _undocumented(self, instance: Any, schema: Any, where: str) -> list[str]:
        """JSON paths of properties present in `instance` that `schema` does not name."""
        if not isinstance(schema, dict):
            return []
        for combinator in ("oneOf", "anyOf"):
            if combinator in schema:
                for sub in schema[combinator]:
                    if self._validator_cls(sub, format_checker=self._format_checker).is_valid(instance):
                        return self._undocumented(instance, sub, where)
                return []
        properties, additional, typed_object = self._object_parts(schema)
        found: list[str] = []
        if isinstance(instance, dict) and typed_object:
            for name, value in instance.items():
                if name in properties:
                    found += self._undocumented(value, properties[name], f"{where}.{name}")
                elif isinstance(additional, dict):
                    found += self._undocumented(value, additional, f"{where}.{name}")
                elif additional is None:
                    found.append(f"{where}.{name}")
        elif isinstance(instance, list) and isinstance(schema.get("items"), dict):
            for i, value in enumerate(instance):
                found += self._undocumented(value, schema["items"], f"{where}[{i}]")
        return found

    def _object_parts(self, schema: dict[str, Any]) -> tuple[dict[str, Any], Any, bool]:
        """(properties, additionalProperties or None, is it an object schema), across allOf."""
        properties = dict(schema.get("properties") or {})
        additional = schema.get("additionalProperties")
        typed = schema.get("type") == "object" or "properties" in schema
        for sub in schema.get("allOf") or []:
            sub_props, sub_additional, sub_typed = self._object_parts(sub)
            properties.update(sub_props)
            if sub_additional is not None and additional is None:
                additional = sub_additional if sub_additional is not False else None
            typed = typed or sub_typed
        if additional is False:
            additional = None  # the validator has already refused extra properties
        return properties, additional, typed


def _json_path(parts: Any) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out
