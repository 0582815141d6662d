"""Handoff tickets: the litigant (through the action server) opens one, staff answer, the answer is
delivered into the conversation through Rasa's HTTP API (a recording fake here)."""
from __future__ import annotations


import pytest
from sqlalchemy import update

from authflow import ALICE, BOB, bearer, staff_token, verify_litigant
from court.infra.app_keys import SESSIONMAKER
from court.infra.models import Delivery
from court.jobs.conversations import deliver_pending as send_pending

QUESTION = f"我的身份证号是{ALICE['id_number']}，请问立案后多久能开庭？电话13800138000"


async def open_ticket(client, token: str, **changes) -> dict:
    body = {"conversation_id": "conv-1", "channel": "socketio", "question": QUESTION, **changes}
    resp = await client.post("/api/v1/tickets", json=body, headers=bearer(token))
    assert resp.status == 201, await resp.text()
    return await resp.json()


async def test_litigant_opens_a_ticket(client, db_rows):
    litigant = await verify_litigant(client, db_rows, conversation="conv-1", channel="socketio")
    ticket = await open_ticket(client, litigant)
    assert ticket["id"].startswith("RG") and ticket["status"] == "open" and ticket["status_label"] == "待答复"
    assert ticket["answer"] is None and ticket["conversation_id"] == "conv-1" and ticket["channel"] == "socketio"
    assert await db_rows("SELECT conversation_id, channel, status FROM tickets") == [("conv-1", "socketio", "open")]


@pytest.mark.parametrize("body, status, field", [
    ({"conversation_id": "c", "question": " "}, 422, "question"),
    ({"conversation_id": "c", "question": 5}, 422, "question"),
    ({"conversation_id": "c" * 129, "question": "请问"}, 422, "conversation_id"),
    ({"conversation_id": "c", "question": "请问", "priority": 1}, 400, "priority"),
])
async def test_a_ticket_needs_its_fields(client, db_rows, body, status, field):
    litigant = await verify_litigant(client, db_rows)
    resp = await client.post("/api/v1/tickets", json=body, headers=bearer(litigant))
    assert resp.status == status
    assert (await resp.json())["field"] == field


async def test_only_a_verified_litigant_opens_a_ticket(client):
    clerk = await staff_token(client, "clerk1", "clerk")
    for headers in ({}, bearer(clerk)):
        resp = await client.post("/api/v1/tickets", json={"conversation_id": "c", "question": "请问"}, headers=headers)
        assert resp.status == 401


async def test_staff_see_the_queue_numbers_masked_for_an_administrator(client, db_rows):
    litigant = await verify_litigant(client, db_rows)
    await open_ticket(client, litigant)
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    admin = await staff_token(client, "admin1", "admin")
    resp = await client.get("/api/v1/staff/tickets", params={"status": "open"}, headers=bearer(clerk))
    body = await resp.json()
    assert body["total"] == 1
    (ticket,) = body["tickets"]
    assert ticket["question"] == QUESTION
    assert ticket["litigant"] == {"name": ALICE["name"], "phone_masked": "138****8000"}
    assert ticket["delivery"] is None and ticket["answered_by"] is None
    resp = await client.get("/api/v1/staff/tickets", headers=bearer(admin))
    (masked,) = (await resp.json())["tickets"]
    assert ALICE["id_number"] not in masked["question"] and "13800138000" not in masked["question"]
    assert "110***********002X" in masked["question"]
    resp = await client.get("/api/v1/staff/tickets", params={"status": "answered"}, headers=bearer(clerk))
    assert (await resp.json())["total"] == 0
    resp = await client.get("/api/v1/staff/tickets", params={"status": "later"}, headers=bearer(clerk))
    assert resp.status == 400 and (await resp.json())["field"] == "status"
    assert (await client.get("/api/v1/staff/tickets", headers=bearer(litigant))).status == 401


