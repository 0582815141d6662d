"""The electronic case file (电子卷宗): filed as the case goes, read back page by page with pypdf.

A filing goes through 补正, resubmission, an evidence photo, docketing and the fee notice's
service; then the party copy (signed link) and the full file (staff) are checked page by page:
the catalogue lists the items with the pages they really take, every page carries
「卷宗第 N 页 共 M 页」, the photo became one page, and the party copy holds none of the
staff-only review records. Then who may read what, and two items arriving at once (PostgreSQL).
"""
from __future__ import annotations

import asyncio
import io
import re
from datetime import datetime, timezone
from urllib.parse import urlsplit

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import text

from authflow import BOB, bearer, has_chinese, review, set_clock, staff_token, submit, verify_litigant
from court.infra.app_keys import SESSIONMAKER
from court.infra.models import Filing
from court.jobs.complaint_renders import render_pending
from court.services.payments.dev import DevProvider
from court.services import case_file
from court.services.case_file import ItemSpec

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)  # Monday 10:00 in Beijing


def png(width: int = 400, height: int = 300) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def flat(s: str) -> str:
    return re.sub(r"\s+", "", s)


async def upload_photo(client, token: str, number: str) -> None:
    import aiohttp

    form = aiohttp.FormData()
    form.add_field("kind", "evidence")
    form.add_field("description", "借条照片")
    form.add_field("file", png(), filename="借条.png", content_type="image/png")
    resp = await client.post(f"/api/v1/filings/{number}/documents", data=form, headers=bearer(token))
    assert resp.status == 201, await resp.text()


@pytest.fixture
async def story(client, db_rows):
    """A filing asked to correct, resubmitted with a photo, docketed, its fee notice served by mail."""
    clock = set_clock(client, T0)
    litigant = await verify_litigant(client, db_rows)
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    number = (await submit(client, litigant))["id"]
    assert await render_pending(client.app) == 1  # the complaint worker's pass (off the request path)
    resp = await review(client, clerk, number, decision="correct", items=["补充借条照片"], reason="证据不足")
    assert resp.status == 200
    clock.advance(hours=1)
    await upload_photo(client, litigant, number)
    resp = await client.post(f"/api/v1/filings/{number}/resubmit", json={"note": "已补充借条照片"},
                             headers=bearer(litigant))
    assert resp.status == 200, await resp.text()
    clock.advance(hours=1)
    resp = await review(client, clerk, number, decision="accept")
    assert resp.status == 200
    case_number = (await resp.json())["case"]["case_number"]
    notice = (await db_rows("SELECT public_id FROM fee_notices"))[0][0]
    clock.advance(hours=1)
    resp = await client.post(f"/api/v1/staff/cases/{case_number}/fee-notices/{notice}/service",
                             json={"method": "mail", "served_at": clock.current.isoformat()},
                             headers=bearer(clerk))
    assert resp.status == 200, await resp.text()
    return {"litigant": litigant, "clerk": clerk, "number": number, "case_number": case_number, "clock": clock,
            "notice": notice}


async def test_items_are_filed_as_things_happen(client, db_rows, story):
    rows = await db_rows("SELECT seq, kind, title, staff_only FROM case_file_items ORDER BY seq")
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))  # consecutive from 1
    titles = [r[2] for r in rows]
    assert titles == ["民事起诉状", "补正通知书", "立案审查意见（补正）", "证据材料：借条照片", "补正申请（重新提交）",
                      "受理案件通知书", "立案审查意见（立案）", "交纳诉讼费用通知书", "送达回证（交纳诉讼费用通知书）"]
    assert [r[2] for r in rows if r[3]] == ["立案审查意见（补正）", "立案审查意见（立案）"]
    assert (await db_rows("SELECT last_seq FROM case_files"))[0][0] == len(rows)
    # Nothing rendered yet: pages come the first time the file is read.
    assert await db_rows("SELECT count(*) FROM case_file_items WHERE storage_path IS NOT NULL") == [(0,)]


async def test_the_payment_confirmation_is_filed_when_the_money_arrives(client, db_rows, settings, story):
    resp = await client.post("/api/v1/payments", json={"fee_notice_id": story["notice"]},
                             headers=bearer(story["litigant"]))
    assert resp.status == 201, await resp.text()
    order_no = (await resp.json())["order_no"]
    headers, raw = DevProvider(settings.payment_dev_secret).build_notification(
        order_no=order_no, amount_fen=105000, transaction_id="4200000000202603020001", now=story["clock"].current)
    resp = await client.post("/api/v1/payments/notify", data=raw,
                             headers={**headers, "Content-Type": "application/json"})
    assert resp.status == 200
    (last,) = await db_rows("SELECT seq, title, source, staff_only, body FROM case_file_items ORDER BY seq DESC LIMIT 1")
    assert last[:4] == (10, "缴费确认（收据）", "支付机构", False)
    assert "1,050.00元" in last[4] and order_no in last[4]


