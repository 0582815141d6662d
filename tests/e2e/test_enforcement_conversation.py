"""申请执行 over REST: a creditor whose judgment is not obeyed applies in the chat, a clerk dockets the
application with a 执 number and records a step, and each step arrives in the conversation."""
from __future__ import annotations

import re
import time
from datetime import datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import requests

from tests.e2e.journeys import ID_NUMBER, clerk_token, review, sms_code, verify

pytestmark = pytest.mark.e2e


def bot_texts(chat) -> list[str]:
    """What the assistant said in the conversation, court notices included (Rasa's tracker)."""
    resp = requests.get(f"{chat.stack.rasa_url}/conversations/{chat.sender}/tracker",
                        params={"token": chat.stack.api_token}, timeout=30)
    resp.raise_for_status()
    return [e.get("text") or "" for e in resp.json().get("events", []) if e.get("event") == "bot"]


def judged_case(chat, stack) -> str:
    """张三 sued 李四 through the API (not the chat: the filing journey has its own e2e test) and the
    clerk docketed it; the case number."""
    api = f"{stack.backend_url}/api/v1"
    challenge = requests.post(f"{api}/identity/verify", timeout=10,
                              json={"name": "张三", "id_number": ID_NUMBER, "phone": "13800138000"})
    assert challenge.status_code == 202, challenge.text
    token = requests.post(f"{api}/identity/confirm", timeout=10,
                          json={"challenge_id": challenge.json()["challenge_id"], "code": sms_code(chat)})
    assert token.status_code == 200, token.text
    filing = requests.post(f"{api}/filings", timeout=30, headers={"Authorization": f"Bearer {token.json()['token']}"},
                           json={"case_type": "民间借贷纠纷", "court_code": "京0105", "channel": "rest",
                                 "parties": [{"role": "plaintiff", "kind": "person", "name": "张三",
                                              "id_number": ID_NUMBER, "phone": "13800138000"},
                                             {"role": "defendant", "kind": "person", "name": "李四",
                                              "address": "北京市朝阳区朝阳北路1号"}],
                                 "claims": [{"text": "判令被告归还借款5万元", "amount": "50000"}],
                                 "facts": "2023年3月被告向原告借款5万元，约定半年归还，至今未还。"})
    assert filing.status_code == 201, filing.text
    return review(stack, filing.json()["id"], {"decision": "accept"})["case"]["case_number"]


def test_apply_docket_and_follow_an_enforcement_case(chat, stack):
    case_number = judged_case(chat, stack)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    clerk = {"Authorization": f"Bearer {clerk_token(stack)}"}
    api = f"{stack.backend_url}/api/v1"
    marked = requests.post(f"{api}/staff/cases/{quote(case_number)}/effective", headers=clerk, timeout=10,
                           json={"effective_on": (today - timedelta(days=20)).isoformat(),
                                 "performance_last_day": (today - timedelta(days=10)).isoformat()})
    assert marked.status_code == 200, marked.text

    assert "实名认证" in chat.text(chat.say("法院判了对方不给钱怎么办"))  # the filing's identity form, reused
    assert "执行依据" in verify(chat)
    assert "被执行人" in chat.text(chat.say(case_number))
    assert "申请执行的内容" in chat.text(chat.say("李四"))
    assert "财产线索" in chat.text(chat.say("借款本金5万元"))
    assert "履行期限" in chat.text(chat.say("工商银行账户、京A12345小型轿车"))
    due = today - timedelta(days=10)
    assert "第二百五十条" in chat.text(chat.say(f"{due.year}年{due.month}月{due.day}日"))
    assert "第二百三十五条" in chat.text(chat.say("没有"))
    summary = chat.text(chat.say("一审法院"))
    for expected in ("请核对您的执行申请", case_number, "李四", "50,000.00元", "工商银行账户", "京A12345小型轿车",
                     "北京市朝阳区人民法院", "执行申请费650.00元", "执行后交纳"):
        assert expected in summary, (expected, summary)
    done = chat.text(chat.say("确认提交"))
    application = re.search(r"ZX\d{14}", done)
    assert application, done

    accepted = requests.post(f"{api}/staff/enforcements/{application.group(0)}/review", headers=clerk, timeout=10,
                             json={"decision": "accept"})
    assert accepted.status_code == 200, accepted.text
    enforcement_number = accepted.json()["case_number"]
    assert re.fullmatch(r"（\d{4}）京0105执\d+号", enforcement_number)
    step = requests.post(f"{api}/staff/enforcements/{application.group(0)}/steps", headers=clerk, timeout=10,
                         json={"step": "online_search", "note": "已冻结被执行人银行存款"})
    assert step.status_code == 200, step.text

    deadline = time.monotonic() + 60
    while chat.db("SELECT status FROM conversation_deliveries WHERE conversation_id = ? AND kind = 'enforcement_step'",
                  chat.sender) != [("sent",), ("sent",)]:
        assert time.monotonic() < deadline, chat.db("SELECT kind, status, last_error FROM conversation_deliveries")
        time.sleep(0.5)
    said = bot_texts(chat)
    docketed = [t for t in said if t.startswith("【执行立案通知】")]
    progress = [t for t in said if t.startswith("【执行进展】")]
    assert len(docketed) == 1 and enforcement_number in docketed[0]
    assert len(progress) == 1 and "网络查控" in progress[0] and "已冻结被执行人银行存款" in progress[0]

    chat.say("查询执行进度")
    status = chat.text(chat.say(enforcement_number))
    assert "执行中" in status and "网络查控" in status, status
