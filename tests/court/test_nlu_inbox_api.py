"""The NLU inbox: unsure messages grouped by likeness, masked, scoped by court, labelled by clerks
only (audited), and exported to data/nlu/inbox.yml without touching the held-out sets."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from authflow import bearer, set_clock, staff_token
from dashboard_seed import A, NOW, seed_inbox, seed_month
from scripts import nlu_inbox_export

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def inbox(client):
    set_clock(client, NOW)
    await seed_month(client.app)
    return client, await seed_inbox(client.app)


async def _inbox(client, token: str) -> dict:
    resp = await client.get("/api/v1/staff/nlu-inbox", headers=bearer(token))
    assert resp.status == 200, await resp.text()
    return await resp.json()


def _texts(view: dict) -> list[list[str]]:
    return [[m["text"] for m in g["messages"]] for g in view["groups"]]


async def test_unsure_messages_grouped_by_likeness_and_masked(inbox) -> None:
    client, ids = inbox
    view = await _inbox(client, await staff_token(client, "admin1", "admin"))
    assert view["threshold"] == 0.6 and view["total"] == 4 and view["can_label"] is False
    groups = {g["sample"]: g for g in view["groups"]}
    money = view["groups"][0]  # the largest first
    assert money["size"] == 2 and {m["id"] for m in money["messages"]} == {ids["money1"], ids["money2"]}
    assert money["guess"] in {"ask_fee", "nlu_fallback"}
    assert "我的手机138****8000换了" in groups and "13800138000" not in str(view)
    assert "我要立案" not in str(_texts(view))  # understood with confidence
    names = [i["name"] for i in view["intents"]]
    assert {"ask_fee", "out_of_scope", "faq/materials"} <= set(names) and "nlu_fallback" not in names and "faq" not in names


async def test_a_clerk_sees_their_courts_messages_and_labels_them(inbox, db_rows) -> None:
    client, ids = inbox
    token = await staff_token(client, "clerk1", "clerk", A)
    view = await _inbox(client, token)
    assert view["can_label"] is True
    assert "那个执行款什么时候到账" not in str(view)  # c4's filing is at another court
    resp = await client.post("/api/v1/staff/nlu-inbox/labels", headers=bearer(token),
                             json={"turn_ids": [ids["money1"], ids["money2"]], "intent": "ask_fee"})
    assert resp.status == 200 and await resp.json() == {"labelled": 2, "intent": "ask_fee", "out_of_scope": False}
    assert all("钱" not in m for g in _texts(await _inbox(client, token)) for m in g)  # labelled: gone from the inbox
    resp = await client.post("/api/v1/staff/nlu-inbox/labels", headers=bearer(token),
                             json={"turn_ids": [ids["phone"]], "out_of_scope": True})
    assert resp.status == 200
    rows = await db_rows("SELECT text, intent, out_of_scope FROM nlu_labels ORDER BY turn_id")
    assert [tuple(r) for r in rows] == [("我想问一下那个钱的事", "ask_fee", False), ("我想问下那个钱的事情？", "ask_fee", False),
                                        ("我的手机138****8000换了", None, True)]
    audit = await db_rows("SELECT action FROM staff_audit ORDER BY id")
    assert [r[0] for r in audit] == ["nlu_inbox", "nlu_label", "nlu_inbox", "nlu_label"]


async def test_only_clerks_label_and_nothing_outside_the_scope(inbox, db_rows) -> None:
    client, ids = inbox
    for role in ("admin", "judge"):
        token = await staff_token(client, f"{role}1", role)
        resp = await client.post("/api/v1/staff/nlu-inbox/labels", headers=bearer(token),
                                 json={"turn_ids": [ids["money1"]], "intent": "ask_fee"})
        assert resp.status == 403
    clerk = await staff_token(client, "clerk1", "clerk", A)
    resp = await client.post("/api/v1/staff/nlu-inbox/labels", headers=bearer(clerk),
                             json={"turn_ids": [ids["money1"], ids["other_court"]], "intent": "ask_fee"})
    assert resp.status == 404 and "未作任何标注" in (await resp.json())["message"]
    for body, status, field in [({"turn_ids": [ids["money1"]], "intent": "buy_house"}, 422, "intent"),
                                ({"turn_ids": [], "intent": "ask_fee"}, 422, "turn_ids"),
                                ({"turn_ids": ["1"], "intent": "ask_fee"}, 422, "turn_ids"),
                                ({"turn_ids": [ids["money1"]], "intent": "ask_fee", "out_of_scope": True}, 400, "intent")]:
        resp = await client.post("/api/v1/staff/nlu-inbox/labels", headers=bearer(clerk), json=body)
        assert resp.status == status and (await resp.json())["field"] == field, body
    assert await db_rows("SELECT id FROM nlu_labels") == []
    assert (await client.get("/api/v1/staff/nlu-inbox")).status == 401


def _project_copy(tmp: Path) -> Path:
    """domain.yml, data/nlu and the held-out sets, copied: the export writes into the copy."""
    root = tmp / "project"
    shutil.copy(ROOT / "domain.yml", root.mkdir(parents=True) or root / "domain.yml")
    for folder in ("data/nlu", "tests/nlu", "tests/nlu-voice2"):
        shutil.copytree(ROOT / folder, root / folder)
    return root


async def test_the_export_writes_new_examples_and_never_the_held_out_ones(inbox, tmp_path: Path) -> None:
    client, ids = inbox
    token = await staff_token(client, "clerk1", "clerk", A)
    root = _project_copy(tmp_path)
    trained = next(iter(nlu_inbox_export.existing_examples(root)[1]))
    held_out = sorted(nlu_inbox_export.existing_examples(root)[2])[0]
    await _label_texts(client, token, ids, {"money1": "ask_fee", "money2": "ask_fee"})
    await _label_texts(client, token, ids, {"phone": None})
    await _add_label(client, 90, trained, "greet")
    await _add_label(client, 91, held_out, "ask_fee")
    held_before = {p: p.read_bytes() for p in (root / "tests").rglob("*.yml")}

    out, added, skipped = await _export(root, client)
    assert (added, skipped["already_trained"], skipped["held_out"]) == (3, 1, 1)
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    blocks = {b["intent"]: b["examples"] for b in data["nlu"]}
    assert blocks["ask_fee"] == "- 我想问一下那个钱的事\n- 我想问下那个钱的事情？\n"
    assert blocks["out_of_scope"] == "- 我的手机138****8000换了\n"
    assert {p: p.read_bytes() for p in (root / "tests").rglob("*.yml")} == held_before
    # Exported again: nothing new, the file unchanged
    text = out.read_text(encoding="utf-8")
    assert (await _export(root, client))[1] == 0 and out.read_text(encoding="utf-8") == text


async def _label_texts(client, token: str, ids: dict, labels: dict) -> None:
    for name, intent in labels.items():
        body = {"turn_ids": [ids[name]], **({"intent": intent} if intent else {"out_of_scope": True})}
        assert (await client.post("/api/v1/staff/nlu-inbox/labels", headers=bearer(token), json=body)).status == 200


async def _add_label(client, seq: int, text: str, intent: str) -> None:
    """A label on a message whose text is already a training (or held-out) example."""
    from court.infra.app_keys import SESSIONMAKER
    from court.infra.models import NluLabel, TranscriptTurn

    async with client.app[SESSIONMAKER]() as s:
        turn = TranscriptTurn(conversation_id="c5", seq=seq, at=NOW, kind="user", user_text=text,
                              intent=None, confidence=None, bot=[], slots={}, actions=[])
        s.add(turn)
        await s.flush()
        s.add(NluLabel(turn_id=turn.id, text=text, intent=intent, out_of_scope=False, labelled_at=NOW))
        await s.commit()


async def _export(root: Path, client):
    import asyncio

    from court.infra.app_keys import SETTINGS

    return await asyncio.to_thread(nlu_inbox_export.export, root, client.app[SETTINGS].database_url)
