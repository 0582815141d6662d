"""The production profile for real: two Rasa replicas sharing the PostgreSQL tracker store, the
Redis lock store and the RabbitMQ event broker, nginx in front, the court consuming the queue.

What each test shows could fail on a wrong set-up: with per-replica (in-memory) tracker stores the
second replica would not know the form the first one started; without the lock store a replica
would not wait for a conversation another process holds; a socket.io session that is not sticky
gets "Invalid session" from the other replica; without the broker (or with a consumer that does not
deduplicate) the staff transcript would miss or repeat a turn.
"""
from __future__ import annotations

import json
import re
import threading
from typing import Optional

import pytest
import requests

from deploy.profiles import ProductionStack
from prodkit import Chat, Tap, events_of, staff_turns, wait_for

pytestmark = pytest.mark.e2e

ID_NUMBER = "11010519491231002X"


def start_of_filing(chat: Chat, urls: list[str]) -> None:
    """Four turns of the filing form, each to the next URL in `urls` (round the list)."""
    steps = [("我要立案", "案由"), ("民间借贷纠纷", "实名认证"), ("张三", "身份证"), (ID_NUMBER, "手机")]
    for i, (said, asked) in enumerate(steps):
        reply = chat.text(chat.say(said, urls[i % len(urls)]))
        assert asked in reply, f"turn {i + 1} ({said}) answered by {urls[i % len(urls)]}: {reply}"


def assert_form_state(chat: Chat, url: str) -> None:
    slots = chat.tracker(url)["slots"]
    assert slots["case_type"] == "民间借贷纠纷"
    assert slots["identity_name"] == "张三"
    assert slots["identity_id_number"] == ID_NUMBER
    assert slots["requested_slot"] == "identity_phone"


def user_texts(events: list[dict]) -> list[str]:
    return [e["text"] for e in events if e["event"] == "user"]


# --- the shared tracker store -------------------------------------------------------------------


def test_a_conversation_alternating_between_the_replicas_goes_on_where_it_was(chat: Chat, prod: ProductionStack):
    replicas = [prod.replica_url(0), prod.replica_url(1)]
    start_of_filing(chat, replicas)
    for url in replicas:  # both load the same state from PostgreSQL
        assert_form_state(chat, url)
    stored = chat.stored_events()
    assert user_texts(stored) == ["我要立案", "民间借贷纠纷", "张三", ID_NUMBER]
    case_types = [e["value"] for e in stored if e["event"] == "slot" and e["name"] == "case_type"]
    # cleared when the filing starts (action_reset_filing), then set by a replica, stored in PostgreSQL
    assert case_types and case_types[-1] == "民间借贷纠纷" and set(case_types) <= {None, "民间借贷纠纷"}


def test_the_same_conversation_through_the_load_balancer_uses_both_replicas(chat: Chat, prod: ProductionStack):
    access_log = prod.var_dir / "nginx" / "access.log"
    seen = access_log.stat().st_size
    start_of_filing(chat, [prod.rasa_url])
    assert_form_state(chat, prod.rasa_url)
    assert user_texts(chat.stored_events()) == ["我要立案", "民间借贷纠纷", "张三", ID_NUMBER]
    with access_log.open("rb") as f:
        f.seek(seen)
        lines = f.read().decode().splitlines()
    upstreams = {re.search(r"upstream=(\S+)", line).group(1) for line in lines if "POST /webhooks/rest/webhook" in line}
    assert upstreams == {f"127.0.0.1:{port}" for port in prod.replica_ports}


# --- socket.io through the balancer ---------------------------------------------------------------


def test_a_socketio_polling_session_stays_on_the_replica_that_holds_it(prod: ProductionStack):
    http = requests.Session()
    params = {"EIO": "4", "transport": "polling"}
    opened = http.get(f"{prod.rasa_url}/socket.io/", params=params, timeout=30)
    assert opened.status_code == 200, opened.text
    sid = json.loads(opened.text[1:])["sid"]  # Engine.IO open packet: 0{"sid": ...}
    for _ in range(4):  # each request of the session must reach the same process
        sent = http.post(f"{prod.rasa_url}/socket.io/", params={**params, "sid": sid}, data="40", timeout=30)
        assert sent.status_code == 200, sent.text
        polled = http.get(f"{prod.rasa_url}/socket.io/", params={**params, "sid": sid}, timeout=30)
        assert polled.status_code == 200, polled.text
    # A long poll: the holder answers with its next packet (at the latest its ping, every 25 s).
    holders = [requests.get(f"{prod.replica_url(i)}/socket.io/", params={**params, "sid": sid}, timeout=90).status_code
               for i in range(len(prod.replica_ports))]
    assert sorted(holders) == [200, 400]  # one replica holds the session; the other calls it invalid


