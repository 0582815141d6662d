"""Driving whole journeys over REST the way a litigant types them, for the end-to-end tests."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

ID_NUMBER = "11010519491231002X"


def sms_code(chat, phone: str = "13800138000") -> str:
    """The code the development SMS gateway 'sent', read from its outbox as a litigant reads their phone."""
    rows = chat.db("SELECT text FROM sms_outbox WHERE phone = ? ORDER BY id DESC LIMIT 1", phone)
    assert rows, "no SMS code was sent"
    return re.search(r"\d{6}", rows[0][0]).group(0)


def verify(chat, name: str = "张三", id_number: str = ID_NUMBER, phone: str = "13800138000") -> str:
    """实名认证 inside whatever journey asked for it; returns what the bot said after the code."""
    for text in (name, id_number, phone):
        chat.say(text)
    return chat.text(chat.say(sms_code(chat, phone)))


@dataclass
class Filing:
    """A filing's answers, with defaults for everything a test does not care about."""

    case_type: str = "民间借贷纠纷"
    name: str = "张三"
    id_number: str = ID_NUMBER
    phone: str = "13800138000"
    details: str = "汉族，教师"
    plaintiff_address: str = "北京市朝阳区建国路88号"
    defendants: list[tuple[str, str]] = field(default_factory=lambda: [("李四", "北京市朝阳区朝阳北路1号")])
    court: str = "北京市朝阳区人民法院"
    claims: str = "判令被告归还借款5万元"
    amount: str | None = None  # asked only when the claims name no money
    evidence: str = "借条、银行转账记录"
    facts: str = "2023年3月被告向我借款5万元，约定半年归还，至今一分未还。"
    mediation: str = "不同意"
    e_service: str = "同意"
    e_service_address: str = "同上"
    said: dict[str, str] = field(default_factory=dict)  # question → what the bot said after the answer


def fill(chat, f: Filing) -> str:
    """Answers every question of the filing form up to the read-back; returns the read-back."""
    chat.say("我要立案")
    chat.say(f.case_type)
    f.said["verified"] = verify(chat, f.name, f.id_number, f.phone)
    if "上次还有一份" in f.said["verified"]:
        f.said["verified"] = chat.text(chat.say("重新填写"))
    chat.say("是，我本人是原告")
    chat.say(f.details)  # 民族，职业 (性别、出生 come from the ID number)
    f.said["more_plaintiffs"] = chat.text(chat.say(f.plaintiff_address))
    chat.say("没有了")
    for i, (defendant, address) in enumerate(f.defendants):
        asked = chat.text(chat.say(defendant))
        if "法定代表人" in asked or "民族" in asked:  # unknown to the plaintiff: allowed for a defendant
            chat.say("不清楚")
        chat.say(address)
        f.said["court"] = chat.text(chat.say("还有" if i + 1 < len(f.defendants) else "没有了"))
    after_court = chat.text(chat.say(f.court))
    after_claims = chat.text(chat.say(f.claims))
    if f.amount is not None:
        assert "标的额" in after_claims, after_claims
        chat.say(f.amount)
    chat.say(f.evidence)
    chat.say(f.facts)
    chat.say(f.mediation)
    asked = chat.text(chat.say(f.e_service))
    if "送达的手机号码或电子邮箱" in asked:
        asked = chat.text(chat.say(f.e_service_address))
    f.said["after_court"] = after_court
    return asked


def file_case(chat, f: Filing | None = None) -> str:
    """A whole filing, confirmed; returns its LA number."""
    f = f or Filing()
    summary = fill(chat, f)
    assert "请核对" in summary, summary
    done = chat.text(chat.say("确认提交"))
    found = re.search(r"LA\d{14}", done)
    assert found, done
    f.said["done"] = done
    return found.group(0)


def clerk_token(stack, username: str = "clerk-e2e", court: str = "京0105") -> str:
    """A clerk account created with the backend's own command, logged in through the API."""
    import os
    import subprocess

    import requests

    from deploy.stack import COURT_PYTHON, ROOT

    subprocess.run([str(COURT_PYTHON), "-m", "court", "create-staff", "--username", username, "--name", "书记员",
                    "--role", "clerk", "--court", court, "--password-stdin"], input="Clerk-pass-2026\n", text=True,
                   cwd=ROOT, env={**os.environ, "COURT_DATABASE_URL": stack.database_url, "COURT_DEV_MODE": "1"}, check=False,
                   capture_output=True)  # already there on a second call: the login below still works
    session = requests.post(f"{stack.backend_url}/api/v1/staff/session", timeout=10,
                            json={"username": username, "password": "Clerk-pass-2026"})
    assert session.status_code == 200, session.text
    return session.json()["token"]


def review(stack, number: str, body: dict) -> dict:
    """The clerk's decision on a filing (accept / correct / reject) through the staff API."""
    import requests

    resp = requests.post(f"{stack.backend_url}/api/v1/staff/filings/{number}/review", json=body, timeout=30,
                         headers={"Authorization": f"Bearer {clerk_token(stack)}"})
    assert resp.status_code == 200, resp.text
    return resp.json()