async def test_party_copy_page_by_page(client, db_rows, story):
    resp = await client.get(f"/api/v1/filings/{story['number']}/case-file", headers=bearer(story["litigant"]))
    assert resp.status == 200
    body = await resp.json()
    assert body["copy"] == "party" and body["case_number"] == story["case_number"]
    items = body["items"]
    assert [i["no"] for i in items] == list(range(1, 8))
    assert all("立案审查意见" not in i["title"] and "seq" not in i for i in items)
    link = urlsplit(body["download_url"])
    download = await client.get(f"{link.path}?{link.query}")
    assert download.status == 200 and download.headers["Content-Type"] == "application/pdf"
    data = await download.read()
    pages = pages_text(data)
    total = body["total_pages"]
    assert len(pages) == total
    for n, page in enumerate(pages, 1):
        assert f"卷宗第{n}页共{total}页" in flat(page), (n, page[:80])
    catalogue = flat(pages[0])
    assert "卷宗目录" in catalogue and story["case_number"] in catalogue
    assert items[0]["page_from"] == 2 and items[-1]["page_to"] == total
    for prev, item in zip(items, items[1:]):
        assert item["page_from"] == prev["page_to"] + 1
    for item in items:
        assert flat(item["title"]) in catalogue  # the catalogue lists it …
        first = flat(pages[item["page_from"] - 1])
        expected = "民事起诉状" if item["kind"] == "complaint" else flat(item["title"])
        assert expected in first, (item, first[:120])  # … and its first page is that item
        range_text = (str(item["page_from"]) if item["page_from"] == item["page_to"]
                      else f"{item['page_from']}-{item['page_to']}")
        assert f"{item['date']}{flat(item['source'])}{range_text}" in catalogue
    photo = next(i for i in items if i["kind"] == "evidence")
    assert photo["pages"] == 1
    assert len(PdfReader(io.BytesIO(data)).pages[photo["page_from"] - 1].images) == 1  # the image became a page
    everything = flat("".join(pages))
    assert "立案审查意见" not in everything and "staff:clerk1" not in everything
    assert "【受理案件通知书】" not in everything and "决定立案" in everything


async def test_full_file_has_the_staff_only_items_and_is_audited(client, db_rows, story):
    resp = await client.get(f"/api/v1/staff/filings/{story['number']}/case-file", headers=bearer(story["clerk"]))
    assert resp.status == 200
    body = await resp.json()
    assert body["copy"] == "full" and len(body["items"]) == 9
    assert [i["title"] for i in body["items"] if i["staff_only"]] == ["立案审查意见（补正）", "立案审查意见（立案）"]
    pdf = await client.get(body["download_url"], headers=bearer(story["clerk"]))
    assert pdf.status == 200
    pages = pages_text(await pdf.read())
    assert len(pages) == body["total_pages"]
    record = next(i for i in body["items"] if i["title"] == "立案审查意见（立案）")
    assert "staff:clerk1" in flat(pages[record["page_from"] - 1])
    assert await db_rows("SELECT action, subject FROM staff_audit") == [("case_file", story["number"])]
    admin = await staff_token(client, "admin1", "admin")
    (entry,) = (await (await client.get("/api/v1/staff/audit", headers=bearer(admin))).json())["entries"]
    assert entry["action_label"] == "下载完整电子卷宗（含完整身份证号）" and entry["staff"]["username"] == "clerk1"


async def test_appending_renders_only_the_new_item(client, db_rows, story):
    first = await client.get(f"/api/v1/filings/{story['number']}/case-file", headers=bearer(story["litigant"]))
    assert first.status == 200
    before = dict(await db_rows("SELECT seq, storage_path FROM case_file_items"))
    await upload_photo(client, story["litigant"], story["number"])
    second = await (await client.get(f"/api/v1/filings/{story['number']}/case-file",
                                     headers=bearer(story["litigant"]))).json()
    after = dict(await db_rows("SELECT seq, storage_path FROM case_file_items"))
    assert {k: after[k] for k in before} == before  # earlier items keep the file rendered once
    assert len(after) == len(before) + 1 and after[max(after)] is not None
    assert second["items"][-1]["title"] == "证据材料：借条照片" and second["items"][-1]["no"] == 8


async def test_someone_elses_file_and_bad_links(client, db_rows, story):
    other = await verify_litigant(client, db_rows, BOB)
    resp = await client.get(f"/api/v1/filings/{story['number']}/case-file", headers=bearer(other))
    assert resp.status == 404 and has_chinese((await resp.json())["message"])
    assert (await client.get(f"/api/v1/filings/{story['number']}/case-file")).status == 401
    body = await (await client.get(f"/api/v1/filings/{story['number']}/case-file",
                                   headers=bearer(story["litigant"]))).json()
    link = urlsplit(body["download_url"])
    forged = link.query.replace("sig=", "sig=0") [:-1]
    resp = await client.get(f"{link.path}?{forged}")
    assert resp.status == 403 and has_chinese((await resp.json())["message"])
    # A document link's signature does not open a case file (another purpose in the HMAC).
    from court.api.auth import server_secret
    from court.infra import signed_links
    doc_link = urlsplit(signed_links.download_path(server_secret(client.app), story["number"], T0))
    resp = await client.get(f"{link.path}?{doc_link.query}")
    assert resp.status == 403
    judge_elsewhere = await staff_token(client, "judge2", "judge", "京0101")
    resp = await client.get(f"/api/v1/staff/filings/{story['number']}/case-file", headers=bearer(judge_elsewhere))
    assert resp.status == 404 and has_chinese((await resp.json())["message"])
    resp = await client.get(f"/api/v1/staff/filings/{story['number']}/case-file.pdf", headers=bearer(story["litigant"]))
    assert resp.status == 401


