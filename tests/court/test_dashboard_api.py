"""The dashboard's figures on a hand-made month (tests/court/dashboard_seed.py), worked out by hand,
on SQLite and PostgreSQL: per court scope, per role, and the CSV export."""
from __future__ import annotations

import csv
import io

import pytest

from authflow import bearer, set_clock, staff_token
from dashboard_seed import A, B, MARCH, NAMES, NOW, seed_month


@pytest.fixture
async def month(client):
    set_clock(client, NOW)
    await seed_month(client.app)
    return client


async def _get(client, token: str, query: str = MARCH) -> dict:
    resp = await client.get(f"/api/v1/staff/dashboard{query}", headers=bearer(token))
    assert resp.status == 200, await resp.text()
    return await resp.json()


async def test_an_administrator_sees_every_court(month) -> None:
    data = await _get(month, await staff_token(month, "admin1", "admin"))
    assert data["period"] == {"date_from": "2026-03-01", "date_to": "2026-03-31"} and data["court_code"] is None
    assert data["filings"] == {"total": 4, "by_day": [
        {"date": "2026-03-02", "court_code": A, "court_name": NAMES[A], "case_type": "买卖合同纠纷", "count": 1},
        {"date": "2026-03-02", "court_code": A, "court_name": NAMES[A], "case_type": "民间借贷纠纷", "count": 1},
        {"date": "2026-03-02", "court_code": B, "court_name": NAMES[B], "case_type": "民间借贷纠纷", "count": 1},
        # 17:30 UTC on 2 March is 01:30 on 3 March in Beijing
        {"date": "2026-03-03", "court_code": A, "court_name": NAMES[A], "case_type": "民间借贷纠纷", "count": 1},
    ]}
    assert data["decision_time"] == {"rule_days": 7, "decided": 3, "on_time": 2, "late": 1, "on_time_rate": 0.6667,
                                     "average_days_to_first_decision": 4.0, "pending_past_due": 1}
    assert data["review"] == {
        "decisions": 4, "docketed": 2, "corrections": 1, "rejections": 1, "correction_rate": 0.25, "rejection_rate": 0.25,
        "top_correction_items": [{"reason": "身份证明", "count": 1}, {"reason": "证据清单", "count": 1}],
        "top_rejection_reasons": [{"reason": "不属于本院管辖", "count": 1}]}
    assert data["fees"] == {"noticed": 4, "noticed_amount": "2525.50", "paid": 1, "paid_amount": "2300.00",
                            "overdue": 2, "overdue_amount": "150.00", "relief": 0, "paid_rate": 0.25}
    assert data["funnel"] == {"started": 7, "verified": 4, "submitted": 3, "left_at": [
        {"slot": "identity_phone", "label": "实名认证：手机号", "count": 2},
        {"slot": None, "label": "（未进入填写环节）", "count": 1},
        {"slot": "facts", "label": "事实与理由", "count": 1}]}
    assert data["tickets"] == {"opened": 3, "answered": 2, "open": 1, "average_hours_to_answer": 17.0,
                               "answered_within_24h": 1}


async def test_a_clerk_bound_to_a_court_sees_that_court_only_whatever_is_asked(month) -> None:
    token = await staff_token(month, "clerk1", "clerk", A)
    data = await _get(month, token, MARCH + f"&court={B}")
    assert data["court_code"] == A
    assert data["filings"]["total"] == 3 and {r["court_code"] for r in data["filings"]["by_day"]} == {A}
    assert data["decision_time"] == {"rule_days": 7, "decided": 2, "on_time": 1, "late": 1, "on_time_rate": 0.5,
                                     "average_days_to_first_decision": 5.0, "pending_past_due": 1}
    assert (data["review"]["decisions"], data["review"]["correction_rate"], data["review"]["rejection_rate"]) == (3, 0.3333, 0.3333)
    assert data["fees"] == {"noticed": 2, "noticed_amount": "2350.00", "paid": 1, "paid_amount": "2300.00",
                            "overdue": 1, "overdue_amount": "50.00", "relief": 0, "paid_rate": 0.5}
    assert (data["funnel"]["started"], data["funnel"]["verified"], data["funnel"]["submitted"]) == (6, 3, 2)
    assert data["tickets"] == {"opened": 2, "answered": 2, "open": 0, "average_hours_to_answer": 17.0,
                               "answered_within_24h": 1}


