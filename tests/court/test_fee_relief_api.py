"""司法救助 through the API (《诉讼费用交纳办法》第四十四条至第五十一条): applied for with the filing
(第四十八条), decided by the clerk before docketing (第四十九条), and the fee notice follows it."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from authflow import bearer, counts, filing_body, has_chinese, review, set_clock, staff_token, submit, verify_litigant

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc)
WAIVER = {"kind": "waiver", "ground": "subsistence_recipient", "reason": "本人是低保户，无其他收入"}
REDUCTION = {"kind": "reduction", "ground": "disaster_hardship"}


@pytest.fixture
async def parties(client, db_rows):
    set_clock(client, T0)
    return await verify_litigant(client, db_rows), await staff_token(client, "clerk1", "clerk", "京0105")


async def decide(client, clerk: str, number: str, **body):
    return await client.post(f"/api/v1/staff/filings/{number}/fee-relief", json=body, headers=bearer(clerk))


async def test_the_application_is_stored_with_what_to_bring_and_read_back(client, parties):
    litigant, _clerk = parties
    filing = await submit(client, litigant, fee_relief=WAIVER)
    relief = filing["fee_relief"]
    assert relief["kind_label"] == "免交" and relief["status"] == "applied" and relief["status_label"] == "待审查"
    assert relief["article"] == "《诉讼费用交纳办法》第四十五条第（三）项" and relief["decision"] is None
    assert any("经济困难" in m for m in relief["materials"])  # 第四十八条第二款: the local hardship standard
    again = await (await client.get(f"/api/v1/filings/{filing['id']}", headers=bearer(litigant))).json()
    assert again["fee_relief"] == relief
    plain = await submit(client, litigant)
    assert plain["fee_relief"] is None


async def test_docketing_waits_for_the_decision_and_a_waiver_means_no_deadline(client, db_rows, parties):
    litigant, clerk = parties
    filing = await submit(client, litigant, fee_relief=WAIVER)
    before = await counts(db_rows, "cases", "fee_notices")
    resp = await review(client, clerk, filing["id"], decision="accept")
    assert resp.status == 409 and (await resp.json())["error"] == "fee_relief_pending"
    assert await counts(db_rows, "cases", "fee_notices") == before

    resp = await decide(client, clerk, filing["id"], decision="approve")
    assert resp.status == 200, await resp.text()
    view = await resp.json()
    assert view["filing"]["fee_relief"]["status_label"] == "准予"
    assert view["events"][-1]["action"] == "fee_relief_decided"
    again = await decide(client, clerk, filing["id"], decision="refuse", reason="重复")
    assert again.status == 409 and (await again.json())["error"] == "fee_relief_decided"

    view = await (await review(client, clerk, filing["id"], decision="accept")).json()
    (notice,) = view["case"]["fee_notices"]
    assert notice["status"] == "relief" and notice["amount"] == "1050.00" and "准予免交" in notice["basis"]
    # served: still no 7-day deadline (never 按撤诉处理)
    served = await client.post(f"/api/v1/staff/cases/{view['case']['case_number']}/fee-notices/{notice['id']}/service",
                               json={"method": "mail", "served_at": "2026-03-01T10:00:00+08:00"}, headers=bearer(clerk))
    assert served.status == 200, await served.text()
    assert await db_rows("SELECT due_at, status FROM fee_notices") == [(None, "relief")]


async def test_partly_granted_is_a_reduction_and_the_notice_asks_for_the_rest(client, parties):
    litigant, clerk = parties
    filing = await submit(client, litigant, fee_relief=WAIVER)
    resp = await decide(client, clerk, filing["id"], decision="partly", reduction_percent="50", reason="准予减交一半")
    assert resp.status == 200, await resp.text()
    decision = (await resp.json())["filing"]["fee_relief"]["decision"]
    assert decision["kind"] == "reduction" and decision["reduction_percent"] == "50" and decision["granted"]
    view = await (await review(client, clerk, filing["id"], decision="accept")).json()
    (notice,) = view["case"]["fee_notices"]
    assert notice["status"] == "unpaid" and notice["amount"] == "525.00" and "减交" in notice["basis"]


async def test_a_refusal_states_its_reasons_and_the_full_fee_is_due(client, parties):
    litigant, clerk = parties
    filing = await submit(client, litigant, fee_relief=REDUCTION)
    resp = await decide(client, clerk, filing["id"], decision="refuse")
    assert resp.status == 422 and (await resp.json())["field"] == "reason"
    assert (await decide(client, clerk, filing["id"], decision="refuse", reason="未提交困难证明")).status == 200
    view = await (await review(client, clerk, filing["id"], decision="accept")).json()
    (notice,) = view["case"]["fee_notices"]
    assert notice["status"] == "unpaid" and notice["amount"] == "1050.00" and "未获批准" in notice["basis"]


@pytest.mark.parametrize("body, field", [
    ({"decision": "maybe"}, "decision"),
    ({"decision": "partly"}, "reduction_percent"),
    ({"decision": "partly", "reduction_percent": "20"}, "reduction_percent"),  # 第四十六条: ≥ 30 %
    ({"decision": "partly", "reduction_percent": "100"}, "reduction_percent"),
    ({"decision": "approve", "reduction_percent": 50.5}, "reduction_percent"),
])
async def test_bad_decisions_change_nothing(client, parties, body, field):
    litigant, clerk = parties
    filing = await submit(client, litigant, fee_relief=WAIVER)
    resp = await decide(client, clerk, filing["id"], **body)
    answer = await resp.json()
    assert resp.status == 422 and answer["field"] == field and has_chinese(answer["message"]), answer
    view = await (await client.get(f"/api/v1/staff/filings/{filing['id']}", headers=bearer(clerk))).json()
    assert view["filing"]["fee_relief"]["status"] == "applied"


async def test_no_application_a_litigant_or_another_court_cannot_decide(client, parties):
    litigant, clerk = parties
    plain = await submit(client, litigant)
    assert (await decide(client, clerk, plain["id"], decision="approve")).status == 409
    filing = await submit(client, litigant, fee_relief=WAIVER)
    assert (await decide(client, litigant, filing["id"], decision="approve")).status in (401, 403)
    other = await staff_token(client, "clerk2", "clerk", "京0101")
    assert (await decide(client, other, filing["id"], decision="approve")).status == 404


@pytest.mark.parametrize("relief, status, field", [
    ({"kind": "waiver", "ground": "nonsense"}, 422, "fee_relief.ground"),
    ({"kind": "gift", "ground": "subsistence_recipient"}, 422, "fee_relief.kind"),
    ({"kind": "reduction", "ground": "welfare_institution"}, 422, "fee_relief.ground"),  # organisations only
    ({"kind": "waiver", "ground": "subsistence_recipient", "proof": "x"}, 400, "fee_relief.proof"),
    ("免交", 400, "fee_relief"),
])
async def test_bad_applications_are_refused_with_the_article(client, db_rows, parties, relief, status, field):
    litigant, _clerk = parties
    resp = await client.post("/api/v1/filings", json=filing_body(fee_relief=relief), headers=bearer(litigant))
    answer = await resp.json()
    assert resp.status == status and answer["field"] == field and has_chinese(answer["message"]), answer
    assert await db_rows("SELECT count(*) FROM filings") == [(0,)]


async def test_an_organisation_cannot_ask_for_a_waiver(client, parties):
    litigant, _clerk = parties
    company = {"role": "plaintiff", "kind": "organisation", "name": "北京某某有限公司", "legal_representative": "王五",
               "phone": "13800138000"}
    body = filing_body(parties=[company, filing_body()["parties"][1]], fee_relief=WAIVER)
    resp = await client.post("/api/v1/filings", json=body, headers=bearer(litigant))
    answer = await resp.json()
    assert resp.status == 422 and "第四十四条第二款" in answer["message"]
