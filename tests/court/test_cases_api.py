"""GET /api/v1/cases[/{case_number}] and GET /api/v1/staff/cases/{case_number}: any spelling, masked, private."""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import quote

import pytest

from authflow import BOB, CAROL, bearer, has_chinese, review, set_clock, staff_token, submit, verify_litigant

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc)
NUMBER = "（2026）京0105民初1号"


@pytest.fixture
async def docketed(client, db_rows):
    """Alice files against Carol (a person), a clerk asks for a correction, Alice corrects, the clerk dockets."""
    set_clock(client, T0)
    alice = await verify_litigant(client, db_rows)
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    parties = [
        {"role": "plaintiff", "kind": "person", "name": "张三", "id_number": "11010519491231002X", "phone": "13800138000"},
        {"role": "defendant", "kind": "person", "name": CAROL["name"], "id_number": CAROL["id_number"],
         "phone": CAROL["phone"], "address": "北京市朝阳区某街1号"},
    ]
    filing = await submit(client, alice, parties=parties)
    assert (await review(client, clerk, filing["id"], decision="correct", items=["补充借条照片"])).status == 200
    resub = await client.post(f"/api/v1/filings/{filing['id']}/resubmit", json={"note": "已补充"}, headers=bearer(alice))
    assert resub.status == 200
    assert (await review(client, clerk, filing["id"], decision="accept")).status == 200
    return {"alice": alice, "clerk": clerk, "filing": filing}


@pytest.mark.parametrize("spelling", [
    NUMBER, "(2026)京0105民初1号", "2026京0105民初1", "（２０２６）京0105民初第1号", " (2026) 京0105 民初 1 号 ",
])
async def test_the_case_by_any_spelling(client, docketed, spelling):
    resp = await client.get(f"/api/v1/cases/{quote(spelling)}", headers=bearer(docketed["alice"]))
    assert resp.status == 200, await resp.text()
    assert (await resp.json())["case_number"] == NUMBER


async def test_the_case_view(client, docketed):
    body = await (await client.get(f"/api/v1/cases/{quote(NUMBER)}", headers=bearer(docketed["alice"]))).json()
    assert body["status"] == "docketed" and body["status_label"] == "已立案"
    assert body["court"] == {"code": "京0105", "name": "北京市朝阳区人民法院"}
    assert body["filing_id"] == docketed["filing"]["id"] and body["amount"] == "50000.00"
    plaintiff, defendant = body["parties"]
    assert plaintiff["id_number_masked"] == "110***********002X" and plaintiff["phone_masked"] == "138****8000"
    assert defendant["phone_masked"] == "137****7000"
    assert CAROL["id_number"] not in str(body) and "13800138000" not in str(body)
    (notice,) = body["fee_notices"]
    assert notice["amount"] == "1050.00" and notice["status_label"] == "待交费"
    actions = [e["action"] for e in body["timeline"]]
    assert actions == ["submitted", "correction_requested", "resubmitted", "docketed", "fee_notice_issued"]
    assert [e["actor"] for e in body["timeline"]] == ["您", "法院", "您", "法院", "法院"]
    assert all(has_chinese(e["description"]) for e in body["timeline"])
    assert "补充借条照片" in body["timeline"][1]["description"]
    assert NUMBER in body["timeline"][3]["description"]
    # Not served yet: the 7 days of 办法第二十二条 have not started, and the litigant is told so.
    assert "自收到通知次日起七日内" in body["timeline"][4]["description"] and notice["due_at"] is None
    assert "clerk1" not in str(body)  # staff names stay inside the court


async def test_other_litigants_get_the_same_404_as_an_unknown_number(client, db_rows, docketed):
    bob = await verify_litigant(client, db_rows, BOB)
    theirs = await client.get(f"/api/v1/cases/{quote(NUMBER)}", headers=bearer(bob))
    unknown = await client.get(f"/api/v1/cases/{quote('（2026）京0105民初99号')}", headers=bearer(bob))
    assert theirs.status == unknown.status == 404
    assert await theirs.json() == await unknown.json()
    assert (await (await client.get("/api/v1/cases", headers=bearer(bob))).json()) == {"cases": []}


