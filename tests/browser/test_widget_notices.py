"""Court notices served while the litigant's page was closed: shown once when they come back.

Rasa appends a delivered notice to the conversation and pushes it over socket.io to whoever is
connected — nobody, when the page is closed — and replays nothing on reconnection. The widget
asks the court backend for the conversation's notices on load and on every connection, shows the
ones it has not shown (marked 未读, announced in a live region) and never shows one twice: not
after a reload, and not when the same notice was pushed live while the page was open.
"""
from __future__ import annotations

import re
import time

import pytest
import requests
from playwright.sync_api import Page, expect

from browserkit import Widget, db, verified_token

pytestmark = pytest.mark.e2e

ZHAO = {"name": "赵六", "id_number": "110101199003070011", "phone": "13600136000"}
NOTICES_PATH = "/api/v1/conversations/notices"


def session_of(page: Page) -> str:
    return page.evaluate("localStorage.getItem('court.chat.session')")


def wait_until_sent(stack, conversation: str, kinds: list[str], timeout: float = 30.0) -> None:
    """The delivery job has handed these notices to Rasa (status sent)."""
    deadline = time.monotonic() + timeout
    while True:
        rows = db(stack, "SELECT kind FROM conversation_deliveries WHERE conversation_id = ? AND status = 'sent' "
                         "ORDER BY id", conversation)
        if [r[0] for r in rows] == kinds:
            return
        assert time.monotonic() < deadline, f"deliveries of {conversation}: {rows}"
        time.sleep(0.3)


def open_widget(page: Page, url: str) -> list:
    """Open the page and wait until it is connected and has asked for notices twice (on load and on
    connecting), so that a notice shown twice would be on the page by then."""
    answered: list = []
    page.on("response", lambda r: answered.append(r.status) if r.url.endswith(NOTICES_PATH) else None)
    page.goto(url)
    expect(page.locator("#chat-status")).to_have_class(re.compile(r"\bok\b"), timeout=60_000)
    deadline = time.monotonic() + 15
    while len(answered) < 2:
        assert time.monotonic() < deadline, f"notices asked {len(answered)} times"
        page.wait_for_timeout(100)
    assert set(answered) == {200}
    return answered


def test_a_notice_served_while_the_page_was_closed_is_shown_once_when_it_reopens(stack, clerk, open_page):
    page = open_page("litigant", viewport={"width": 1280, "height": 860})
    context = page.context
    page.goto(stack.backend_url + "/")
    widget = Widget(page)
    widget.greeted()
    assert widget.say("诉讼费怎么算")
    conversation = session_of(page)

    # The filing the action server would make for this conversation.
    token = verified_token(stack, ZHAO, conversation)
    filing = requests.post(f"{stack.backend_url}/api/v1/filings", timeout=10, headers={
        "Authorization": f"Bearer {token}"}, json={
        "case_type": "民间借贷纠纷", "court_code": "京0105",
        "parties": [{"role": "plaintiff", "kind": "person", **{k: ZHAO[k] for k in ("name", "id_number", "phone")}},
                    {"role": "defendant", "kind": "organisation", "name": "北京某某科技有限公司",
                     "address": "北京市朝阳区朝阳北路1号"}],
        "claims": [{"text": "判令被告归还借款5万元", "amount": "50000"}],
        "facts": "2023年3月被告向原告借款5万元，至今未还。", "channel": "socketio", "conversation_id": conversation})
    assert filing.status_code == 201, filing.text
    number = filing.json()["id"]
    # The generated 起诉状 follows the answer: its link is pushed live while the page is open.
    live = page.locator("#chat-log li.msg.notice", has_text="【起诉状已生成】")
    expect(live).to_have_count(1, timeout=60_000)
    wait_until_sent(stack, conversation, ["complaint_ready"])
    page.close()  # the litigant leaves

    # The clerk dockets: the 立案通知 and the 交纳诉讼费用通知 are served into the conversation,
    # and nobody is connected to receive the push.
    username, password = clerk
    staff = requests.post(f"{stack.backend_url}/api/v1/staff/session", timeout=10,
                          json={"username": username, "password": password}).json()["token"]
    decided = requests.post(f"{stack.backend_url}/api/v1/staff/filings/{number}/review", json={"decision": "accept"},
                            headers={"Authorization": f"Bearer {staff}"}, timeout=10)
    assert decided.status_code == 200, decided.text
    case = decided.json()["case"]
    wait_until_sent(stack, conversation, ["complaint_ready", "docketed", "fee_notice_issued"])

    # The litigant comes back: the same conversation, what they said, and each notice once, unread.
    page = context.new_page()
    open_widget(page, stack.backend_url + "/")
    assert session_of(page) == conversation
    expect(page.locator("#chat-log li.msg.user .bubble", has_text="诉讼费怎么算")).to_have_count(1)
    notices = page.locator("#chat-log li.msg.notice")
    expect(notices).to_have_count(3)  # the 起诉状 link seen live, once, then the two served while away
    expect(notices.nth(0)).to_contain_text(f"【起诉状已生成】您的立案申请{number}")
    expect(notices.nth(1)).to_contain_text("【立案通知】")
    expect(notices.nth(1)).to_contain_text(case["case_number"])
    expect(notices.nth(2)).to_contain_text("【交纳诉讼费用通知】")
    expect(notices.nth(2)).to_contain_text("1,050.00元")
    expect(notices.nth(2)).to_contain_text("您可以回复“缴费”在线缴纳")
    expect(page.locator("#chat-log li.msg.notice.unread .badge")).to_have_count(2)
    expect(notices.nth(1).locator(".who")).to_contain_text("法院通知 · 送达于")
    announce = page.locator("#chat-announce")
    expect(announce).to_have_attribute("aria-live", "polite")
    expect(announce).to_have_text("您有2条未读的法院通知：【立案通知】【交纳诉讼费用通知】，已显示在对话记录末尾。")

    # A reload shows them from the page's own history, still once each, and announces nothing new.
    page.reload()
    open_widget(page, stack.backend_url + "/")
    expect(notices).to_have_count(3)
    expect(page.locator("#chat-announce")).to_have_text("")

    # Paying while the page is open: the confirmation is pushed live, then a reload keeps it once.
    order = requests.post(f"{stack.backend_url}/api/v1/payments", timeout=10, headers={
        "Authorization": f"Bearer {token}"}, json={"fee_notice_id": case["fee_notices"][0]["id"]})
    assert order.status_code == 201, order.text
    order_no = order.json()["order_no"]
    paid = requests.post(f"{stack.backend_url}/dev/pay/{order_no}", timeout=10)
    assert paid.status_code == 200, paid.text
    expect(notices).to_have_count(4, timeout=20_000)
    expect(notices.nth(3)).to_contain_text(f"【缴费确认】收到您缴纳的诉讼费1,050.00元，订单号{order_no}，谢谢。")
    wait_until_sent(stack, conversation, ["complaint_ready", "docketed", "fee_notice_issued", "fee_paid"])
    page.reload()
    open_widget(page, stack.backend_url + "/")
    expect(notices).to_have_count(4)
    expect(page.locator("#chat-log li.msg.notice", has_text="【缴费确认】")).to_have_count(1)

    # Writing again marks the notices read.
    Widget(page).say("谢谢")
    expect(page.locator("#chat-log .badge")).to_have_count(0)
