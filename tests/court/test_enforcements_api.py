"""/api/v1/enforcements and the staff side: the checks before an application is stored, 执 numbers,
the steps delivered into the applicant's conversation, and nobody else's case reachable."""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import quote

import pytest

from authflow import BOB, CAROL, bearer, counts, has_chinese, review, set_clock, staff_token, submit, verify_litigant
from court.jobs.conversations import deliver_pending

T0 = datetime(2026, 4, 1, 2, 0, tzinfo=timezone.utc)
BASIS = "（2026）京0105民初1号"
CONV = "e" * 32
URL = "/api/v1/enforcements"


def application(**changes) -> dict:
    body = {
        "basis_kind": "judgment", "basis_number": "(2026)京0105民初1号",
        "respondent": {"name": CAROL["name"], "kind": "person", "id_number": CAROL["id_number"]},
        "amount": "50000", "property_leads": [{"kind": "bank", "detail": "工商银行朝阳支行账户"},
                                              {"kind": "vehicle", "detail": "京A12345小型轿车"}],
        "performance_last_day": "2026-03-20", "interrupted": False, "court_code": "京0105",
    }
    body.update(changes)
    return body


@pytest.fixture
async def judged(client, db_rows):
    """Alice sued Carol and the clerk docketed it (the clock stands still: tokens do not expire)."""
    clock = set_clock(client, T0)
    alice = await verify_litigant(client, db_rows, conversation=CONV, channel="rest")
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    parties = [
        {"role": "plaintiff", "kind": "person", "name": "张三", "id_number": "11010519491231002X", "phone": "13800138000"},
        {"role": "defendant", "kind": "person", "name": CAROL["name"], "id_number": CAROL["id_number"]},
    ]
    filing = await submit(client, alice, parties=parties)
    assert (await review(client, clerk, filing["id"], decision="accept")).status == 200
    return {"alice": alice, "clerk": clerk, "clock": clock}


async def mark_effective(client, clerk: str, **body) -> None:
    resp = await client.post(f"/api/v1/staff/cases/{quote(BASIS)}/effective", headers=bearer(clerk),
                             json={"effective_on": "2026-03-10", "performance_last_day": "2026-03-20", **body})
    assert resp.status == 200, await resp.text()


async def apply(client, token: str, key: str | None = None, **changes):
    headers = bearer(token) | ({"Idempotency-Key": key} if key else {})
    return await client.post(URL, json=application(**changes), headers=headers)


async def test_apply_docket_follow_and_receive_each_step(client, db_rows, judged, rasa):
    alice, clerk = judged["alice"], judged["clerk"]
    await mark_effective(client, clerk)
    resp = await apply(client, alice, key="k1")
    assert resp.status == 201, await resp.text()
    body = await resp.json()
    assert body["status"] == "pending" and body["basis"]["confirmed"] and body["basis"]["case_number"] == BASIS
    assert body["fee"] == {"amount": "650.00", "prepaid": False, "text": body["fee"]["text"]}
    assert "执行后交纳" in body["fee"]["text"]
    assert body["period_last_day"] == "2028-03-20" and body["applicant"]["id_number"] == "110***********002X"
    assert CAROL["id_number"] not in str(body)
    again = await apply(client, alice, key="k1")
    assert again.status == 201 and (await again.json())["number"] == body["number"]
    assert (await apply(client, alice, key="k1", amount="60000")).status == 409
    assert (await counts(db_rows, "enforcements"))["enforcements"] == 1

    queue = await (await client.get("/api/v1/staff/enforcements?status=pending", headers=bearer(clerk))).json()
    assert [e["number"] for e in queue["enforcements"]] == [body["number"]]
    assert queue["enforcements"][0]["applicant"]["id_number"] == "110***********002X"  # the queue masks
    full = await (await client.get(f"/api/v1/staff/enforcements/{body['number']}", headers=bearer(clerk))).json()
    assert full["applicant"]["id_number"] == "11010519491231002X"  # the full view does not, and is audited
    assert await db_rows("SELECT action, subject FROM staff_audit") == [("enforcement", body["number"])]
    decided = await client.post(f"/api/v1/staff/enforcements/{body['number']}/review", headers=bearer(clerk),
                                json={"decision": "accept"})
    assert decided.status == 200, await decided.text()
    case = await decided.json()
    assert case["case_number"] == "（2026）京0105执1号" and case["status"] == "docketed"
    assert [s["label"] for s in case["steps"]] == ["立案"]
    again = await client.post(f"/api/v1/staff/enforcements/{body['number']}/review", headers=bearer(clerk),
                              json={"decision": "accept"})
    assert again.status == 409
    step = await client.post(f"/api/v1/staff/enforcements/{quote('(2026)京0105执1号')}/steps", headers=bearer(clerk),
                             json={"step": "online_search", "note": "冻结工商银行存款3万元"})
    assert step.status == 200, await step.text()

    assert await deliver_pending(client.app) == 2
    said = [c["body"][0]["text"] for c in rasa.calls if c["conversation"] == CONV]
    enforcement_said = [t for t in said if "执" in t[:8]]
    assert enforcement_said[0].startswith("【执行立案通知】") and "（2026）京0105执1号" in enforcement_said[0]
    assert "执行后交纳" in enforcement_said[0]
    assert enforcement_said[1].startswith("【执行进展】") and "网络查控" in enforcement_said[1]
    assert "冻结工商银行存款3万元" in enforcement_said[1]

    mine = await client.get(f"{URL}/{quote('2026京0105执1')}", headers=bearer(alice))
    assert mine.status == 200
    assert [s["step"] for s in (await mine.json())["steps"]] == ["docketed", "online_search"]
    listed = await (await client.get(URL, headers=bearer(alice))).json()
    assert [e["case_number"] for e in listed["enforcements"]] == ["（2026）京0105执1号"]