def test_socketio_over_a_websocket_through_the_balancer(prod: ProductionStack):
    """The upgrade headers pass nginx: a chat turn over a websocket, spoken as Engine.IO 4."""
    import asyncio
    import uuid

    import websockets

    async def turn() -> list[dict]:
        url = prod.rasa_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        async with websockets.connect(url) as ws:
            assert (await ws.recv()).startswith("0")  # open
            await ws.send("40")  # socket.io connect
            assert (await ws.recv()).startswith("40")
            session = uuid.uuid4().hex
            await ws.send("42" + json.dumps(["session_request", {"session_id": session}]))
            await ws.send("42" + json.dumps(["user_uttered", {"message": "我要立案", "session_id": session}]))
            said: list[dict] = []
            while len(said) < 2:
                packet = await asyncio.wait_for(ws.recv(), 60)
                if packet == "2":
                    await ws.send("3")  # ping → pong
                elif packet.startswith("42"):
                    name, *args = json.loads(packet[2:])
                    if name == "bot_uttered":
                        said.append(args[0])
            return said

    said = asyncio.run(turn())
    assert "案由" in "\n".join(m.get("text", "") for m in said)


# --- the Redis lock store ---------------------------------------------------------------------------


def test_messages_for_one_conversation_on_two_replicas_wait_for_the_lock_and_run_in_turn(
        chat: Chat, prod: ProductionStack):
    """While the conversation's lock is held, a message on replica 1 and one on replica 2 both wait
    (Rasa's RedisLockStore, the same keys the replicas use); released, they run one after the other
    in ticket order, the second seeing what the first did."""
    from rasa.core.lock_store import RedisLockStore

    s = prod.services
    store = RedisLockStore(host=s.redis_host, port=int(s.redis_port), db=int(s.redis_db), key_prefix=s.lock_prefix)
    chat.say("你好", prod.replica_url(0))
    before = len(chat.stored_events())
    held = store.issue_ticket(chat.sender, lock_lifetime=30)  # expires by itself should the test die
    replies: dict[int, list[dict]] = {}

    def send(index: int, text: str) -> None:
        replies[index] = chat.say(text, prod.replica_url(index))

    def tickets() -> int:
        lock = store.get_lock(chat.sender)
        return len(lock.tickets) if lock else 0

    first = threading.Thread(target=send, args=(0, "我要立案"))
    first.start()
    wait_for(lambda: tickets() == 2, "replica 1 queued for the lock")
    second = threading.Thread(target=send, args=(1, "民间借贷纠纷"))
    second.start()
    wait_for(lambda: tickets() == 3, "replica 2 queued for the lock")
    try:
        assert len(chat.stored_events()) == before  # neither ran while the lock was held
        assert first.is_alive() and second.is_alive()
    finally:
        store.cleanup(chat.sender, held)
    first.join(180)
    second.join(180)
    assert "案由" in chat.text(replies[0])
    assert "实名认证" in chat.text(replies[1])  # the case type answered the question the first turn asked
    new = chat.stored_events()[before:]
    assert user_texts(new) == ["我要立案", "民间借贷纠纷"]
    # Not interleaved: the first turn ends (action_listen) before the second user message.
    second_user = next(i for i, e in enumerate(new) if e["event"] == "user" and e["text"] == "民间借贷纠纷")
    assert new[second_user - 1]["event"] == "action" and new[second_user - 1]["name"] == "action_listen"
    assert new[-1]["event"] == "action" and new[-1]["name"] == "action_listen"
    assert store.get_lock(chat.sender) is None  # released at the end


# --- the event broker and the court's transcripts ---------------------------------------------------


def test_events_reach_rabbitmq_and_the_staff_transcript_once(chat: Chat, prod: ProductionStack, tap: Tap,
                                                            admin_token: str):
    chat.say("我要立案")
    chat.say("民间借贷纠纷")

    def second_turn_complete() -> Optional[list[dict]]:
        turns = staff_turns(prod, admin_token, chat.sender)  # a turn grows as its events arrive
        done = turns and len(turns) >= 2 and turns[1]["bot"] and "case_type" in turns[1]["slots"]
        return turns if done else None

    turns = wait_for(second_turn_complete, "two turns, the second with its slot and reply, in the staff transcript")
    assert [t["user_text"] for t in turns] == ["我要立案", "民间借贷纠纷"]
    assert "案由" in json.dumps(turns[0]["bot"], ensure_ascii=False)
    assert turns[1]["slots"].get("case_type") == "民间借贷纠纷"

    published = wait_for(lambda: (b := tap.drain()) and b, "Rasa's events on the exchange")
    events = events_of(published, chat.sender)
    assert user_texts(events) == ["我要立案", "民间借贷纠纷"]
    copy = next(b for b in published if json.loads(b).get("sender_id") == chat.sender
                and json.loads(b).get("text") == "民间借贷纠纷")
    tap.publish_to_court(copy)  # the same message once more, as after a crash before the ack
    tap.publish_to_court(copy)
    chat.say("张三")  # its events queue up behind the copies
    turns = wait_for(lambda: (t := staff_turns(prod, admin_token, chat.sender)) and len(t) >= 3 and t,
                     "the third turn in the staff transcript")
    assert [t["user_text"] for t in turns] == ["我要立案", "民间借贷纠纷", "张三"]
