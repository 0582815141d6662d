"""The generated 起诉状 through the API, on SQLite and PostgreSQL: queued with the filing and rendered after
the answer (court/jobs/complaint_renders.py, run here by `render_pending`), downloadable by its litigant
(token or signed link), regenerated on resubmission, never half-written."""
from __future__ import annotations

import io
import logging
import re
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader

from authflow import BOB, bearer, filing_body, review, set_clock, staff_token, submit, verify_litigant
from court.infra.app_keys import SETTINGS
from court.jobs.complaint_renders import render_pending
from court.services import complaint_renders as renders_module
from court.services import filings as filings_module

QUOTED_NAME = "filename*=UTF-8''%E8%B5%B7%E8%AF%89%E7%8A%B6.pdf"
EVIDENCE = [{"name": "借条", "source": "原告持有", "purpose": "证明借款事实"}]


@pytest.fixture
async def two(client, db_rows):
    clock = set_clock(client, datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc))  # 10:00 in Beijing
    alice = await verify_litigant(client, db_rows)
    bob = await verify_litigant(client, db_rows, BOB)
    return alice, bob, clock


async def rendered(client, token: str, number: str) -> dict:
    """The filing after the complaint worker's pass (the answer to POST did not wait for it)."""
    await render_pending(client.app)
    resp = await client.get(f"/api/v1/filings/{number}", headers=bearer(token))
    assert resp.status == 200
    return await resp.json()


async def submit_rendered(client, token: str, **changes) -> dict:
    filing = await submit(client, token, **changes)
    assert filing["complaint"] is None and filing["complaint_pending"] is True  # answered before rendering
    filing = await rendered(client, token, filing["id"])
    assert filing["complaint_pending"] is False
    return filing


def flat_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def stored_files(settings) -> list[Path]:
    root = Path(settings.upload_dir)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def test_a_new_filing_carries_its_complaint(client, db_rows, settings, two):
    alice, _bob, _clock = two
    filing = await submit_rendered(client, alice, evidence=EVIDENCE)
    complaint = filing["complaint"]
    assert complaint["filename"] == "起诉状.pdf" and complaint["size"] > 1000
    assert re.fullmatch(rf"/api/v1/documents/{complaint['document_id']}/download\?expires=\d+&sig=[0-9a-f]{{64}}",
                        complaint["download_url"])
    rows = await db_rows("SELECT kind, filename, content_type, description, generated, size FROM documents")
    assert rows == [("lead", "起诉状.pdf", "application/pdf", "起诉状（根据立案信息生成）", True, complaint["size"])]
    assert len(stored_files(settings)) == 1  # the placed file; no temp file left behind

    resp = await client.get(f"/api/v1/filings/{filing['id']}/complaint", headers=bearer(alice))
    assert resp.status == 200 and resp.headers["Content-Type"] == "application/pdf"
    assert QUOTED_NAME in resp.headers["Content-Disposition"]
    text = flat_text(await resp.read())
    for expected in ["民事起诉状", "原告：张三，女，1949年12月31日出生", "11010519491231002X", "13800138000",
                     "被告：北京某某科技有限公司", "法定代表人：李四", "1.判令被告归还借款5万元（50,000.00元）",
                     "诉讼标的额：50,000.00元", "约定半年归还，至今未还", "1.借条，来源：原告持有，证明目的：证明借款事实。",
                     "此致", "北京市朝阳区人民法院", "附：本起诉状副本1份", "起诉人（签名）：张三", "2026年3月1日"]:
        assert expected in text, expected

    again = await (await client.get(f"/api/v1/filings/{filing['id']}", headers=bearer(alice))).json()
    assert again["complaint"]["document_id"] == complaint["document_id"]


async def test_someone_elses_complaint_is_the_same_404_as_a_missing_one(client, two):
    alice, bob, _clock = two
    filing = await submit_rendered(client, alice)
    theirs = await client.get(f"/api/v1/filings/{filing['id']}/complaint", headers=bearer(bob))
    missing = await client.get("/api/v1/filings/LA20260301999999/complaint", headers=bearer(bob))
    assert theirs.status == missing.status == 404
    assert await theirs.json() == await missing.json()
    assert (await client.get(f"/api/v1/filings/{filing['id']}/complaint")).status == 401


