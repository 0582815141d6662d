"""Checks a response against the backend's OpenAPI document (court/api/openapi.py): the backend
test suite runs :class:`ResponseChecker` on every response it receives (tests/court/conftest.py).
It needs openapi-schema-validator, a test dependency, imported only when a checker is made.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Optional

from court.api.openapi import _PARAM, METHODS, inline_refs, template_regex


def is_json(content_type: str) -> bool:
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
        if not is_json(content_type):
            if content and all(is_json(ct) for ct in content):
                return [f"{where}: answered {content_type or 'no content type'}, documented only {sorted(content)}"]
            return []  # a download or a page: its status is all we check
        if body is None:
            return []
        if not content:
            if body.strip():
                return [f"{where}: answered a JSON body, but the response is documented without content"]
            return []
        media = next((m for ct, m in content.items() if is_json(ct)), None) or content.get("*/*") or content.get("application/*")
        if media is None:
            return [f"{where}: answered JSON, documented only {sorted(content)}"]
        schema = media.get("schema")
        if schema is None:
            return []
        return self._check_json(where, content_type, body, schema, f"{template} {method.upper()} {key}")

    def _check_json(self, where: str, content_type: str, body: Optional[bytes], schema: Any, label: str) -> list[str]:
        if body is None:
            return []
        if not is_json(content_type):
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
