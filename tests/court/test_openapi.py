"""The OpenAPI document (court/openapi/*.yaml, merged and served by court/api/openapi.py; tests/court/openapi_check.py) and the response check of the test suite."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from aiohttp import web
from openapi_spec_validator import validate

from court.api import openapi
from openapi_check import ResponseChecker
from court.app import create_app
from court.infra.config import Settings


def _app(tmp_path: Path) -> web.Application:
    return create_app(Settings(dev_mode=True, database_url=f"sqlite+aiosqlite:///{tmp_path / 'o.db'}", upload_dir=tmp_path / "up"))


def _normalise(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", template)


# ---------------------------------------------------------------------------------------------
# The merged document


def test_merged_document_is_valid_openapi() -> None:
    doc = openapi.load()
    validate(doc)
    assert doc["openapi"].startswith("3.0")
    assert set(doc["components"]["securitySchemes"]) >= {"litigantToken", "staffToken"}
    error = doc["components"]["schemas"]["Error"]
    assert error["required"] == ["error", "message", "field"]


def test_every_fragment_is_merged() -> None:
    doc = openapi.load()
    for path in sorted(openapi.SPEC_DIR.glob("*.yaml")):
        fragment = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for template, item in (fragment.get("paths") or {}).items():
            for method in item:
                if method in openapi.METHODS:
                    assert method in doc["paths"][template], (path.name, method, template)


def test_every_api_route_is_documented_and_every_operation_exists(tmp_path: Path) -> None:
    """The document and the router name the same operations under /api/ (plus /health)."""
    app = _app(tmp_path)
    routed = {
        (route.method, _normalise(route.resource.canonical))
        for route in app.router.routes()
        if route.resource is not None
        and route.method not in ("HEAD", "OPTIONS", "*")
        and (route.resource.canonical.startswith("/api/") or route.resource.canonical == "/health")
    }
    documented = {(method, _normalise(path)) for method, path, _op in openapi.operations(openapi.spec())}
    undocumented = sorted(routed - documented)
    assert not undocumented, (
        "routes missing from court/openapi/*.yaml:\n  " + "\n  ".join(f"{m} {p}" for m, p in undocumented)
    )
    unrouted = sorted(documented - routed)
    assert not unrouted, "documented operations with no route:\n  " + "\n  ".join(f"{m} {p}" for m, p in unrouted)


def test_every_operation_has_an_id_and_documents_its_errors_as_error() -> None:
    doc = openapi.spec()
    ids = [op.get("operationId") for _m, _p, op in openapi.operations(doc)]
    assert all(ids) and len(ids) == len(set(ids)), ids
    for method, path, op in openapi.operations(doc):
        for status, response in op["responses"].items():
            assert status != "default", f"{method} {path}: list the statuses, not `default`"
            if status.startswith(("4", "5")) and "$ref" not in response:
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)


async def test_served_document_is_the_merged_one(aiohttp_client, tmp_path: Path) -> None:
    client = await aiohttp_client(_app(tmp_path))
    response = await client.get("/api/v1/openapi.json")
    assert response.status == 200
    assert response.content_type == "application/json"
    assert await response.json() == openapi.spec()
    assert (await client.post("/api/v1/openapi.json")).status == 405


def test_spec_is_read_once() -> None:
    assert openapi.spec() is openapi.spec()
    assert openapi.spec_json() is openapi.spec_json()


# ---------------------------------------------------------------------------------------------
# Merging

BASE = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {"Error": {"type": "object"}}}}


def _op(description: str = "ok") -> dict:
    return {"responses": {"200": {"description": description}}}


def test_merge_adds_paths_methods_and_schemas() -> None:
    doc = openapi.merge(BASE, [
        ("a.yaml", {"paths": {"/a": {"get": _op()}}, "components": {"schemas": {"A": {"type": "string"}}}}),
        ("b.yaml", {"paths": {"/a": {"post": _op()}, "/b": {"get": _op()}}}),
    ])
    assert set(doc["paths"]["/a"]) == {"get", "post"}
    assert set(doc["components"]["schemas"]) == {"Error", "A"}
    assert BASE["paths"] == {}  # the base is not changed


def test_duplicate_operation_names_both_files() -> None:
    with pytest.raises(openapi.OpenApiMergeError, match=r"b\.yaml: GET /a is already defined in a\.yaml"):
        openapi.merge(BASE, [("a.yaml", {"paths": {"/a": {"get": _op()}}}),
                             ("b.yaml", {"paths": {"/a": {"get": _op("other")}}})])


def test_conflicting_schema_names_both_files() -> None:
    with pytest.raises(openapi.OpenApiMergeError, match=r"b\.yaml: components/schemas/Error .* base\.yaml"):
        openapi.merge(BASE, [("b.yaml", {"components": {"schemas": {"Error": {"type": "string"}}}})])
    # the same definition twice is no conflict
    doc = openapi.merge(BASE, [("b.yaml", {"components": {"schemas": {"Error": {"type": "object"}}}})])
    assert doc["components"]["schemas"]["Error"] == {"type": "object"}


def test_fragment_may_not_carry_info() -> None:
    with pytest.raises(openapi.OpenApiMergeError, match="info"):
        openapi.merge(BASE, [("x.yaml", {"info": {"title": "x"}, "paths": {}})])


def test_yaml_quirks(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n")
    (tmp_path / "a.yaml").write_text("paths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n")
    doc = openapi.load(tmp_path)
    assert list(doc["paths"]["/a"]["get"]["responses"]) == ["200"]  # an int key becomes a string
    (tmp_path / "b.yaml").write_text("components:\n  schemas:\n    D: {type: string, example: 2026-03-01}\n")
    with pytest.raises(openapi.OpenApiMergeError, match="b.yaml: .*quote it"):
        openapi.load(tmp_path)


# ---------------------------------------------------------------------------------------------
# The response check

CHECK_DOC = openapi.merge(openapi.spec(), [("t.yaml", {"paths": {
    "/api/v1/things/{id}": {"get": {"responses": {
        "200": {"description": "a thing", "content": {"application/json": {"schema": {
            "type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "object", "properties": {"n": {"type": "integer"}}}},
                "meta": {"type": "object", "additionalProperties": True},
                "price": {"$ref": "#/components/schemas/MoneyOrNull"},
            }}}}},
        "404": {"$ref": "#/components/responses/NotFound"},
    }}},
    "/api/v1/things/special": {"get": {"responses": {"204": {"description": "nothing"}}}},
    "/api/v1/things/{id}/file": {"get": {"responses": {"200": {"description": "a file", "content": {
        "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}}},
}})])

JSON = "application/json; charset=utf-8"


@pytest.fixture(scope="module")
def checker() -> ResponseChecker:
    return ResponseChecker(CHECK_DOC)


def test_checker_accepts_a_documented_answer(checker) -> None:
    body = b'{"id": "x", "tags": [{"n": 1}], "meta": {"anything": true}, "price": null}'
    assert checker.check("GET", "/api/v1/things/x", 200, JSON, body) == []
    assert checker.check("GET", "/api/v1/things/x", 200, JSON, b'{"id": "x", "price": "12.50"}') == []
    err = b'{"error": "not_found", "message": "\xe6\x89\xbe\xe4\xb8\x8d\xe5\x88\xb0", "field": null}'
    assert checker.check("GET", "/api/v1/things/x", 404, JSON, err) == []
    assert checker.check("GET", "/api/v1/things/special", 204, "", b"") == []  # literal beats {id}
    assert checker.check("GET", "/api/v1/things/x/file", 200, "application/pdf", None) == []
    assert checker.check("GET", "/elsewhere", 200, "text/html", None) == []  # outside /api/: not checked


@pytest.mark.parametrize(
    "method, path, status, content_type, body, problem",
    [
        ("GET", "/api/v1/things/x", 500, JSON, b"{}", "status 500 is not documented"),
        ("GET", "/api/v1/things/x", 200, JSON, b'{"id": 1}', r"\$\.id: 1 is not of type 'string'"),
        ("GET", "/api/v1/things/x", 200, JSON, b"{}", "'id' is a required property"),
        ("GET", "/api/v1/things/x", 200, JSON, b'{"id": "x", "secret": 1}', r"\$\.secret: not in the documented"),
        ("GET", "/api/v1/things/x", 200, JSON, b'{"id": "x", "tags": [{"n": 1, "m": 2}]}', r"\$\.tags\[0\]\.m"),
        ("GET", "/api/v1/things/x", 200, JSON, b'{"id": "x", "price": 12.5}', r"\$\.price: 12\.5 is not of type"),
        ("GET", "/api/v1/things/x", 200, JSON, b'{"id": "x", "price": "12.5"}', "does not match"),
        ("GET", "/api/v1/things/x", 200, "text/html", b"<p>", "documented only"),
        ("GET", "/api/v1/things/x", 200, JSON, b"{oops", "not valid JSON"),
        ("GET", "/api/v1/things/x", 404, JSON, b'{"error": "not_found"}', "'message' is a required property"),
        ("DELETE", "/api/v1/things/x", 200, JSON, b"{}", "DELETE is not documented"),
        ("GET", "/api/v1/unknown", 200, JSON, b"{}", "not in the OpenAPI document"),
        ("GET", "/api/v1/things/special", 204, JSON, b'{"a": 1}', "documented without content"),
    ],
)
def test_checker_names_every_mismatch(checker, method, path, status, content_type, body, problem) -> None:
    problems = checker.check(method, path, status, content_type, body)
    assert problems and re.search(problem, problems[0]), problems


def test_checker_allows_405_for_an_undocumented_method_and_404_for_no_route(checker) -> None:
    err = b'{"error": "method_not_allowed", "message": "x", "field": null}'
    assert checker.check("DELETE", "/api/v1/things/x", 405, JSON, err) == []
    assert checker.check("GET", "/api/v1/nowhere", 404, JSON, err, app_has_route=lambda p: False) == []
    # …but an endpoint that exists and is not documented is a mismatch even when it says 404
    assert checker.check("GET", "/api/v1/nowhere", 404, JSON, err, app_has_route=lambda p: True)


async def test_client_fails_the_request_on_a_mismatch(aiohttp_client, aiohttp_client_cls, openapi_problems) -> None:
    """The test client every backend test uses raises at once, and the test fails at teardown too."""
    async def leaky_court(_request: web.Request) -> web.Response:
        return web.json_response({"code": "京0105", "name": "x", "level": "basic", "province": "北京市",
                                  "password_hash": "…"})

    app = web.Application()
    app.router.add_get("/api/v1/courts/{code}", leaky_court)
    client = await aiohttp_client(app)
    assert isinstance(client, aiohttp_client_cls) and aiohttp_client_cls.__name__ == "OpenApiCheckingClient"
    with pytest.raises(AssertionError, match="password_hash"):
        await client.get("/api/v1/courts/x")
    assert openapi_problems
    openapi_problems.clear()  # this test expected the mismatch


async def test_client_keeps_the_body_readable(client) -> None:
    response = await client.get("/api/v1/courts", params={"q": "朝阳"})
    assert response.status == 200
    assert (await response.json())["courts"][0]["code"] == "京0105"
    assert await response.read()
