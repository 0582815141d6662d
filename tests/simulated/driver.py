"""Drives one generated litigant over Rasa's REST channel through every journey — a FAQ, the filing
(left as a draft and resumed for some, with a change at the read-back for most), fees, status, 补正
after a clerk's notice, then payment after docketing or withdrawal, and handoff — answering each
question as it reads (a button when offered and the litigant taps, words otherwise), then checks what
the backend stored. Every turn must get a reply; a way-out offer or a question the litigant cannot
place is a failure, with the transcript kept to read. The clerk acts through the staff API."""
from __future__ import annotations

import re
import sqlite3
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Optional

import requests

from deploy.stack import Stack
from tests.simulated.litigants import Litigant

MAX_TURNS = 60  # a filing takes about 20; more means the conversation is going round


class Stuck(Exception):
    """The litigant cannot go on: the bot's message fits no question, or it offered a way out."""


@dataclass
class Outcome:
    litigant: Litigant
    journeys: dict[str, bool] = field(default_factory=dict)
    problem: str = ""
    transcript: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problem and all(self.journeys.values())


class Conversation:
    def __init__(self, stack: Stack, who: Litigant) -> None:
        self.stack, self.url, self.var_dir, self.who = stack, stack.rasa_url, Path(stack.var_dir), who
        self.sender = f"sim-{who.seed}-{uuid.uuid4().hex[:6]}"
        self.transcript: list[tuple[str, str]] = []
        self.replies: list[dict] = []

    def say(self, text: str) -> list[dict]:
        resp = requests.post(f"{self.url}/webhooks/rest/webhook", json={"sender": self.sender, "message": text},
                             timeout=120)
        resp.raise_for_status()
        self.replies = resp.json()
        if not self.replies:
            raise Stuck(f"no reply to {text!r}")
        self.transcript.append((text, self.text))
        if "这个问题好像不太好回答" in self.text:
            raise Stuck("the bot offered a way out: the same question a third time")
        return self.replies

    @property
    def text(self) -> str:
        return "\n".join(r.get("text", "") for r in self.replies)

    @property
    def buttons(self) -> list[dict]:
        return [b for r in self.replies for b in r.get("buttons") or []]

    def button(self, title_part: str) -> Optional[str]:
        return next((b["payload"] for b in self.buttons if title_part in b["title"]), None)

    def db(self, sql: str, *args) -> list[tuple]:
        with sqlite3.connect(self.var_dir / "court.db") as conn:
            return conn.execute(sql, args).fetchall()

    def sms_code(self) -> str:
        rows = self.db("SELECT text FROM sms_outbox WHERE phone = ? ORDER BY id DESC LIMIT 1", self.who.phone)
        if not rows:
            raise Stuck("no SMS code was sent")
        return re.search(r"\d{6}", rows[0][0]).group(0)


def _choose(c: Conversation, title: str, words: str) -> str:
    """A tap on the button titled `title` when the litigant taps and it is there, else the words."""
    payload = c.button(title) if c.who.press_buttons else None
    return payload or words


