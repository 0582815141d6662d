"""What the browser tests share: the widget driver, the filing conversation, database reads."""
from __future__ import annotations

import os
import re
import sqlite3
import time
from pathlib import Path
from typing import Callable, Optional

import requests
from playwright.sync_api import Page, expect

from deploy.stack import ROOT, Stack

DOCS_SHOTS = ROOT / "docs" / "screenshots"


def docs_screenshot(page: Page, name: str, **options) -> None:
    """Refresh docs/screenshots/NAME.png when DOCS_SCREENSHOTS=1 (pictures for the README)."""
    if os.environ.get("DOCS_SCREENSHOTS") == "1":
        DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS_SHOTS / f"{name}.png"), **options)


def db(stack: Stack, sql: str, *args) -> list[tuple]:
    with sqlite3.connect(Path(stack.var_dir) / "court.db") as conn:
        return conn.execute(sql, args).fetchall()


def sms_code(stack: Stack, phone: str) -> str:
    rows = db(stack, "SELECT text FROM sms_outbox WHERE phone = ? ORDER BY id DESC LIMIT 1", phone)
    assert rows, "no SMS code was sent"
    return re.search(r"\d{6}", rows[0][0]).group(0)


def verified_token(stack: Stack, person: dict, conversation: str | None = None, channel: str = "socketio") -> str:
    """实名认证 through the backend, as the action server does it; the litigant's bearer token, bound to
    `conversation` (the backend takes a filing's conversation from the token, never from its body)."""
    verify = requests.post(f"{stack.backend_url}/api/v1/identity/verify", timeout=10,
                           json={k: person[k] for k in ("name", "id_number", "phone")})
    assert verify.status_code == 202, verify.text
    bound = {"conversation_id": conversation, "channel": channel} if conversation else {}
    confirm = requests.post(f"{stack.backend_url}/api/v1/identity/confirm", timeout=10, json={
        "challenge_id": verify.json()["challenge_id"], "code": sms_code(stack, person["phone"]), **bound})
    assert confirm.status_code == 200, confirm.text
    return confirm.json()["token"]


class Widget:
    """The litigant's chat widget: say, click, and wait until the assistant has finished answering."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def replies(self) -> list[str]:
        return self.page.locator("#chat-log li.msg.bot .bubble, #chat-log li.msg.notice .bubble").all_inner_texts()

    def last(self) -> str:
        texts = self.replies()
        return texts[-1] if texts else ""

    def buttons(self) -> list[str]:
        return self.page.locator("#chat-log .quick button:not([disabled])").all_inner_texts()

    def wait_replies(self, before: int, timeout: float = 60.0, settle: float = 1.2) -> list[str]:
        """Wait for a reply, then until no more arrive for `settle` seconds (a burst is several messages)."""
        deadline = time.monotonic() + timeout
        count, stable_since = len(self.replies()), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.2)
            now_count = len(self.replies())
            if now_count != count:
                count, stable_since = now_count, time.monotonic()
            elif count > before and time.monotonic() - stable_since >= settle:
                return self.replies()[before:]
        raise AssertionError(f"no reply within {timeout}s; last: {self.last()!r}")

    def say(self, text: str) -> list[str]:
        before = len(self.replies())
        box = self.page.locator("#chat-input")
        box.fill(text)
        box.press("Enter")
        return self.wait_replies(before)

    def click(self, title: str) -> list[str]:
        before = len(self.replies())
        self.page.locator("#chat-log .quick button:not([disabled])", has_text=title).first.click()
        return self.wait_replies(before)

    def greeted(self) -> None:
        expect(self.page.locator("#chat-status")).to_have_class(re.compile(r"\bok\b"), timeout=60_000)
        expect(self.page.locator("#chat-log .quick button", has_text="我要立案")).to_be_visible(timeout=60_000)


ZHANG = {"name": "张三", "id_number": "11010519491231002X", "phone": "13800138000", "typed_phone": "138 0013 8000"}
LI = {"name": "李四", "id_number": "440524188001010014", "phone": "13900139000", "typed_phone": "13900139000"}
FACTS = "2023年3月被告向我借款5万元，约定半年归还，至今一分未还。"


def file_case(widget: Widget, stack: Stack, person: dict = ZHANG,
              on_step: Optional[Callable[[str], None]] = None) -> str:
    """Answer whatever the assistant asks until the filing is submitted; the filing number.

    Driven by the question rather than a fixed order, so that a reordered form still passes;
    the answers are those of tests/e2e/test_filing_conversation.py.
    """
    widget.greeted()
    widget.click("我要立案")
    for _ in range(40):
        last, buttons = widget.last(), widget.buttons()
        recent = "\n".join(widget.replies()[-3:])  # the filing number is followed by a word on the 起诉状
        done = re.search(r"LA\d{14}", recent)
        if done and "已提交" in recent:
            # The backend renders the 起诉状 after the submit turn and then sends its link into the
            # conversation: wait for it here, so that it does not arrive in the middle of the next step.
            sent = widget.page.locator("#chat-log li.msg .bubble", has_text=f"{done.group(0)}的民事起诉状")
            expect(sent.first).to_contain_text("/download?", timeout=60_000)
            return done.group(0)
        if on_step:
            on_step(last)
        if "确认提交" in buttons:
            widget.click("确认提交")
        elif "民间借贷纠纷" in buttons:
            widget.click("民间借贷纠纷")
        elif "继续填写" in buttons:  # a draft from an earlier run: start afresh
            widget.click("重新填写")
        elif "是，我本人是原告" in buttons:
            widget.click("是，我本人是原告")
        elif "没有了" in buttons:  # 还有其他原告/被告吗
            widget.click("没有了")
        elif "北京市朝阳区人民法院" in buttons:  # the court suggested from the parties' places
            widget.click("北京市朝阳区人民法院")
        elif "同意调解" in buttons:
            widget.click("同意调解")
        elif "同意" in buttons:  # 电子送达
            widget.click("同意")
        elif "同上" in buttons:  # 送达 to the verified phone
            widget.click("同上")
        elif "民族" in last:  # 民族，职业: the plaintiff's own, or 不清楚 for a defendant
            widget.say("不清楚" if "被告" in last else "汉族，教师")
        elif "手机号码" in last and "发送了" not in last:
            widget.say(person["typed_phone"])
        elif "验证码" in last:
            widget.say(sms_code(stack, person["phone"]))
        elif "身份证号码" in last:
            widget.say(person["id_number"])
        elif "法定代表人" in last:
            widget.say("不清楚")
        elif "住所地" in last:
            widget.say("北京市朝阳区朝阳北路1号" if "被告" in last else "北京市朝阳区建国路88号")
        elif "哪家法院" in last:
            widget.say("朝阳法院")
        elif "被告" in last and ("是谁" in last or "名称" in last):
            widget.say("北京某某科技有限公司")
        elif "姓名" in last:
            widget.say(person["name"])
        elif "诉讼请求" in last:
            widget.say("判令被告归还借款伍万元")
        elif "标的额" in last:
            widget.say("5万")
        elif "证据" in last:
            widget.say("借条、银行转账记录")
        elif "事实与理由" in last:
            widget.say(FACTS)
        else:
            raise AssertionError(f"unexpected question: {last!r}")
    raise AssertionError("the filing was not submitted within 40 answers")