async def test_another_litigant_learns_nothing(client, db_rows, judged):
    await mark_effective(client, judged["clerk"])
    number = (await (await apply(client, judged["alice"])).json())["number"]
    await client.post(f"/api/v1/staff/enforcements/{number}/review", headers=bearer(judged["clerk"]),
                      json={"decision": "accept"})
    bob = await verify_litigant(client, db_rows, BOB)
    unknown = await client.get(f"{URL}/{quote('(2026)京0105执99号')}", headers=bearer(bob))
    for ref in (number, quote("(2026)京0105执1号")):
        resp = await client.get(f"{URL}/{ref}", headers=bearer(bob))
        assert resp.status == 404 and await resp.json() == await unknown.json()
    assert has_chinese((await unknown.json())["message"])
    assert (await (await client.get(URL, headers=bearer(bob))).json()) == {"enforcements": []}
    other_clerk = await staff_token(client, "clerk2", "clerk", "京0108")
    assert (await client.get(f"/api/v1/staff/enforcements/{number}", headers=bearer(other_clerk))).status == 404


@pytest.mark.parametrize("changes, code", [
    ({"basis_number": None, "basis_document": None}, "missing_field"),
    ({"amount": None}, "missing_field"),
    ({"interrupted": None}, "missing_field"),
    ({"interrupted": True}, "missing_field"),
    ({"performance_last_day": "2026-13-01"}, "invalid_date"),
    ({"basis_number": "(2026)京0105执3号"}, "basis_is_enforcement"),
    ({"court_code": "京0108"}, "court_not_competent"),
    ({"court_code": "京9999"}, "court_unknown"),
    ({"property_leads": [{"kind": "gold", "detail": "x"}]}, "invalid_choice"),
    ({"basis_number": "(2026)京0108民初7号", "performance_last_day": "2023-01-05", "court_code": "京0108"},
     "period_expired"),
    ({"basis_number": "(2026)京0108民初7号", "performance_last_day": "2026-05-05", "court_code": "京0108"},
     "performance_not_due"),
])
async def test_a_refused_application_says_why_and_stores_nothing(client, db_rows, judged, changes, code):
    await mark_effective(client, judged["clerk"])
    body = application(**changes)
    body = {k: v for k, v in body.items() if v is not None}
    resp = await client.post(URL, json=body, headers=bearer(judged["alice"]))
    assert resp.status == 422, await resp.text()
    answer = await resp.json()
    assert answer["error"] == code and has_chinese(answer["message"])
    assert (await counts(db_rows, "enforcements"))["enforcements"] == 0


async def test_the_basis_must_be_effective_and_the_applicant_a_party(client, db_rows, judged):
    resp = await apply(client, judged["alice"])
    assert resp.status == 422 and (await resp.json())["error"] == "basis_not_effective"
    await mark_effective(client, judged["clerk"])
    bob = await verify_litigant(client, db_rows, BOB)
    resp = await apply(client, bob)
    assert resp.status == 422 and (await resp.json())["error"] == "not_a_party"
    assert (await counts(db_rows, "enforcements"))["enforcements"] == 0


async def test_an_interruption_the_applicant_states_restarts_the_period(client, db_rows, judged):
    other = {"basis_number": "(2026)京0108民初7号", "performance_last_day": "2023-01-05", "court_code": "京0108"}
    resp = await apply(client, judged["alice"], interrupted=True, interrupted_on="2025-02-10", **other)
    assert resp.status == 201, await resp.text()
    body = await resp.json()
    assert body["basis"]["confirmed"] is False and body["interrupted_on"] == "2025-02-10"
    assert body["period_last_day"] == "2027-02-10"


async def test_a_refusal_reaches_the_applicant(client, db_rows, judged, rasa):
    await mark_effective(client, judged["clerk"])
    number = (await (await apply(client, judged["alice"])).json())["number"]
    no_reason = await client.post(f"/api/v1/staff/enforcements/{number}/review", headers=bearer(judged["clerk"]),
                                  json={"decision": "reject"})
    assert no_reason.status == 422
    resp = await client.post(f"/api/v1/staff/enforcements/{number}/review", headers=bearer(judged["clerk"]),
                             json={"decision": "reject", "reason": "被执行人已全部履行"})
    assert resp.status == 200 and (await resp.json())["status"] == "rejected"
    step = await client.post(f"/api/v1/staff/enforcements/{number}/steps", headers=bearer(judged["clerk"]),
                             json={"step": "payout"})
    assert step.status == 409
    await deliver_pending(client.app)
    said = [c["body"][0]["text"] for c in rasa.calls if c["conversation"] == CONV]
    assert any(t.startswith("【执行申请审查结果】") and "被执行人已全部履行" in t for t in said)
