"""A small stand-in for the court backend on 127.0.0.1, for the after-filing actions and validators.

It answers the few /api/v1 calls those make (identity confirm, the litigant's filings, one filing,
its documents, resubmit, policy) from plain in-memory data, checks the bearer token like the real
one (someone else's filing is a 404), and records every resubmission so tests can read what was sent.
`court` is the pytest fixture: it starts the server, points CourtClient.default() at it, stops it after.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Optional

import pytest
from aiohttp import web

from bot.court_client import CourtClient

TOKEN, OTHER_TOKEN = "token-mine", "token-other"
CODE = "123456"


def filing(number: str, status: str, *, items: Optional[list[str]] = None, reason: Optional[str] = None,
           evidence: Optional[list[dict[str, Any]]] = None) -> dict[str, Any]:
    """A filing as GET /api/v1/filings/{number} shows it to its filer (parties unmasked)."""
    labels = {"pending_review": "待审核", "needs_correction": "需补正", "docketed": "已立案",
              "rejected": "不予立案", "withdrawn": "已撤回"}
    body: dict[str, Any] = {
        "id": number, "status": status, "status_label": labels[status], "case_type": "民间借贷纠纷",
        "court": {"code": "京0105", "name": "北京市朝阳区人民法院"}, "amount": "50000.00",
        "facts": "2023年3月被告向原告借款5万元，至今未还。",
        "parties": [
            {"role": "plaintiff", "kind": "person", "name": "张三", "id_number": "11010519491231002X",
             "phone": "13800138000", "sex": "female", "birth_date": "1949-12-31", "address": None,
             "legal_representative": None, "representative_title": None},
            {"role": "defendant", "kind": "person", "name": "李四", "id_number": None, "phone": None,
             "sex": None, "birth_date": None, "address": None, "legal_representative": None,
             "representative_title": None},
        ],
        "claims": [{"text": "判令被告归还借款5万元", "amount": "50000.00"}],
        "review": {"items": items or [], "reason": reason} if (items or reason) else None,
        "case_number": None, "created_at": "2026-11-28T02:00:00+00:00", "updated_at": "2026-11-28T02:00:00+00:00",
    }
    if evidence is not None:
        body["evidence"] = evidence
    return body


@dataclass
class FakeCourt:
    url: str = ""
    filings: dict[str, dict[str, Any]] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    documents: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    resubmissions: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    confirms: list[dict[str, Any]] = field(default_factory=list)  # bodies of /identity/confirm
    refuse_resubmit: Optional[tuple[int, str, str]] = None  # (status, code, message)
    codes_left: int = 5  # SMS codes a phone may still ask for this hour, as the backend counts them
    revoked: set[str] = field(default_factory=set)  # tokens ended by a re-verification or logout: 401
    policy: dict[str, Any] = field(default_factory=lambda: {"documents": {
        "max_bytes": 15728640, "max_size_label": "15 MB", "max_files_per_filing": 30,
        "types": [{"code": "pdf", "label": "PDF 文档"}, {"code": "jpeg", "label": "JPEG 图片"}]}})

    def add(self, body: dict[str, Any], owner: str = TOKEN) -> None:
        self.filings[body["id"]] = body
        self.owners[body["id"]] = owner
        self.documents.setdefault(body["id"], [])

    def upload(self, number: str, filename: str) -> None:
        docs = self.documents[number]
        docs.append({"id": f"doc{len(docs) + 1}{number[-3:]}", "kind": "evidence", "filename": filename})


def _error(status: int, code: str, message: str, field_name: Optional[str] = None) -> web.Response:
    return web.json_response({"error": code, "message": message, "field": field_name}, status=status)


def _app(state: FakeCourt) -> web.Application:
    routes = web.RouteTableDef()

    @web.middleware
    async def revoked(request: web.Request, handler: Any) -> web.StreamResponse:
        if request.headers.get("Authorization", "")[len("Bearer "):] in state.revoked:
            return _error(401, "unauthorized", "登录已失效，请重新进行实名认证。")
        return await handler(request)

    def token(request: web.Request) -> Optional[str]:
        auth = request.headers.get("Authorization", "")
        return auth[len("Bearer "):] if auth.startswith("Bearer ") else None

    def own(request: web.Request) -> Optional[dict[str, Any]]:
        number = request.match_info["number"]
        if number in state.filings and state.owners[number] == token(request):
            return state.filings[number]
        return None

    @routes.post("/api/v1/identity/verify")
    async def verify(request: web.Request) -> web.Response:
        if state.codes_left <= 0:  # the backend's five codes an hour, with when the oldest leaves the hour
            response = _error(429, "too_many_requests", "该手机号码获取验证码过于频繁（每小时最多5次），请您稍后再试。", "phone")
            response.headers["Retry-After"] = "1200"
            return response
        state.codes_left -= 1
        return web.json_response({"challenge_id": f"c{state.codes_left}"}, status=202)

    @routes.post("/api/v1/identity/confirm")
    async def confirm(request: web.Request) -> web.Response:
        body = await request.json()
        state.confirms.append(body)
        if body.get("code") != CODE:
            return _error(400, "wrong_code", "验证码不正确。")
        return web.json_response({"token": TOKEN})

    @routes.get("/api/v1/filings")
    async def list_filings(request: web.Request) -> web.Response:
        if token(request) is None:
            return _error(401, "unauthorized", "请先完成实名认证。")
        mine = [f for n, f in state.filings.items() if state.owners[n] == token(request)]
        return web.json_response({"filings": mine})

    @routes.get("/api/v1/filings/{number}")
    async def get_filing(request: web.Request) -> web.Response:
        found = own(request)
        return web.json_response(found) if found else _error(404, "not_found", "未找到该立案申请，请核对立案申请号。")

    @routes.get("/api/v1/filings/{number}/documents")
    async def documents(request: web.Request) -> web.Response:
        found = own(request)
        if not found:
            return _error(404, "not_found", "未找到该立案申请，请核对立案申请号。")
        return web.json_response({"filing": found["id"], "documents": state.documents[found["id"]]})

    @routes.post("/api/v1/filings/{number}/resubmit")
    async def resubmit(request: web.Request) -> web.Response:
        found = own(request)
        if not found:
            return _error(404, "not_found", "未找到该立案申请，请核对立案申请号。")
        body = await request.json()
        state.resubmissions.append((found["id"], copy.deepcopy(body)))
        if state.refuse_resubmit:
            status, code, message = state.refuse_resubmit
            return _error(status, code, message)
        allowed = {"facts", "claims", "note", "parties", "evidence"}
        extra = sorted(set(body) - allowed)
        if extra:
            return _error(400, "unknown_field", f"无法识别的字段：{extra[0]}。", extra[0])
        if found["status"] != "needs_correction":
            return _error(409, "invalid_transition", f"该立案申请当前状态为“{found['status_label']}”，不能提交补正。")
        found.update(status="pending_review", status_label="待审核", review=None)
        return web.json_response(found)

    @routes.get("/api/v1/filings/{number}/case-file")
    async def case_file(request: web.Request) -> web.Response:
        found = own(request)
        if not found:
            return _error(404, "not_found", "未找到该立案申请，请核对立案申请号。")
        items = [{"no": 1, "title": "民事起诉状", "date": "2026-11-28", "source": "当事人", "kind": "complaint",
                  "pages": 2, "page_from": 2, "page_to": 3},
                 {"no": 2, "title": "受理案件通知书", "date": "2026-11-30", "source": "本院", "kind": "notice",
                  "pages": 1, "page_from": 4, "page_to": 4}]
        return web.json_response({"filing": found["id"], "case_number": found.get("case_number"),
                                  "court_name": "北京市朝阳区人民法院", "copy": "party", "items": items,
                                  "total_pages": 4, "download_url":
                                  f"/api/v1/case-files/{found['id']}/download?expires=1&sig={'0' * 64}"})

    @routes.get("/api/v1/policy")
    async def policy(request: web.Request) -> web.Response:
        return web.json_response(state.policy)

    app = web.Application(middlewares=[revoked])
    app.add_routes(routes)
    return app


@pytest.fixture
async def court() -> AsyncIterator[FakeCourt]:
    state = FakeCourt()
    runner = web.AppRunner(_app(state))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    state.url = f"http://127.0.0.1:{port}"
    before = CourtClient._default
    CourtClient._default = CourtClient(state.url)
    try:
        yield state
    finally:
        await CourtClient._default.close()
        CourtClient._default = before
        await runner.cleanup()


def tracker(text: str = "", intent: str = "inform", *, slots: Optional[dict[str, Any]] = None,
            channel: str = "rest", form: Optional[str] = "correction_form",
            ranking: Optional[list[dict[str, Any]]] = None, entities: Optional[list[dict[str, Any]]] = None) -> Any:
    """A rasa_sdk Tracker as the action server receives it: slots, the latest message and its channel."""
    from rasa_sdk import Tracker

    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or [],
               "intent_ranking": ranking or []}
    events = [{"event": "user", "text": text, "parse_data": message, "input_channel": channel}]
    return Tracker("conv-1", dict(slots or {}), message, events, False, None,
                   {"name": form} if form else {}, "action_listen")


def said(dispatcher: Any) -> str:
    """Everything the dispatcher would have shown, as one text."""
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)
