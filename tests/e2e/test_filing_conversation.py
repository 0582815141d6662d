"""A litigant files a civil case in Chinese over REST; the filing is checked in the database.

No mocks: Rasa, the action server and the court backend run as processes, and the SMS code is
read from the development gateway's outbox table, as a litigant would read their phone.
"""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e

ID_NUMBER = "11010519491231002X"


def sms_code(chat, phone: str = "13800138000") -> str:
    rows = chat.db("SELECT text FROM sms_outbox WHERE phone = ? ORDER BY id DESC LIMIT 1", phone)
    assert rows, "no SMS code was sent"
    return re.search(r"\d{6}", rows[0][0]).group(0)


def test_whole_filing_is_stored_exactly_and_can_be_looked_up(chat):
    replies = chat.say("我要立案")
    assert "案由" in chat.text(replies)
    assert any(b["title"] == "民间借贷纠纷" for r in replies for b in r.get("buttons", []))

    assert "法院" in chat.text(chat.say("民间借贷纠纷"))
    assert "实名认证" in chat.text(chat.say("朝阳法院"))
    assert "身份证" in chat.text(chat.say("张三"))

    wrong = chat.text(chat.say("110105194912310021"))  # wrong check digit
    assert "校验" in wrong or "核对" in wrong
    assert "手机" in chat.text(chat.say(ID_NUMBER))
    assert "验证码" in chat.text(chat.say("138 0013 8000"))
    verified = chat.say(sms_code(chat))
    assert "认证成功" in chat.text(verified) and "原告本人" in chat.text(verified)
    assert "被告" in chat.text(chat.say("是，我本人是原告"))

    assert "诉讼请求" in chat.text(chat.say("北京某某科技有限公司"))
    # The claim states the amount, so the form does not ask for it again.
    assert "事实与理由" in chat.text(chat.say("判令被告归还借款伍万元"))
    summary = chat.text(chat.say("2023年3月被告向我借款5万元，约定半年归还，至今一分未还。"))
    assert "50,000.00元" in summary and "北京市朝阳区人民法院" in summary
    assert ID_NUMBER not in summary and "110***********002X" in summary  # masked in the read-back

    done = chat.text(chat.say("确认提交"))
    number = re.search(r"LA\d{14}", done).group(0)
    assert "七日内" in done

    filing = chat.db(
        "SELECT status, case_type, court_code, court_name, amount, facts, conversation_id, channel "
        "FROM filings WHERE number = ?", number)
    assert filing == [("pending_review", "民间借贷纠纷", "京0105", "北京市朝阳区人民法院", 5000000,
                       "2023年3月被告向我借款5万元，约定半年归还，至今一分未还。", chat.sender, "rest")]
    parties = chat.db("SELECT p.role, p.kind, p.name, p.id_number, p.phone FROM parties p JOIN filings f "
                      "ON f.id = p.filing_id WHERE f.number = ? ORDER BY position", number)
    assert parties == [("plaintiff", "person", "张三", ID_NUMBER, "13800138000"),
                       ("defendant", "organisation", "北京某某科技有限公司", None, None)]
    claims = chat.db("SELECT c.text, c.amount FROM claims c JOIN filings f ON f.id = c.filing_id WHERE f.number = ?",
                     number)
    assert claims == [("判令被告归还借款伍万元", 5000000)]

    status = chat.text(chat.say(f"查一下我的立案申请 {number}"))
    assert number in status and "待审核" in status


def test_correction_then_stop_halfway_stores_nothing(chat):
    before = chat.db("SELECT count(*) FROM filings")[0][0]
    chat.say("我想起诉")
    chat.say("买卖合同纠纷")
    chat.say("朝阳法院")
    chat.say("李雷")
    assert "身份证" in chat.text(chat.say("19990230"))  # not an ID number: explained, asked again
    chat.say(ID_NUMBER)
    stopped = chat.text(chat.say("算了"))
    assert "退出" in stopped
    assert chat.db("SELECT count(*) FROM filings")[0][0] == before
    assert chat.db("SELECT count(*) FROM filings WHERE conversation_id = ?", chat.sender) == [(0,)]
    # The form is gone: a name now is not taken as an answer to a filing question.
    assert "退出" not in chat.text(chat.say("你好"))