async def test_an_answer_reaches_the_conversation_through_rasa(client, db_rows, rasa):
    litigant = await verify_litigant(client, db_rows, conversation="conv-1", channel="socketio")
    ticket = await open_ticket(client, litigant)
    clerk = await staff_token(client, "clerk1", "clerk")
    resp = await client.post(f"/api/v1/staff/tickets/{ticket['id']}/answer",
                             json={"answer": "一般在立案后三十日内安排开庭，具体以传票为准。"}, headers=bearer(clerk))
    assert resp.status == 200, await resp.text()
    answered = await resp.json()
    assert answered["status"] == "answered" and answered["answer"].startswith("一般在立案后")
    assert answered["answered_by"] == {"username": "clerk1", "name": "clerk1姓名"}
    assert answered["delivery"]["status"] == "sent" and answered["delivery"]["status_label"] == "已送达"
    (call,) = rasa.calls
    assert call["conversation"] == "conv-1"
    assert call["query"] == {"output_channel": "latest", "execute_side_effects": "true"}
    text = call["body"][0]["text"]
    assert text.startswith("【法院工作人员回复】") and "一般在立案后三十日内安排开庭" in text
    again = await client.post(f"/api/v1/staff/tickets/{ticket['id']}/answer", json={"answer": "再答一次"},
                              headers=bearer(clerk))
    assert again.status == 409 and (await again.json())["error"] == "already_answered"
    assert len(rasa.calls) == 1

    mine = await client.get("/api/v1/tickets", params={"conversation_id": "conv-1"}, headers=bearer(litigant))
    (seen,) = (await mine.json())["tickets"]
    assert seen["status"] == "answered" and seen["answer"].startswith("一般在立案后")
    bob = await verify_litigant(client, db_rows, BOB)
    assert (await (await client.get("/api/v1/tickets", headers=bearer(bob))).json())["tickets"] == []


async def test_answer_is_kept_and_retried_when_rasa_is_down(client, db_rows, rasa):
    litigant = await verify_litigant(client, db_rows)
    ticket = await open_ticket(client, litigant)
    clerk = await staff_token(client, "clerk1", "clerk")
    rasa.status = 503
    resp = await client.post(f"/api/v1/staff/tickets/{ticket['id']}/answer", json={"answer": "请您携带身份证原件到诉讼服务中心。"},
                             headers=bearer(clerk))
    assert resp.status == 200
    delivery = (await resp.json())["delivery"]
    assert delivery["status"] == "pending" and delivery["attempts"] == 1 and "503" in delivery["error"]
    rasa.status = 200
    async with client.app[SESSIONMAKER]() as session:
        await session.execute(update(Delivery).values(next_attempt_at=Delivery.created_at))
        await session.commit()
    assert await send_pending(client.app) == 1
    resp = await client.get("/api/v1/staff/tickets", headers=bearer(clerk))
    (listed,) = (await resp.json())["tickets"]
    assert listed["delivery"]["status"] == "sent" and listed["delivery"]["error"] is None


async def test_without_rasa_configured_the_answer_waits_for_the_job(client, db_rows):
    litigant = await verify_litigant(client, db_rows)
    ticket = await open_ticket(client, litigant)
    clerk = await staff_token(client, "clerk1", "clerk")
    resp = await client.post(f"/api/v1/staff/tickets/{ticket['id']}/answer", json={"answer": "好的"},
                             headers=bearer(clerk))
    assert (await resp.json())["delivery"] == {"status": "pending", "status_label": "待送达", "attempts": 0,
                                               "error": None, "sent_at": None}


async def test_who_may_answer(client, db_rows):
    litigant = await verify_litigant(client, db_rows)
    ticket = await open_ticket(client, litigant)
    admin = await staff_token(client, "admin1", "admin")
    clerk = await staff_token(client, "clerk1", "clerk")
    url = f"/api/v1/staff/tickets/{ticket['id']}/answer"
    assert (await client.post(url, json={"answer": "好的"}, headers=bearer(admin))).status == 403
    assert (await client.post(url, json={"answer": "好的"}, headers=bearer(litigant))).status == 401
    resp = await client.post(url, json={"answer": "  "}, headers=bearer(clerk))
    assert resp.status == 422 and (await resp.json())["field"] == "answer"
    resp = await client.post(url, json={"answer": "好的", "cc": "x"}, headers=bearer(clerk))
    assert resp.status == 400
    resp = await client.post("/api/v1/staff/tickets/RG0000/answer", json={"answer": "好的"}, headers=bearer(clerk))
    assert resp.status == 404
