"""Finding 6: a clerk of one court listed and answered the handoff tickets of another court's
litigants, their numbers unmasked. Now a clerk bound to a court sees the tickets of litigants who
have no filing yet or one at that court; another court's ticket is a 404 and nothing changes."""
from __future__ import annotations

from authflow import ALICE, BOB, bearer, staff_token, submit, verify_litigant

QUESTION = "我的身份证号11010519491231002X，电话13800138000，请问立案进度？"


async def _ticket(client, token: str, conversation_id: str) -> str:
    resp = await client.post("/api/v1/tickets", headers=bearer(token),
                             json={"conversation_id": conversation_id, "channel": "rest", "question": QUESTION})
    assert resp.status == 201
    return (await resp.json())["id"]


async def test_a_clerk_neither_lists_nor_answers_another_courts_tickets(client, db_rows) -> None:
    alice = await verify_litigant(client, db_rows, ALICE)
    bob = await verify_litigant(client, db_rows, BOB)
    await submit(client, alice, court_code="京0105")
    await submit(client, bob, court_code="京0108", conversation_id="c-bob")
    ours, theirs = await _ticket(client, alice, "c-1"), await _ticket(client, bob, "c-bob")
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")

    listed = await (await client.get("/api/v1/staff/tickets", headers=bearer(clerk))).json()
    assert [t["id"] for t in listed["tickets"]] == [ours] and listed["total"] == 1
    assert "11010519491231002X" not in str([t for t in listed["tickets"] if t["id"] == theirs])

    resp = await client.post(f"/api/v1/staff/tickets/{theirs}/answer", json={"answer": "已受理"}, headers=bearer(clerk))
    assert resp.status == 404
    assert await db_rows(f"SELECT status, answer FROM tickets WHERE public_id = '{theirs}'") == [("open", None)]
    assert await db_rows("SELECT count(*) FROM conversation_deliveries") == [(0,)]

    other = await staff_token(client, "clerk2", "clerk", "京0108")
    resp = await client.post(f"/api/v1/staff/tickets/{theirs}/answer", json={"answer": "已受理"}, headers=bearer(other))
    assert resp.status == 200
    admin = await staff_token(client, "admin1", "admin")
    everything = await (await client.get("/api/v1/staff/tickets", headers=bearer(admin))).json()
    assert everything["total"] == 2
    assert all("11010519491231002X" not in t["question"] for t in everything["tickets"])  # masked for admins