def test_correcting_the_amount_at_the_read_back(chat):
    for text in ["我要立案", "民间借贷纠纷", "朝阳法院", "张三", ID_NUMBER, "13800138000"]:
        chat.say(text)
    chat.say(sms_code(chat))
    chat.say("是的")
    chat.say("李四")
    chat.say("请求判令被告还钱")
    chat.say("5万")
    summary = chat.text(chat.say("2023年3月被告向我借款5万元，约定半年归还，至今未还。"))
    assert "50,000.00元" in summary
    corrected = chat.text(chat.say("不对，金额是8万"))
    assert "80,000.00元" in corrected
    number = re.search(r"LA\d{14}", chat.text(chat.say("确认"))).group(0)
    assert chat.db("SELECT amount FROM filings WHERE number = ?", number) == [(8000000,)]


def test_logs_never_hold_an_unmasked_id_or_phone_number(chat, stack):
    test_whole_filing_is_stored_exactly_and_can_be_looked_up(chat)
    logs = {name: path.read_text(encoding="utf-8", errors="replace") for name, path in stack.logs.items()}
    assert "110***********002X" in logs["rasa"] or "110***********002X" in logs["actions"]  # it was logged, masked
    for name, text in logs.items():
        assert ID_NUMBER not in text, name
        assert "13800138000" not in text, name


def test_filing_for_someone_else_keeps_the_filer_and_the_plaintiff_apart(chat):
    for text in ["帮我家老人立个案", "民间借贷纠纷", "朝阳法院", "王小明", "440524188001010014", "13912345678"]:
        chat.say(text)
    chat.say(sms_code(chat, "13912345678"))
    assert "原告" in chat.text(chat.say("不是，我代他人起诉"))
    chat.say("张三")
    chat.say(ID_NUMBER)
    chat.say("13800138000")
    chat.say("李四")
    chat.say("判令被告归还借款3万元")
    summary = chat.text(chat.say("2022年被告借款3万元，多次催要未还，特此起诉。"))
    assert "原告：张三" in summary and "30,000.00元" in summary
    number = re.search(r"LA\d{14}", chat.text(chat.say("确认提交"))).group(0)
    plaintiff = chat.db("SELECT p.name, p.id_number FROM parties p JOIN filings f ON f.id = p.filing_id "
                        "WHERE f.number = ? AND p.role = 'plaintiff'", number)
    assert plaintiff == [("张三", ID_NUMBER)]
    filer = chat.db("SELECT l.name FROM litigants l JOIN filings f ON f.litigant_id = l.id WHERE f.number = ?", number)
    assert filer == [("王小明",)]


def test_someone_elses_filing_number_answers_like_a_missing_one(chat, stack):
    from tests.e2e.conftest import Chat

    owner = Chat(stack)
    for text in ["我要立案", "劳动争议", "朝阳法院", "张三", ID_NUMBER, "13800138000"]:
        owner.say(text)
    owner.say(sms_code(owner))
    for text in ["是", "北京某某餐饮有限公司", "判令被告支付工资2万元", "2024年在被告处工作，被拖欠工资两个月共2万元。"]:
        owner.say(text)
    number = re.search(r"LA\d{14}", owner.text(owner.say("确认提交"))).group(0)

    for text in ["查一下立案进度", "王小明", "440524188001010014", "13912345678"]:
        chat.say(text)
    chat.say(sms_code(chat, "13912345678"))
    theirs = chat.text(chat.say(number))
    missing = chat.text(chat.say("查询进度 LA20200101999999"))
    assert "没有查到" in theirs and "没有查到" in missing
    assert theirs.replace(number, "N") == missing.replace("LA20200101999999", "N")


def test_fee_questions_are_answered_with_the_figure_and_its_article(chat):
    answer = chat.text(chat.say("标的10万要交多少诉讼费"))
    assert "2,300.00元" in answer and "第十三条" in answer and "减半" in answer
    asked = chat.text(chat.say("离婚官司诉讼费咋算"))
    assert "50.00元至300.00元" in asked