async def test_the_signed_link_opens_without_a_token_until_it_expires(client, two):
    alice, _bob, clock = two
    filing = await submit_rendered(client, alice)
    url = filing["complaint"]["download_url"]
    with_token = await (await client.get(f"/api/v1/filings/{filing['id']}/complaint", headers=bearer(alice))).read()
    resp = await client.get(url)
    assert resp.status == 200 and resp.headers["Content-Type"] == "application/pdf"
    assert QUOTED_NAME in resp.headers["Content-Disposition"]
    assert await resp.read() == with_token

    clock.advance(days=6, hours=23)
    assert (await client.get(url)).status == 200
    clock.advance(hours=2)  # past 7 days (the expiry is rounded up to the hour at most)
    expired = await client.get(url)
    body = await expired.json()
    assert expired.status == 403 and body["error"] == "link_expired" and "过期" in body["message"]


async def test_a_tampered_link_is_refused(client, two):
    alice, _bob, _clock = two
    filing = await submit_rendered(client, alice)
    other = await submit_rendered(client, alice, conversation_id="c-2")
    url = filing["complaint"]["download_url"]
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    expires, sig = query["expires"], query["sig"]
    flipped = ("0" if sig[0] != "0" else "1") + sig[1:]
    bad_urls = [
        f"{parts.path}?expires={expires}&sig={flipped}",  # altered signature
        f"{parts.path}?expires={int(expires) + 86400}&sig={sig}",  # a longer life
        f"/api/v1/documents/{other['complaint']['document_id']}/download?expires={expires}&sig={sig}",  # another document
        f"{parts.path}?expires={expires}",  # no signature
        f"{parts.path}?expires=soon&sig={sig}",
        parts.path,
    ]
    for bad in bad_urls:
        resp = await client.get(bad)
        body = await resp.json()
        assert resp.status == 403 and body["error"] == "invalid_link" and "链接无效" in body["message"], bad


async def test_staff_see_the_complaint_among_the_documents_and_the_evidence(client, two):
    alice, _bob, _clock = two
    filing = await submit_rendered(client, alice, evidence=EVIDENCE)
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    listed = await (await client.get(f"/api/v1/filings/{filing['id']}/documents", headers=bearer(clerk))).json()
    assert [(d["kind"], d["kind_label"], d["filename"]) for d in listed["documents"]] == [("lead", "起诉状", "起诉状.pdf")]
    view = await (await client.get(f"/api/v1/staff/filings/{filing['id']}", headers=bearer(clerk))).json()
    assert view["filing"]["evidence"] == EVIDENCE
    assert "complaint" not in view["filing"]  # staff have the documents list
    got = await client.get(listed["documents"][0]["download_url"], headers=bearer(clerk))
    assert got.status == 200 and (await got.read()).startswith(b"%PDF-")


async def upload_lead(client, number: str, token: str, name: str = "签名版起诉状.pdf"):
    boundary = "----complaint-test"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nlead\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n").encode() + b"%PDF-1.4\n%%EOF\n" + f"\r\n--{boundary}--\r\n".encode()
    return await client.post(f"/api/v1/filings/{number}/documents", data=body,
                             headers={"Content-Type": f"multipart/form-data; boundary={boundary}", **bearer(token)})


async def test_the_litigants_own_complaint_replaces_the_generated_one(client, db_rows, two):
    alice, _bob, _clock = two
    filing, _clerk = await correction_requested(client, alice)
    generated = filing["complaint"]["document_id"]
    own = await upload_lead(client, filing["id"], alice)
    assert own.status == 201
    own_id = (await own.json())["id"]
    assert await db_rows("SELECT public_id, kind, generated FROM documents ORDER BY id") == [
        (generated, "superseded", True), (own_id, "lead", False)]
    again = await upload_lead(client, filing["id"], alice, "又一份.pdf")
    assert again.status == 409 and (await again.json())["error"] == "lead_exists"  # one of their own

    view = await (await client.get(f"/api/v1/filings/{filing['id']}", headers=bearer(alice))).json()
    assert view["complaint"] is None
    resp = await client.get(f"/api/v1/filings/{filing['id']}/complaint", headers=bearer(alice))
    assert resp.status == 404 and (await resp.json())["error"] == "no_complaint"
    # A resubmission then leaves their complaint as the lead: nothing is generated beside it.
    resp = await client.post(f"/api/v1/filings/{filing['id']}/resubmit", headers=bearer(alice),
                             json={"note": "改了事实", "facts": "新的事实与理由。"})
    assert resp.status == 200 and (await resp.json())["complaint"] is None
    assert not (await resp.json())["complaint_pending"]
    await render_pending(client.app)
    assert await db_rows("SELECT kind FROM documents ORDER BY id") == [("superseded",), ("lead",)]


