"""Issue 14 over REST against the real stack: buttons that carry meaning, changes at the read-back,
consultation versus action, a restarted filing, and the SMS rate limit. The database is what counts."""
from __future__ import annotations

import random
import re

import requests

from deploy.stack import EMBEDDED_SMS_LIMITS

from tests.e2e.journeys import Filing, fill, verify
from tests.simulated.litigants import id_number


def _id(seed: int) -> str:
    """A valid ID number of this test's own: the backend keeps one name per ID number."""
    return id_number(random.Random(f"dialogue-{seed}"))


def _number(text: str) -> str:
    found = re.search(r"LA\d{14}", text)
    assert found, text
    return found.group(0)


def test_modify_button_asks_which_item_then_reads_back_and_submits(chat):
    summary = fill(chat, Filing(name="谢芳", id_number=_id(1), phone="13800138101"))
    buttons = {b["title"]: b["payload"] for r in chat.say("/deny") for b in r.get("buttons") or []}
    assert chat.text(chat.transcript[-1][1]).startswith("好的，请告诉我需要修改哪一项"), summary
    assert buttons["金额"] == '/inform{"field":"amount"}' and "修改" not in buttons
    assert "标的额" in chat.text(chat.say(buttons["金额"]))
    again = chat.text(chat.say("8万"))
    assert "请核对" in again and "80,000.00元" in again
    number = _number(chat.text(chat.say("/affirm")))
    assert chat.db("SELECT amount, status FROM filings WHERE number = ?", number) == [(8000000, "pending_review")]


def test_changes_in_free_words_at_the_read_back(chat):
    fill(chat, Filing(name="钱多多", id_number=_id(2), phone="13800138102", mediation="不同意",
                      defendants=[("高文", "北京市朝阳区朝阳北路1号")]))
    assert "诉前调解：同意" in chat.text(chat.say("我改主意了，同意诉前调解"))
    renamed = chat.text(chat.say("被告名字不对，应该是文静"))
    assert "被告：文静" in renamed and "被告：高文" not in renamed
    number = _number(chat.text(chat.say("确认提交")))
    assert chat.db("SELECT mediation_consent FROM filings WHERE number = ?", number) == [(1,)]
    assert chat.db("SELECT p.name, p.address FROM parties p JOIN filings f ON f.id = p.filing_id "
                   "WHERE f.number = ? AND p.role = 'defendant'", number) == [("文静", "北京市朝阳区朝阳北路1号")]


def test_a_filing_left_and_started_again_takes_the_litigants_own_name(chat):
    chat.say("我要立案")
    chat.say("民间借贷纠纷")
    verify(chat, "高明", _id(3), "13800138103")
    chat.say("是，我本人是原告")
    chat.say("汉族，教师")
    chat.say("北京市朝阳区建国路88号")
    chat.say("还有")
    assert "退出立案" in chat.text(chat.say("算了"))
    chat.say("我要立案")
    asked = chat.text(chat.say("民间借贷纠纷"))
    if "上次还有一份" in asked:
        asked = chat.text(chat.say("/deny"))
    asked = chat.text(chat.say("/affirm"))  # 是，我本人是原告
    assert "已经是原告" not in asked and "民族" in asked, asked  # the litigant's own next question


def test_where_to_sue_is_answered_not_a_filing_started(chat):
    answer = chat.text(chat.say("我在北京他在上海，我该去哪个法院告他"))
    assert "管辖" in answer and "在线提交立案申请" not in answer, answer


def test_only_consulting_leaves_the_filing_politely(chat):
    chat.say("我要立案")
    assert "退出立案" in chat.text(chat.say("我只是想咨询一下，不是要立案"))
    assert chat.db("SELECT count(*) FROM filings WHERE conversation_id = ?", chat.sender) == [(0,)]


def test_a_follow_up_with_a_filing_number_is_a_status_query(chat):
    fill(chat, Filing(name="文华", id_number=_id(4), phone="13800138104"))
    number = _number(chat.text(chat.say("确认提交")))
    answer = chat.text(chat.say(f"再帮我查一下 {number}"))
    assert number in answer and "待审核" in answer, answer


def test_the_sixth_sms_code_in_an_hour_says_when_and_does_not_ask_again_at_once(chat, stack):
    phone, number = "13800138105", _id(5)
    per_hour = int(EMBEDDED_SMS_LIMITS["COURT_SMS_PER_PHONE_HOUR"])  # production: 5
    for _ in range(per_hour):  # every code this hour allows, asked of the backend directly
        resp = requests.post(f"{stack.backend_url}/api/v1/identity/verify", timeout=10,
                             json={"name": "高峰", "id_number": number, "phone": phone})
        assert resp.status_code == 202, resp.text
    chat.say("查询进度")
    chat.say("高峰")
    chat.say(number)
    limited = chat.say(phone)
    text = chat.text(limited)
    assert "以后再试" in text and "请输入您本人的手机号码" not in text, text
    assert [b["payload"] for r in limited for b in r.get("buttons") or []] == ["/stop"]
    assert len(chat.db("SELECT id FROM sms_outbox WHERE phone = ?", phone)) == per_hour


def test_a_greeting_or_thanks_in_the_middle_of_a_form_keeps_the_question(chat):
    """Rasa's own rules would answer "请问有什么可以帮您？" and leave the question unasked; the form answers
    in a word and asks again, and the next answer is still taken (status form, then the filing form)."""
    assert "姓名" in chat.text(chat.say("查一下我的案子"))
    again = chat.text(chat.say("你好"))
    assert "我们接着" in again and "姓名" in again and "有什么可以帮您" not in again, again
    assert "身份证" in chat.text(chat.say("谢芳")), chat.transcript[-1]
    chat.say("/stop")
    chat.say("我要立案")
    asked = chat.text(chat.say("民间借贷纠纷"))
    again = chat.text(chat.say("谢谢啊"))
    assert "不客气" in again and "还有其他需要" not in again, again
    assert again.endswith(asked.splitlines()[-1]) or asked.splitlines()[-1] in again, (asked, again)
