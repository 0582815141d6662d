"""A litigant files a civil case in Chinese over REST; the filing is checked in the database.

No mocks: Rasa, the action server and the court backend run as processes, and the SMS code is
read from the development gateway's outbox table, as a litigant would read their phone.
"""
from __future__ import annotations

import re

import pytest

from bot.texts import inform
from tests.e2e.journeys import ID_NUMBER, Filing, file_case, fill, review, sms_code, verify

pytestmark = pytest.mark.e2e

def test_whole_filing_is_stored_exactly_and_can_be_looked_up(chat, stack):
    import requests

    replies = chat.say("我要立案")
    assert "案由" in chat.text(replies)
    assert any(b["title"] == "民间借贷纠纷" for r in replies for b in r.get("buttons", []))
    assert "实名认证" in chat.text(chat.say("借钱不还"))  # synonym → 民间借贷纠纷; identity comes next
    assert "身份证" in chat.text(chat.say("张三"))
    wrong = chat.text(chat.say("110105194912310021"))  # wrong check digit
    assert "校验" in wrong or "核对" in wrong
    assert "手机" in chat.text(chat.say(ID_NUMBER))
    assert "验证码" in chat.text(chat.say("138 0013 8000"))
    verified = chat.text(chat.say(sms_code(chat)))
    assert "认证成功" in verified and "原告本人" in verified
    assert "民族" in chat.text(chat.say("是，我本人是原告"))  # 性别、出生 come from the ID number
    assert "住所地" in chat.text(chat.say("汉族，退休教师"))
    assert "其他原告" in chat.text(chat.say("北京市朝阳区建国路88号"))
    assert "被告" in chat.text(chat.say("没有了"))
    assert "法定代表人" in chat.text(chat.say("北京某某科技有限公司"))  # an organisation
    assert "住所地" in chat.text(chat.say("不清楚"))  # a defendant's 法定代表人 may be unknown
    assert "其他被告" in chat.text(chat.say("北京市海淀区中关村大街1号"))
    assert "被告" in chat.text(chat.say("还有"))
    assert "民族" in chat.text(chat.say("李四"))  # a person: what else the plaintiff knows, 不清楚 allowed
    assert "住所地" in chat.text(chat.say("不清楚"))
    chat.say("北京市朝阳区朝阳北路1号")
    court_question = chat.say("没有了")
    # The court is suggested from the case type and the parties' places, with its legal basis.
    assert "第二十二条" in chat.text(court_question) or "第二十四条" in chat.text(court_question)
    titles = [b["title"] for r in court_question for b in r.get("buttons", [])]
    assert "北京市朝阳区人民法院" in titles and "北京市海淀区人民法院" in titles
    assert "诉讼请求" in chat.text(chat.say("北京市朝阳区人民法院"))
    # Two claims with amounts: the amount in dispute is their sum and is not asked again.
    assert "证据" in chat.text(chat.say("1.判令二被告归还借款5万元；2.支付利息3000元；3.诉讼费由被告承担"))
    assert "事实与理由" in chat.text(chat.say("借条、银行转账记录和微信聊天记录"))
    assert "调解" in chat.text(chat.say("2023年3月被告向我借款5万元，约定半年归还，至今一分未还。"))
    assert "电子送达" in chat.text(chat.say("同意调解"))
    assert "138****8000" in chat.text(chat.say("同意"))
    summary = chat.text(chat.say("同上"))
    for expected in ("53,000.00元", "北京市朝阳区人民法院", "被告1：北京某某科技有限公司", "被告2：李四",
                     "原告：张三（女，1949年12月出生，汉族，退休教师",
                     "证据：借条、银行转账记录、微信聊天记录", "诉前调解：同意", "预计诉讼费"):
        assert expected in summary, expected
    assert ID_NUMBER not in summary and "110***********002X" in summary  # masked in the read-back

    done_replies = chat.say("确认提交")
    done = chat.text(done_replies)
    number = re.search(r"LA\d{14}", done).group(0)
    assert "七日内" in done

    filing = chat.db(
        "SELECT status, case_type, court_code, court_name, amount, facts, conversation_id, channel, "
        "mediation_consent, e_service_consent, e_service_address FROM filings WHERE number = ?", number)
    assert filing == [("pending_review", "民间借贷纠纷", "京0105", "北京市朝阳区人民法院", 5300000,
                       "2023年3月被告向我借款5万元，约定半年归还，至今一分未还。", chat.sender, "rest",
                       1, 1, "13800138000")]
    parties = chat.db("SELECT p.role, p.kind, p.name, p.id_number, p.phone, p.address FROM parties p JOIN filings f "
                      "ON f.id = p.filing_id WHERE f.number = ? ORDER BY position", number)
    assert parties == [("plaintiff", "person", "张三", ID_NUMBER, "13800138000", "北京市朝阳区建国路88号"),
                       ("defendant", "organisation", "北京某某科技有限公司", None, None, "北京市海淀区中关村大街1号"),
                       ("defendant", "person", "李四", None, None, "北京市朝阳区朝阳北路1号")]
    assert chat.db("SELECT p.ethnicity, p.occupation, p.sex FROM parties p JOIN filings f ON f.id = p.filing_id "
                   "WHERE f.number = ? ORDER BY position", number) == [("汉族", "退休教师", "女"), (None, None, None),
                                                                     (None, None, None)]
    claims = chat.db("SELECT c.text, c.amount FROM claims c JOIN filings f ON f.id = c.filing_id WHERE f.number = ? "
                     "ORDER BY c.position", number)
    assert claims == [("判令二被告归还借款5万元", 5000000), ("支付利息3000元", 300000), ("诉讼费由被告承担", None)]

    # The submit turn does not wait for the complaint (起诉状): it says it follows, and the backend
    # sends its link into the conversation once rendered and attached as the lead document.
    assert "起诉状正在制作" in done and "/download?" not in done
    sent = chat.delivered(number)
    assert "民事起诉状" in sent
    link = re.search(r"https?://\S+/download\?\S+", sent)
    assert link, sent
    pdf = requests.get(link.group(0), timeout=30)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"].startswith("application/pdf")
    assert pdf.content.startswith(b"%PDF")
    assert chat.db("SELECT d.kind, d.filename FROM documents d JOIN filings f ON f.id = d.filing_id "
                   "WHERE f.number = ?", number) == [("lead", "起诉状.pdf")]

    status = chat.text(chat.say(f"查一下我的立案申请 {number}"))
    assert number in status and "待审核" in status