async def correction_requested(client, alice) -> tuple[dict, str]:
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    filing = await submit_rendered(client, alice)
    assert (await review(client, clerk, filing["id"], decision="correct", items=["请写明被告的住所地"])).status == 200
    return filing, clerk


async def test_a_resubmission_regenerates_the_complaint(client, db_rows, settings, two):
    alice, _bob, clock = two
    filing, _clerk = await correction_requested(client, alice)
    first = filing["complaint"]["document_id"]
    clock.advance(hours=20)  # the next day in Beijing; the token (24 h) still valid
    parties = filing_body()["parties"]
    parties[1] = {"role": "defendant", "kind": "person", "name": "王小明", "id_number": "440524188001010014",
                  "address": "广东省揭阳市某路2号"}
    resp = await client.post(f"/api/v1/filings/{filing['id']}/resubmit", headers=bearer(alice), json={
        "note": "已写明被告住所地", "parties": parties, "evidence": EVIDENCE})
    assert resp.status == 200
    body = await resp.json()
    assert body["status"] == "pending_review" and body["evidence"] == EVIDENCE
    assert [p["name"] for p in body["parties"]] == ["张三", "王小明"] and body["parties"][1]["sex"] == "男"
    # Answered before rendering: the previous complaint until the new one is attached.
    assert body["complaint"]["document_id"] == first and body["complaint_pending"] is True
    body = await rendered(client, alice, filing["id"])
    second = body["complaint"]["document_id"]
    assert second != first and body["complaint_pending"] is False

    rows = await db_rows("SELECT public_id, kind, generated FROM documents ORDER BY id")
    assert rows == [(first, "superseded", True), (second, "lead", True)]
    assert len(stored_files(settings)) == 2
    text = flat_text(await (await client.get(f"/api/v1/filings/{filing['id']}/complaint", headers=bearer(alice))).read())
    assert "被告：王小明，男，1880年1月1日出生" in text and "住址：广东省揭阳市某路2号" in text
    assert "北京某某科技有限公司" not in text and "借条" in text and "2026年3月2日" in text

    clerk = await staff_token(client, "clerk2", "clerk", "京0105")  # a fresh one: staff tokens last 12 hours
    view = await (await client.get(f"/api/v1/staff/filings/{filing['id']}", headers=bearer(clerk))).json()
    resubmitted, generated = view["events"][-2:]
    assert resubmitted["action"] == "resubmitted" and resubmitted["detail"]["changed"] == ["parties", "evidence"]
    assert resubmitted["detail"]["complaint"] == "queued"
    assert generated["action"] == "complaint_generated"
    assert generated["detail"]["document"] == second and generated["detail"]["replaces"] == first
    kinds = [(d["kind"], d["kind_label"]) for d in (await (await client.get(
        f"/api/v1/filings/{filing['id']}/documents", headers=bearer(clerk))).json())["documents"]]
    assert kinds == [("superseded", "起诉状（已被替换）"), ("lead", "起诉状")]


async def test_a_resubmission_with_only_a_note_keeps_the_complaint(client, db_rows, two):
    alice, _bob, _clock = two
    filing, _clerk = await correction_requested(client, alice)
    resp = await client.post(f"/api/v1/filings/{filing['id']}/resubmit", json={"note": "已补充借条照片"},
                             headers=bearer(alice))
    assert resp.status == 200
    body = await resp.json()
    assert body["complaint"]["document_id"] == filing["complaint"]["document_id"] and not body["complaint_pending"]
    assert await db_rows("SELECT count(*) FROM complaint_renders WHERE status = 'pending'") == [(0,)]
    assert await db_rows("SELECT kind FROM documents") == [("lead",)]