async def test_a_party_who_verified_sees_the_case_too(client, db_rows, docketed):
    carol = await verify_litigant(client, db_rows, CAROL)
    resp = await client.get(f"/api/v1/cases/{quote(NUMBER)}", headers=bearer(carol))
    assert resp.status == 200
    body = await resp.json()
    assert [e["actor"] for e in body["timeline"]][:1] == ["当事人"]
    listed = await (await client.get("/api/v1/cases", headers=bearer(carol))).json()
    assert [c["case_number"] for c in listed["cases"]] == [NUMBER]
    # …but the filing itself (not yet a case) stays the filer's.
    assert (await client.get(f"/api/v1/filings/{docketed['filing']['id']}", headers=bearer(carol))).status == 404


async def test_list_of_cases(client, docketed):
    body = await (await client.get("/api/v1/cases", headers=bearer(docketed["alice"]))).json()
    assert [c["case_number"] for c in body["cases"]] == [NUMBER]
    assert body["cases"][0]["amount"] == "50000.00"


@pytest.mark.parametrize("text, code", [
    ("京0105民初1号", "case_number_year_missing"),
    ("（2026）京0105民初", "case_number_seq_missing"),
    ("（2013）杭下商初字第383号", "case_number_old_format"),
])
async def test_not_a_case_number_says_what_was_not_understood(client, docketed, text, code):
    resp = await client.get(f"/api/v1/cases/{quote(text)}", headers=bearer(docketed["alice"]))
    assert resp.status == 422
    body = await resp.json()
    assert body["error"] == code and body["field"] == "case_number" and has_chinese(body["message"])


async def test_cases_need_a_litigant_token(client, docketed):
    assert (await client.get(f"/api/v1/cases/{quote(NUMBER)}")).status == 401
    assert (await client.get("/api/v1/cases")).status == 401
    assert (await client.get(f"/api/v1/cases/{quote(NUMBER)}", headers=bearer(docketed["clerk"]))).status == 401


async def test_staff_read_the_full_case(client, docketed):
    resp = await client.get(f"/api/v1/staff/cases/{quote('(2026)京0105民初1号')}", headers=bearer(docketed["clerk"]))
    assert resp.status == 200
    body = await resp.json()
    assert body["case_number"] == NUMBER
    assert body["filing"]["parties"][1]["id_number"] == CAROL["id_number"]  # unmasked for staff
    assert body["events"][1]["actor"] == "staff:clerk1" and body["events"][1]["detail"] == {
        "items": ["补充借条照片"], "reason": None, "days": 15, "correction_due": "2026-03-16T16:00:00+00:00",
        "explanation": "期限自2026年3月2日起算，至2026年3月16日24时届满。依据：《最高人民法院关于人民法院登记立案若干问题的规定》"
                       "第七条第一款、《中华人民共和国民事诉讼法》第八十五条。"}  # 登记立案规定第七条: the 指定期限
    assert [n["amount"] for n in body["fee_notices"]] == ["1050.00"]

    admin = await staff_token(client, "admin1", "admin")
    assert (await client.get(f"/api/v1/staff/cases/{quote(NUMBER)}", headers=bearer(admin))).status == 200
    other = await staff_token(client, "clerk8", "clerk", "京0108")
    resp = await client.get(f"/api/v1/staff/cases/{quote(NUMBER)}", headers=bearer(other))
    assert resp.status == 404
    assert (await client.get(f"/api/v1/staff/cases/{quote(NUMBER)}", headers=bearer(docketed["alice"]))).status == 401
    missing = await client.get(f"/api/v1/staff/cases/{quote('（2026）京0105民初2号')}", headers=bearer(admin))
    assert missing.status == 404
    bad = await client.get(f"/api/v1/staff/cases/{quote('不是案号')}", headers=bearer(admin))
    assert bad.status == 422