def test_stop_before_identity_stores_nothing(chat):
    before = chat.db("SELECT count(*) FROM filings")[0][0]
    chat.say("我想起诉")
    chat.say("买卖合同纠纷")
    chat.say("李雷")
    assert "身份证" in chat.text(chat.say("19990230"))  # not an ID number: explained, asked again
    chat.say(ID_NUMBER)
    stopped = chat.text(chat.say("算了"))
    assert "退出" in stopped and "草稿" not in stopped
    assert chat.db("SELECT count(*) FROM filings")[0][0] == before
    assert chat.db("SELECT count(*) FROM filings WHERE conversation_id = ?", chat.sender) == [(0,)]
    # The form is gone: a name now is not taken as an answer to a filing question.
    assert "退出" not in chat.text(chat.say("你好"))


def test_a_half_finished_filing_is_kept_as_a_draft_and_offered_on_return(chat, stack):
    from tests.e2e.conftest import Chat

    chat.say("我要立案")
    chat.say("房屋租赁合同纠纷")
    verify(chat, "钱十一", "440524188001010030", "13300133000")
    chat.say("是")
    chat.say("汉族，个体户")
    chat.say("广州市天河区体育西路191号")
    chat.say("没有了")
    chat.say("孙十二")
    stopped = chat.text(chat.say("算了，下次再弄"))
    assert "草稿" in stopped
    assert chat.db("SELECT count(*) FROM filings WHERE conversation_id = ?", chat.sender) == [(0,)]

    later = Chat(stack)  # another day, another conversation: the same litigant comes back
    later.say("我要立案")
    later.say("房屋租赁合同纠纷")
    offered = verify(later, "钱十一", "440524188001010030", "13300133000")
    assert "上次还有一份" in offered and "孙十二" in offered
    resumed = later.text(later.say("继续填写"))
    assert "恢复" in resumed and "民族" in resumed  # the first unanswered question: what else about 孙十二
    later.say("不清楚")
    later.say("广州市越秀区中山五路1号")
    later.say("没有了")
    later.say("广州市越秀区人民法院")
    later.say("判令被告返还押金6000元")
    for text in ("租赁合同、押金收据", "2025年租住被告房屋，退租后被告拒不退还押金6000元。", "不同意", "不同意"):
        summary = later.text(later.say(text))
    assert "原告：钱十一" in summary and "被告：孙十二" in summary and "6,000.00元" in summary
    number = re.search(r"LA\d{14}", later.text(later.say("确认提交"))).group(0)
    assert number
    assert later.db("SELECT count(*) FROM filing_drafts d JOIN litigants l ON l.id = d.litigant_id "
                    "WHERE l.id_number = '440524188001010030'") == [(0,)]  # submitted: the draft is gone