class Filer:
    """Answers the filing form's questions from the litigant's facts, in whatever order they come."""

    def __init__(self, c: Conversation) -> None:
        self.c, self.who = c, c.who
        self.digressed = False
        self.left = False  # left as a draft once (who.leaves_at), then resumed
        self.changed = False
        self.number: Optional[str] = None

    def digression(self, question: str) -> Optional[str]:
        """Before answering `question`: leaving the filing (once, for a draft), or a FAQ (once)."""
        if self.who.leaves_at == question and not self.left:
            self.left = True
            return "算了，下次再弄"
        if self.who.digress_at == question and not self.digressed:
            self.digressed = True
            return self.who.digression
        return None

    def next_answer(self) -> str:  # noqa: C901 - one branch per question, in the bot's words
        everything, who = self.c.text, self.who
        if "立案申请已提交" in everything:
            raise StopIteration
        if "这个案由" in everything and "请问您是指" in everything:  # a typo in the 案由, guessed
            return self.c.button(who.case_type) or who.case_type
        if "请问您是指下面的法院" in everything:
            return self.c.button(who.court) or who.court
        t = self.c.replies[-1].get("text") or ""  # the question is the last message (a FAQ answer may come first)
        if "已为您退出立案" in everything:  # left as a draft: back another time
            if "草稿" not in everything:
                raise Stuck(f"the filing was left without a draft: {everything[:200]}")
            return self.who.typed("我要立案")
        if "请核对您的立案信息" in t:
            return self.read_back()
        if "需要修改哪一项" in t:
            return self.c.button("金额") or "金额"
        if "案由" in t and ("哪一类" in t or "没能识别" in t):
            return who.case_type_typed if not who.press_buttons else (self.c.button(who.case_type) or who.case_type_typed)
        if "实名认证" in t and "姓名" in t:
            return who.name
        if "您本人的18位居民身份证号码" in t:
            return who.typed_id()
        if "您本人的手机号码" in t:
            return who.typed_phone()
        if "验证码" in t and "请输入验证码" in t or "新的验证码" in t:
            return self.c.sms_code()
        if "上次还有一份" in t:  # the draft left earlier is resumed; any other is not this litigant's
            return _choose(self.c, "继续填写", "继续填写") if self.left else _choose(self.c, "重新填写", "重新填写")
        if "以原告本人身份起诉" in t:
            return _choose(self.c, "是，我本人是原告", "是，我本人是原告")
        if "原告的民族和职业" in t:
            return who.details
        if "被告的民族" in t:
            return _choose(self.c, "不清楚", who.defendant_details)
        if "原告的住所地" in t:
            return who.address
        if "还有其他原告" in t:
            return _choose(self.c, "没有了", "没有了")
        if "被告（您要起诉的一方）是谁" in t or "请输入另一位被告" in t:
            return who.defendant
        if "被告单位的法定代表人" in t:
            return "不清楚"
        if "被告的住所地" in t:
            return self.digression("defendant_address") or who.defendant_address
        if "还有其他被告" in t:
            return _choose(self.c, "没有了", "没有了")
        if "受理法院" in t or "哪家法院" in t or "法院的名称" in t or "找到了几家法院" in t:
            return self.digression("court") or self.c.button(who.court) or who.court
        if "请写明您的诉讼请求" in t:
            return self.digression("claims") or who.typed(who.claims)
        if "诉讼标的额" in t and "多少" in t:
            return f"{who.new_wan if self.changed else who.wan}万"
        if "请列出您手上的证据" in t:
            return self.digression("evidence") or who.typed(who.evidence)
        if "请简要说明事实与理由" in t:
            return self.digression("facts") or who.typed(who.facts)
        if "是否同意诉前调解" in t:
            return _choose(self.c, "同意调解" if who.mediation else "不同意", "同意" if who.mediation else "不同意")
        if "是否同意电子送达" in t:
            return _choose(self.c, "同意" if who.e_service else "不同意", "同意" if who.e_service else "不同意")
        if "接收电子送达的手机号码" in t:
            return _choose(self.c, "同上", "同上")
        raise Stuck(f"the litigant cannot place this message: {t[:200]}")

    def read_back(self) -> str:
        who, t = self.who, self.c.replies[-1].get("text") or ""
        if who.change and not self.changed:
            self.changed = True
            if who.change == "amount_words":
                return f"金额改成{who.new_wan}万"
            if who.change == "mediation_words":
                return "我改主意了，同意诉前调解"
            if who.change == "defendant_words":
                return f"被告名字不对，应该是{who.new_defendant}"
            return self.c.button("修改") or "修改"  # amount_buttons: 修改 → 金额 → the new amount
        expected = [who.final_defendant, f"{Decimal(who.amount):,.2f}元",
                    f"诉前调解：{'同意' if who.final_mediation else '不同意'}"]
        missing = [e for e in expected if e not in t]
        if missing:
            raise Stuck(f"the read-back does not show {missing}")
        return _choose(self.c, "确认提交", "确认提交")

    def run(self) -> str:
        self.c.say(self.who.typed("我要立案") if not self.who.press_buttons else "我想起诉")
        for _ in range(MAX_TURNS):
            try:
                answer = self.next_answer()
            except StopIteration:
                found = re.search(r"LA\d{14}", self.c.text)
                if not found:
                    raise Stuck("submitted without a filing number")
                return found.group(0)
            self.c.say(answer)
        raise Stuck(f"no filing after {MAX_TURNS} turns")