def test_docketed_case_fee_is_paid_through_the_dev_provider(chat, stack):
    import subprocess

    import requests

    from bot.stack import COURT_PYTHON, ROOT

    for text in ["我要立案", "民间借贷纠纷", "朝阳法院", "赵六", "440524188001010014", "13700137000"]:
        chat.say(text)
    chat.say(sms_code(chat, "13700137000"))
    for text in ["是", "孙七", "判令被告归还借款10万元", "2023年5月被告借款10万元，到期未还，多次催讨无果。"]:
        chat.say(text)
    number = re.search(r"LA\d{14}", chat.text(chat.say("确认提交"))).group(0)
    assert "没有待缴纳" in chat.text(chat.say("我要交诉讼费"))  # not docketed yet: nothing to pay

    # A clerk of the court accepts the filing through the backend API: the case is docketed.
    subprocess.run([str(COURT_PYTHON), "-m", "court", "create-staff", "--username", "clerk-e2e", "--name", "书记员",
                    "--role", "clerk", "--court", "京0105", "--password-stdin"], input="Clerk-pass-2026\n", text=True,
                   cwd=ROOT, env={**__import__("os").environ, "COURT_DATABASE_URL": stack.database_url}, check=True)
    api = stack.backend_url + "/api/v1"
    staff = requests.post(f"{api}/staff/session", json={"username": "clerk-e2e", "password": "Clerk-pass-2026"},
                          timeout=10).json()["token"]
    accepted = requests.post(f"{api}/staff/filings/{number}/review", json={"decision": "accept"},
                             headers={"Authorization": f"Bearer {staff}"}, timeout=10)
    assert accepted.status_code == 200, accepted.text

    link = chat.text(chat.say("我要交诉讼费"))
    assert "2,300.00元" in link and "第二十二条" in link  # 10万元 → 2,300元 (art. 13)
    pay_url = re.search(r"https?://\S+/dev/pay/(\S+)", link)
    assert pay_url, link
    assert "还没有收到付款" in chat.text(chat.say("已支付"))
    paid = requests.post(f"{stack.backend_url}/dev/pay/{pay_url.group(1)}", timeout=10)  # the provider's 确认支付
    assert paid.status_code == 200
    assert "已收到您缴纳的诉讼费2,300.00元" in chat.text(chat.say("已支付"))
    assert chat.db("SELECT n.status FROM fee_notices n JOIN cases c ON c.id = n.case_id JOIN filings f "
                   "ON f.id = c.filing_id WHERE f.number = ?", number) == [("paid",)]


def test_withdrawing_a_filing_needs_confirmation(chat):
    for text in ["我要立案", "买卖合同纠纷", "朝阳法院", "周八", "440524188001010014", "13600136000"]:
        chat.say(text)
    chat.say(sms_code(chat, "13600136000"))
    for text in ["是", "吴九", "判令被告支付货款2万元", "2024年1月向被告供货，货款2万元至今未付。"]:
        chat.say(text)
    number = re.search(r"LA\d{14}", chat.text(chat.say("确认提交"))).group(0)

    offer = chat.say("我不想告了，把立案申请撤回")
    assert any(b["payload"] == number for r in offer for b in r.get("buttons", []))
    assert "确定要撤回" in chat.text(chat.say(number))
    assert "已撤回" in chat.text(chat.say("确认"))
    assert chat.db("SELECT status FROM filings WHERE number = ?", number) == [("withdrawn",)]


def test_asking_for_a_person_opens_a_ticket(chat):
    for text in ["转人工", "郑十", "440524188001010014", "13500135000"]:
        chat.say(text)
    assert "问题" in chat.text(chat.say(sms_code(chat, "13500135000")))
    done = chat.text(chat.say("我的案子材料寄丢了，想问问能不能补交"))
    ticket = re.search(r"RG[0-9A-F]{16}", done).group(0)
    assert chat.db("SELECT status, question, conversation_id FROM tickets WHERE public_id = ?", ticket) == [
        ("open", "我的案子材料寄丢了，想问问能不能补交", chat.sender)]