def test_correcting_the_amount_at_the_read_back(chat):
    summary = fill(chat, Filing(claims="请求判令被告还钱", amount="5万"))
    assert "50,000.00元" in summary
    corrected = chat.text(chat.say("不对，金额是8万"))
    assert "80,000.00元" in corrected
    number = re.search(r"LA\d{14}", chat.text(chat.say("确认"))).group(0)
    assert chat.db("SELECT amount FROM filings WHERE number = ?", number) == [(8000000,)]


def test_correcting_a_defendant_asks_for_the_defendants_again(chat):
    summary = fill(chat, Filing(defendants=[("李四", "北京市朝阳区朝阳北路1号")]))
    assert "被告：李四" in summary
    assert "被告" in chat.text(chat.say("被告名字写错了"))
    chat.say("李思")
    chat.say("回族，司机")
    chat.say("北京市朝阳区朝阳北路1号")
    summary = chat.text(chat.say("没有了"))
    assert "被告：李思" in summary and "李四" not in summary
    number = re.search(r"LA\d{14}", chat.text(chat.say("确认提交"))).group(0)
    assert chat.db("SELECT p.name FROM parties p JOIN filings f ON f.id = p.filing_id "
                   "WHERE f.number = ? AND p.role = 'defendant'", number) == [("李思",)]


def test_logs_never_hold_an_unmasked_id_or_phone_number(chat, stack):
    test_whole_filing_is_stored_exactly_and_can_be_looked_up(chat, stack)
    logs = {name: path.read_text(encoding="utf-8", errors="replace") for name, path in stack.logs.items()}
    assert "110***********002X" in logs["rasa"] or "110***********002X" in logs["actions"]  # it was logged, masked
    for name, text in logs.items():
        assert ID_NUMBER not in text, name
        assert "13800138000" not in text, name


def test_filing_for_someone_else_keeps_the_filer_and_the_plaintiff_apart(chat):
    chat.say("帮我家老人立个案")
    chat.say("民间借贷纠纷")
    verify(chat, "王小明", "440524188001010057", "13912345678")
    assert "原告" in chat.text(chat.say("不是，我代他人起诉"))
    chat.say("张三")
    assert "民族" in chat.text(chat.say(ID_NUMBER))
    assert "手机" in chat.text(chat.say("汉族，退休"))
    chat.say("13800138000")
    chat.say("北京市朝阳区建国路88号")
    chat.say("没有了")
    chat.say("李四")
    chat.say("不清楚")
    chat.say("北京市朝阳区朝阳北路1号")
    chat.say("没有了")
    chat.say("朝阳法院")
    chat.say("判令被告归还借款3万元")
    chat.say("暂无")
    chat.say("2022年被告借款3万元，多次催要未还，特此起诉。")
    chat.say("不同意")
    summary = chat.text(chat.say("不同意"))
    assert "原告：张三" in summary and "30,000.00元" in summary and "证据：暂无" in summary
    number = re.search(r"LA\d{14}", chat.text(chat.say("确认提交"))).group(0)
    plaintiff = chat.db("SELECT p.name, p.id_number FROM parties p JOIN filings f ON f.id = p.filing_id "
                        "WHERE f.number = ? AND p.role = 'plaintiff'", number)
    assert plaintiff == [("张三", ID_NUMBER)]
    filer = chat.db("SELECT l.name FROM litigants l JOIN filings f ON f.litigant_id = l.id WHERE f.number = ?", number)
    assert filer == [("王小明",)]