def check_filing(c: Conversation, number: str) -> None:
    who = c.who
    rows = c.db("SELECT id, amount, mediation_consent, case_type, status FROM filings WHERE number = ?", number)
    if not rows:
        raise Stuck(f"{number} is not in the database")
    filing_id, amount, mediation, case_type, status = rows[0]
    parties = dict(c.db("SELECT role, name FROM parties WHERE filing_id = ? ORDER BY position", filing_id)[::-1])
    wrong = {k: v for k, v in {
        "amount": (Decimal(amount) / 100, Decimal(who.amount)),  # stored in fen
        "mediation": (bool(mediation), who.final_mediation),
        "case_type": (case_type, who.case_type), "status": (status, "pending_review"),
        "plaintiff": (parties.get("plaintiff"), who.name), "defendant": (parties.get("defendant"), who.final_defendant),
    }.items() if v[0] != v[1]}
    if wrong:
        raise Stuck(f"the database holds {wrong} (stored, expected)")


def fees(c: Conversation) -> None:
    c.say(f"标的{c.who.wan}万要交多少诉讼费")
    if "诉讼费" not in c.text or "元" not in c.text:
        raise Stuck(f"no fee figure: {c.text[:200]}")


def status(c: Conversation, number: str) -> None:
    c.say(f"再帮我查一下 {number}")
    if number not in c.text or "待审核" not in c.text:
        raise Stuck(f"the status of {number} was not told: {c.text[:200]}")


def withdraw(c: Conversation, number: str) -> None:
    c.say("我不想告了，把立案申请撤回")
    if "确定要撤回" not in c.text:
        c.say(c.button(number) or number)
    if "确定要撤回" not in c.text:
        raise Stuck(f"no withdrawal confirmation: {c.text[:200]}")
    c.say(_choose(c, "确认撤回", "确认撤回"))
    stored = c.db("SELECT status FROM filings WHERE number = ?", number)
    if stored != [("withdrawn",)]:
        raise Stuck(f"{number} is {stored} after withdrawal")


def handoff(c: Conversation) -> None:
    question = f"我的立案申请撤回以后还能重新起诉吗？我是{c.who.name}"
    c.say("转人工")
    if "描述" in c.text:
        c.say(question)
    if not c.db("SELECT public_id FROM tickets WHERE conversation_id = ? AND question = ?", c.sender, question):
        raise Stuck(f"no ticket with the question: {c.text[:200]}")


def faq(c: Conversation) -> None:
    c.say(c.who.typed(c.who.question))
    if "不太确定您的意思" in c.text or "超出了我的服务范围" in c.text or len(c.text) < 20:
        raise Stuck(f"the question {c.who.question!r} was not answered: {c.text[:200]}")
    if "转接人工服务" in c.text or "实名认证" in c.text:  # a journey started (the handoff asks identity first)
        raise Stuck(f"the question {c.who.question!r} started a journey: {c.text[:200]}")


_CLERKS: dict[tuple[str, str], str] = {}


def clerk(c: Conversation, number: str) -> str:
    """A clerk of the filing's court (the staff API scopes filings by court), created once per stack."""
    from tests.e2e.journeys import clerk_token

    code = c.db("SELECT court_code FROM filings WHERE number = ?", number)[0][0]
    key = (c.stack.backend_url, code)
    if key not in _CLERKS:
        _CLERKS[key] = clerk_token(c.stack, username=f"sim-clerk-{code[1:]}", court=code)  # ASCII names
    return _CLERKS[key]


def review(c: Conversation, number: str, body: dict) -> None:
    resp = requests.post(f"{c.stack.backend_url}/api/v1/staff/filings/{number}/review", json=body, timeout=30,
                         headers={"Authorization": f"Bearer {clerk(c, number)}"})
    if resp.status_code != 200:
        raise Stuck(f"the clerk's {body['decision']} was refused: {resp.text[:200]}")


CORRECTION_ITEMS = ["请补充被告的联系电话", "事实与理由部分请补充借款的具体日期"]