@pytest.fixture
async def submitted(client, db_rows) -> int:
    """A filing just submitted (its complaint is item 1); its row id."""
    set_clock(client, T0)
    number = (await submit(client, await verify_litigant(client, db_rows)))["id"]
    assert await render_pending(client.app) == 1  # the complaint, rendered by the worker's pass
    return (await db_rows(f"SELECT id FROM filings WHERE number = '{number}'"))[0][0]


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
async def test_two_items_at_once_get_consecutive_numbers(client, db_rows, db_url, submitted):
    """Two transactions append to one filing at the same moment: one waits for the other's counter lock."""
    filing_id, maker = submitted, client.app[SESSIONMAKER]
    first_locked = asyncio.Event()

    async def add(name: str, hold: bool) -> list[int]:
        async with maker() as session:
            spec = ItemSpec(ref=f"test:{name}", kind="notice", title=name, source="本院", at=T0, body=name)
            added = await case_file.append(session, filing_id, [spec])
            if hold:
                first_locked.set()
                await asyncio.sleep(0.3)  # keep the lock while the other one tries
            await session.commit()
            return [i.seq for i in added]

    async def second() -> list[int]:
        await first_locked.wait()
        return await add("second", hold=False)

    a, b = await asyncio.gather(add("first", hold=True), second())
    assert a == [2] and b == [3]  # item 1 is the complaint
    rows = await db_rows(f"SELECT seq, title FROM case_file_items WHERE filing_id = {filing_id} ORDER BY seq")
    assert [r[0] for r in rows] == [1, 2, 3] and [r[1] for r in rows][1:] == ["first", "second"]
    async with maker() as session:
        filing = await session.get(Filing, filing_id)
        assert filing is not None
        await case_file.sync(session, filing_id)  # re-filing changes nothing
        await session.commit()
        items = await case_file.items_of(session, filing_id, case_file.PARTY)
    assert [r["no"] for r in case_file.catalogue(items)] == [1, 2, 3]
    assert (await db_rows(f"SELECT last_seq FROM case_files WHERE filing_id = {filing_id}"))[0][0] == 3


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
async def test_concurrent_appends_without_ordering(client, db_rows, db_url, submitted):
    """Many appends racing freely: distinct, consecutive numbers, and the counter agrees."""
    filing_id, maker = submitted, client.app[SESSIONMAKER]

    async def add(i: int) -> None:
        async with maker() as session:
            await case_file.append(session, filing_id, [ItemSpec(ref=f"race:{i}", kind="notice", title=f"t{i}",
                                                                 source="本院", at=T0, body="x")])
            await session.commit()

    await asyncio.gather(*(add(i) for i in range(8)))
    seqs = [r[0] for r in await db_rows(f"SELECT seq FROM case_file_items WHERE filing_id = {filing_id} ORDER BY seq")]
    assert seqs == list(range(1, 10))
    async with maker() as session:
        assert (await session.execute(text(f"SELECT last_seq FROM case_files WHERE filing_id = {filing_id}"))).scalar() == 9


def test_files_that_cannot_become_pages_get_one_page_saying_so():
    """A Word file or a broken PDF is not dropped: one page names it and where the original is."""
    from court.infra.models import CaseFileItem, Document
    from court.services import case_file_pdf
    from court.services.complaint import DEFAULT_FONTS, find_font

    font = find_font(DEFAULT_FONTS)
    assert font is not None, "make pdf-font"
    item = CaseFileItem(ref="document:x", kind="evidence", title="证据材料：劳动合同", source="当事人", at=T0)
    docx = Document(public_id="x", filename="劳动合同.docx", sha256="ab" * 32,
                    content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    broken = Document(public_id="y", filename="扫描件.pdf", sha256="cd" * 32, content_type="application/pdf")
    for doc, data in ((docx, b"PK\x03\x04..."), (broken, b"%PDF-1.7 not really")):
        pdf = case_file_pdf.render_item(item, doc, data, font)
        (page,) = pages_text(pdf)
        assert "证据材料：劳动合同" in flat(page) and flat(doc.filename) in flat(page) and "材料列表" in flat(page)
    real = case_file_pdf.render_text(item, font)
    assert case_file_pdf.render_item(item, broken, real, font) == real  # a readable PDF is kept as it is