def test_someone_elses_filing_number_answers_like_a_missing_one(chat, stack):
    from tests.e2e.conftest import Chat

    owner = Chat(stack)
    number = file_case(owner, Filing(case_type="劳动争议", defendants=[("北京某某餐饮有限公司", "北京市朝阳区三里屯路1号")],
                                     claims="判令被告支付工资2万元",
                                     facts="2024年在被告处工作，被拖欠工资两个月共2万元。"))
    chat.say("查一下立案进度")
    verify(chat, "王小明", "440524188001010057", "13912345678")
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
    import requests

    number = file_case(chat, Filing(name="赵六", id_number="440524188001010073", phone="13700137000",
                                    defendants=[("孙七", "北京市朝阳区朝阳北路7号")], claims="判令被告归还借款10万元",
                                    facts="2023年5月被告借款10万元，到期未还，多次催讨无果。"))
    assert "没有待缴纳" in chat.text(chat.say("我要交诉讼费"))  # not docketed yet: nothing to pay
    review(stack, number, {"decision": "accept"})  # a clerk accepts it: the case is docketed

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
    number = file_case(chat, Filing(case_type="买卖合同纠纷", name="周八", id_number="44052418800101009X",
                                    phone="13600136000", defendants=[("吴九", "北京市朝阳区朝阳北路9号")],
                                    claims="判令被告支付货款2万元", facts="2024年1月向被告供货，货款2万元至今未付。"))

    offer = chat.say("我不想告了，把立案申请撤回")
    assert any(b["payload"] == inform("filing_id", number) for r in offer for b in r.get("buttons", []))
    assert "确定要撤回" in chat.text(chat.say(number))
    assert "已撤回" in chat.text(chat.say("确认"))
    assert chat.db("SELECT status FROM filings WHERE number = ?", number) == [("withdrawn",)]


def test_asking_for_a_person_opens_a_ticket(chat):
    chat.say("转人工")
    assert "问题" in verify(chat, "郑十", "440524188001010110", "13500135000")
    done = chat.text(chat.say("我的案子材料寄丢了，想问问能不能补交"))
    ticket = re.search(r"RG[0-9A-F]{16}", done).group(0)
    assert chat.db("SELECT status, question, conversation_id FROM tickets WHERE public_id = ?", ticket) == [
        ("open", "我的案子材料寄丢了，想问问能不能补交", chat.sender)]


def test_a_correction_request_is_answered_item_by_item_in_the_chat(chat, stack):
    number = file_case(chat, Filing(name="冯十三", id_number="440524188001010137", phone="13200132000"))
    review(stack, number, {"decision": "correct",
                           "items": ["请补充被告的联系电话", "事实与理由部分请补充借款的具体日期"]})
    listing = chat.text(chat.say("法院让我补正，怎么弄"))
    # Every item at once (一次性告知), then the first one.
    assert "请补充被告的联系电话" in listing and "借款的具体日期" in listing, listing
    asked = chat.text(chat.say("13700001111"))
    assert "第2项" in asked, asked
    summary = chat.text(chat.say("借款日期是2023年3月1日，当天通过银行转账。"))
    assert "确认提交" in summary and "137****1111" in summary, summary
    done = chat.text(chat.say("确认提交"))
    assert "待审核" in done, done
    assert chat.db("SELECT status FROM filings WHERE number = ?", number) == [("pending_review",)]
    assert chat.db("SELECT p.phone FROM parties p JOIN filings f ON f.id = p.filing_id "
                   "WHERE f.number = ? AND p.role = 'defendant'", number) == [("13700001111",)]
    facts = chat.db("SELECT facts FROM filings WHERE number = ?", number)[0][0]
    assert "2023年3月1日" in facts


def test_fee_relief_applied_for_with_the_filing(chat):
    """交不起诉讼费 during the filing: the general answer, then kind and ground before the read-back (办法第四十八条)."""
    fill(chat, Filing(defendants=[("李四", "北京市朝阳区朝阳北路1号")]))
    asked = chat.text(chat.say("我是低保户"))
    assert "缓交" in asked and "申请哪一种" in asked, asked
    grounds = chat.text(chat.say("免交"))
    assert "第四十五条" in grounds and "最低生活保障" in grounds
    summary = chat.text(chat.say("3"))
    assert "司法救助：申请免交，最低生活保障对象" in summary, summary
    done = chat.text(chat.say("确认提交"))
    number = re.search(r"LA\d{14}", done).group(0)
    assert "上传证据" in done and "经济困难" in done
    stored = chat.db("SELECT fee_relief FROM filings WHERE number = ?", number)[0][0]
    assert '"kind": "waiver"' in stored and '"status": "applied"' in stored