async def test_an_administrator_may_narrow_to_one_court(month) -> None:
    data = await _get(month, await staff_token(month, "admin1", "admin"), MARCH + f"&court={B}")
    assert data["court_code"] == B and data["filings"]["total"] == 1
    assert data["fees"]["noticed"] == 2 and data["fees"]["overdue_amount"] == "100.00"
    assert data["tickets"]["opened"] == 2  # the litigant with no filing, and the one whose filing is at B


async def test_without_dates_the_last_thirty_days(month) -> None:
    data = await _get(month, await staff_token(month, "judge1", "judge"), "")
    assert data["period"] == {"date_from": "2026-02-19", "date_to": "2026-03-20"}
    assert data["filings"]["total"] == 4 and data["fees"]["noticed"] == 4


async def test_bad_queries_and_strangers_are_refused(month) -> None:
    token = await staff_token(month, "admin1", "admin")
    resp = await month.get("/api/v1/staff/dashboard?date_from=2026-03-10&date_to=2026-03-01", headers=bearer(token))
    assert resp.status == 400 and (await resp.json())["field"] == "date_from"
    resp = await month.get("/api/v1/staff/dashboard?court=火星", headers=bearer(token))
    assert resp.status == 400 and (await resp.json())["field"] == "court"
    for path in ("/api/v1/staff/dashboard", "/api/v1/staff/dashboard.csv"):
        assert (await month.get(path)).status == 401


async def test_the_csv_has_a_chinese_header_and_the_same_figures(month) -> None:
    token = await staff_token(month, "admin1", "admin")
    resp = await month.get(f"/api/v1/staff/dashboard.csv{MARCH}", headers=bearer(token))
    assert resp.status == 200 and resp.content_type == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    raw = await resp.read()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["板块", "指标", "日期", "法院", "案件类型", "数值"]
    assert ["立案申请", "每日立案申请数", "2026-03-03", NAMES[A], "民间借贷纠纷", "1"] in rows
    assert sum(int(r[5]) for r in rows if r[1] == "每日立案申请数") == 4
    assert ["诉讼费", "通知金额（元）", "", "", "", "2525.50"] in rows
    assert ["审查用时", "按期率", "", "", "", "0.6667"] in rows
    assert ["对话漏斗", "未提交，停在：实名认证：手机号", "", "", "", "2"] in rows
    assert ["补正与不予立案", "不予立案理由：不属于本院管辖", "", "", "", "1"] in rows


async def test_the_funnel_learns_who_passed_identity_from_the_ingested_events(client) -> None:
    """turns.py stamps verified_at when the litigant_token slot is set (the token itself is never stored)."""
    from court.infra.app_keys import SESSIONMAKER
    from court.infra.models import TranscriptConversation
    from court.services.turns import ingest_events

    ts = NOW.timestamp()
    events = [("v1", {"event": "user", "text": "我要立案", "timestamp": ts, "parse_data": {"intent": {"name": "file_case", "confidence": 0.9}}}),
              ("v1", {"event": "slot", "name": "litigant_token", "value": None, "timestamp": ts + 1}),
              ("v1", {"event": "slot", "name": "litigant_token", "value": "secret-token", "timestamp": ts + 60}),
              ("v1", {"event": "slot", "name": "litigant_token", "value": "another", "timestamp": ts + 120}),
              ("v2", {"event": "user", "text": "你好", "timestamp": ts, "parse_data": {"intent": {"name": "greet", "confidence": 0.9}}})]
    async with client.app[SESSIONMAKER]() as session:
        await ingest_events(session, events)
        await session.commit()
        v1, v2 = (await session.get(TranscriptConversation, "v1")), (await session.get(TranscriptConversation, "v2"))
        assert v1.verified_at.timestamp() == ts + 60 and v2.verified_at is None