async def test_without_a_font_the_filing_goes_on_without_its_complaint(client, db_rows, settings, two, caplog):
    alice, _bob, _clock = two
    client.app[SETTINGS].extra["pdf_fonts"] = [str(Path(settings.upload_dir) / "no-such-font.ttc")]
    with caplog.at_level(logging.WARNING):
        filing = await submit(client, alice)
    assert filing["complaint"] is None and filing["status"] == "pending_review"
    assert filing["complaint_pending"] is False  # nothing will come: the chat must not promise it
    assert "no CJK font" in caplog.text
    assert await db_rows("SELECT count(*) FROM complaint_renders") == [(0,)]
    assert await db_rows("SELECT count(*) FROM documents") == [(0,)]
    resp = await client.get(f"/api/v1/filings/{filing['id']}/complaint", headers=bearer(alice))
    assert resp.status == 404 and (await resp.json())["error"] == "no_complaint"


async def test_if_storing_the_complaint_fails_the_filing_stands_and_the_render_is_tried_again(
        client, db_rows, settings, two, monkeypatch):
    alice, _bob, clock = two

    def disk_full(_temp, _final):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(renders_module, "place", disk_full)
    filing = await submit(client, alice)
    assert await render_pending(client.app) == 0
    assert await db_rows("SELECT status, attempts FROM complaint_renders") == [("pending", 1)]
    assert await db_rows("SELECT status FROM filings") == [("pending_review",)]
    assert await db_rows("SELECT count(*) FROM documents") == [(0,)]
    assert stored_files(settings) == []  # the rendered temp file is gone too
    monkeypatch.undo()
    assert await render_pending(client.app) == 0  # waits before trying again
    clock.advance(minutes=1)
    again = await rendered(client, alice, filing["id"])
    assert again["complaint"]["filename"] == "起诉状.pdf" and not again["complaint_pending"]
    assert await db_rows("SELECT status, attempts FROM complaint_renders") == [("done", 2)]
    assert len(stored_files(settings)) == 1


async def test_if_writing_the_filing_fails_nothing_is_queued(client, db_rows, settings, two, monkeypatch):
    alice, _bob, _clock = two

    async def broken(*_args, **_kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(filings_module, "_insert_core", broken)
    monkeypatch.setattr(filings_module, "_insert_pg", broken)
    resp = await client.post("/api/v1/filings", json=filing_body(), headers=bearer(alice))
    assert resp.status == 500
    assert await db_rows("SELECT count(*) FROM filings") == [(0,)]
    assert await db_rows("SELECT count(*) FROM complaint_renders") == [(0,)]
    assert stored_files(settings) == []


async def test_a_failed_regeneration_keeps_the_previous_complaint(client, db_rows, settings, two, monkeypatch):
    alice, _bob, _clock = two
    filing, _clerk = await correction_requested(client, alice)

    def disk_full(_temp, _final):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(renders_module, "place", disk_full)
    resp = await client.post(f"/api/v1/filings/{filing['id']}/resubmit", headers=bearer(alice),
                             json={"note": "改了事实", "facts": "新的事实与理由。"})
    assert resp.status == 200
    body = await rendered(client, alice, filing["id"])
    assert body["status"] == "pending_review" and body["facts"] == "新的事实与理由。"
    assert body["complaint"]["document_id"] == filing["complaint"]["document_id"] and body["complaint_pending"]
    assert await db_rows("SELECT kind FROM documents") == [("lead",)]
    assert len(stored_files(settings)) == 1


async def test_a_render_superseded_by_a_resubmission_stores_nothing(client, db_rows, two):
    alice, _bob, _clock = two
    filing, clerk = await correction_requested(client, alice)
    for facts in ("第一次改的事实。", "第二次改的事实。"):
        resp = await client.post(f"/api/v1/filings/{filing['id']}/resubmit", headers=bearer(alice),
                                 json={"note": "改了事实", "facts": facts})
        assert resp.status == 200
        assert (await review(client, clerk, filing["id"], decision="correct", items=["再补充"])).status == 200
    assert await db_rows("SELECT status FROM complaint_renders ORDER BY id") == [
        ("done",), ("superseded",), ("pending",)]
    await render_pending(client.app)
    text = flat_text(await (await client.get(f"/api/v1/filings/{filing['id']}/complaint", headers=bearer(alice))).read())
    assert "第二次改的事实" in text
    assert await db_rows("SELECT kind FROM documents ORDER BY id") == [("superseded",), ("lead",)]