def correction(c: Conversation, number: str) -> None:
    """补正: the clerk's notice, every item answered, a change at the read-back for some, resubmitted."""
    who = c.who
    review(c, number, {"decision": "correct", "items": CORRECTION_ITEMS})
    c.say(who.typed("法院让我补正，怎么弄"))
    phone, edited = who.defendant_phone, False
    for _ in range(12):
        t = c.replies[-1].get("text") or "" if c.replies else ""
        if "补正内容已提交" in c.text:
            break
        if "请核对" in t and "补正内容" in t:
            if who.correction_edit and not edited:
                edited, phone = True, "139" + phone[3:]
                c.say(_choose(c, "修改", "修改"))
                continue
            if phone[-4:] not in t:
                raise Stuck(f"the 补正 read-back does not show the phone ending {phone[-4:]}")
            c.say(_choose(c, "确认提交", "确认提交"))
        elif "要修改哪一项" in t:
            c.say(_choose(c, "第1项", "第1项"))
        elif "联系电话" in t and "第" in t:
            c.say(phone)
        elif "具体日期" in t and "第" in t:
            c.say(who.typed(f"借款日期是{who.facts[:who.facts.index('月') + 1]}1日，当天通过银行转账。"))
        else:
            raise Stuck(f"the litigant cannot place this 补正 message: {t[:200]}")
    if "补正内容已提交" not in c.text:
        raise Stuck(f"the 补正 was not resubmitted: {c.text[:200]}")
    stored = c.db("SELECT f.status, p.phone FROM filings f JOIN parties p ON p.filing_id = f.id "
                  "WHERE f.number = ? AND p.role = 'defendant'", number)
    if stored != [("pending_review", phone)]:
        raise Stuck(f"after 补正 the database holds {stored}, expected pending_review with {phone}")


def pay(c: Conversation, number: str) -> None:
    """The clerk dockets the case; the litigant pays the fee notice through the development provider."""
    review(c, number, {"decision": "accept"})
    c.say(c.who.typed("我要交诉讼费"))
    link = re.search(r"https?://\S+/dev/pay/(\S+?)(?:[，。,\s]|$)", c.text)
    if not link:
        raise Stuck(f"no payment link: {c.text[:200]}")
    paid = requests.post(f"{c.stack.backend_url}/dev/pay/{link.group(1)}", timeout=10)
    if paid.status_code != 200:
        raise Stuck(f"the provider refused the payment: {paid.text[:200]}")
    c.say("已支付")
    if "已收到您缴纳的诉讼费" not in c.text:
        raise Stuck(f"the payment was not confirmed: {c.text[:200]}")
    stored = c.db("SELECT n.status FROM fee_notices n JOIN cases k ON k.id = n.case_id JOIN filings f "
                  "ON f.id = k.filing_id WHERE f.number = ?", number)
    if stored != [("paid",)]:
        raise Stuck(f"the fee notice is {stored} after payment")


def simulate(stack: Stack, who: Litigant) -> Outcome:
    c = Conversation(stack, who)
    outcome = Outcome(who, transcript=c.transcript)
    try:
        outcome.journeys["faq"] = False
        faq(c)
        outcome.journeys["faq"] = True
        outcome.journeys["filing"] = False
        extras = [j for j, happens in (("draft", who.leaves_at), ("read-back change", who.change)) if happens]
        outcome.journeys.update({j: False for j in extras})
        filer = Filer(c)
        number = filer.run()
        check_filing(c, number)
        outcome.journeys["filing"] = True
        outcome.journeys.update({"draft": filer.left} if who.leaves_at else {})
        outcome.journeys.update({"read-back change": filer.changed} if who.change else {})
        steps = [("fees", lambda: fees(c)), ("status", lambda: status(c, number))]
        if who.correction:
            steps.append(("correction", lambda: correction(c, number)))
        steps.append(("payment", lambda: pay(c, number)) if who.pays else ("withdrawal", lambda: withdraw(c, number)))
        steps.append(("handoff", lambda: handoff(c)))
        for journey, step in steps:
            outcome.journeys[journey] = False
            step()
            outcome.journeys[journey] = True
    except Stuck as err:
        outcome.problem = str(err)
    except requests.RequestException as err:
        outcome.problem = f"no reply: {err}"
    return outcome
