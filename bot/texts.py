"""Everything the action server says to a litigant, in one place, in polite Chinese (您).

One home for the litigant's words, so that a reviewer can read every sentence the bot says from
Python here (the domain's `utter_*` responses are in domain.yml). One convention: a sentence is a
`str`, a template filled with `str.format`; buttons are a `list[Button]`; a form question, which
always comes with its buttons, is a `Message`. Buttons whose meaning must not depend on the NLU
model carry intent payloads ("/affirm"). A reader's explanation of why an answer cannot be taken
(bot/readers/, court/rules/) stays beside the rule it explains. Sections by journey.

Form questions live here rather than as `utter_ask_*` domain responses: Rasa 3.6's validator
counts a response that no story names as a warning, and `rasa data validate` must pass clean.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

Button = dict[str, str]


@dataclass(frozen=True)
class Message:
    """A form question and its buttons, as `dispatcher.utter_message(**QUESTIONS[slot].kwargs())` takes them."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)

    def kwargs(self, **values: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text.format(**values)}
        if self.buttons:
            out["buttons"] = self.buttons
        return out


def inform(entity: str, value: str) -> str:
    """An intent payload that carries its value: `/inform{"court":"北京市朝阳区人民法院"}`; the policies
    and validators read the entity, never the button's words (issue 14)."""
    return "/inform" + json.dumps({entity: value}, ensure_ascii=False, separators=(",", ":"))


def _informs(entity: str, *titles: str) -> list[dict[str, str]]:
    return [{"title": t, "payload": inform(entity, t)} for t in titles]


def _yes_no(yes: str, no: str) -> list[dict[str, str]]:
    """Yes/no buttons carry the intent itself, so a tap is never misread by the NLU."""
    return [{"title": yes, "payload": "/affirm"}, {"title": no, "payload": "/deny"}]


QUESTIONS: dict[str, Message] = {
    "case_type": Message(
        "请问您的纠纷属于哪一类（案由）？可以从下面的选项中选择，也可以直接输入。",
        _informs("case_type", "民间借贷纠纷", "买卖合同纠纷", "房屋租赁合同纠纷", "机动车交通事故责任纠纷", "离婚纠纷", "劳动争议"),
    ),
    "identity_name": Message("为保护您的信息安全，需要先进行实名认证。请问您的姓名是？"),
    "identity_id_number": Message("请输入您本人的18位居民身份证号码。"),
    "identity_phone": Message("请输入您本人的手机号码，我们会发送短信验证码。"),
    "filer_is_plaintiff": Message(
        "请问您是以原告本人身份起诉吗？",
        _yes_no("是，我本人是原告", "不是，代他人起诉"),
    ),
    "plaintiff_name": Message("请问原告的姓名是？原告是单位的，请输入单位全称。"),
    "plaintiff_id_number": Message("请输入原告的18位居民身份证号码。"),
    "plaintiff_representative": Message("请问原告单位的法定代表人（或主要负责人）姓名和职务是？例如“王五，总经理”。"),
    "plaintiff_phone": Message("请输入原告的手机号码，方便法院与其联系。"),
    "plaintiff_address": Message("请问原告的住所地（户籍地或经常居住地；单位写注册地址）是？例如“北京市朝阳区建国路88号”。"),
    "more_plaintiffs": Message("还有其他原告吗？", _yes_no("还有", "没有了")),
    "sms_code": Message("为确认是您本人，我们已向这个手机号发送了6位短信验证码，请输入验证码（5分钟内有效）。"),
    "defendant_name": Message("请问被告（您要起诉的一方）是谁？个人请写姓名，单位请写全称。"),
    "defendant_representative": Message("请问被告单位的法定代表人姓名是？不清楚可以回复“不清楚”。"),
    "defendant_address": Message(
        "请问被告的住所地或经常居住地在哪里？至少写到区县，例如“北京市朝阳区建国路88号”。"
        "法院据此确定管辖和送达地址。"),
    "more_defendants": Message("还有其他被告吗？", _yes_no("还有", "没有了")),
    # 2016 样式 of the 民事起诉状: 民族 and 职业/工作单位 (性别、出生日期 come from the ID number, not asked)
    "plaintiff_details": Message("请问原告的民族和职业（或工作单位）？例如“汉族，教师”；没有工作的可以写“无业”或“退休”。"),
    "defendant_details": Message(
        "如果您知道，请告诉我被告的民族、职业或工作单位，以及身份证号码，知道几项写几项，例如“汉族，某某公司职员”。"
        "都不清楚的，回复“不清楚”即可。", [{"title": "不清楚", "payload": "/deny"}]),
    "claims": Message(
        "请写明您的诉讼请求，也就是希望法院判决什么。有几项可以一次写完，用分号或序号分开，例如："
        "“1.判令被告归还借款5万元；2.支付利息3000元；3.诉讼费由被告承担”。"),
    "amount": Message("您的诉讼请求里没有写金额。请问诉讼标的额（您主张的金额）是多少元？例如“5万”；不涉及金额（如离婚）请回复“无”。"),
    "evidence": Message(
        "请列出您手上的证据及来源，可以一次写多项，用顿号分开，例如“借条、银行转账记录、微信聊天记录”。"
        "证据文件可以在提交后上传；暂时没有请回复“暂无”。"),
    "facts": Message("请简要说明事实与理由：什么时间、发生了什么、对方为什么应当承担责任。"),
    "mediation_consent": Message(
        "适宜调解的纠纷，法院可以在立案前先行调解（诉前调解，《民事诉讼法》第一百二十五条）；"
        "调解不成的，依法及时立案。请问您是否同意诉前调解？",
        _yes_no("同意调解", "不同意")),
    "e_service_consent": Message(
        "经您同意，法院可以通过短信、电子邮件等电子方式向您送达诉讼文书，与纸质送达具有同等效力"
        "（《民事诉讼法》第九十条）。请问您是否同意电子送达？",
        _yes_no("同意", "不同意")),
    "fee_category": Message(
        "请问是哪一类案件？",
        [{"title": t, "payload": inform("fee_category", c)} for t, c in (
            ("借款、合同、赔偿等财产纠纷", "property"), ("离婚", "divorce"), ("人格权（名誉、肖像等）", "personality_rights"),
            ("劳动争议", "labor"), ("知识产权", "ip"), ("申请执行", "enforcement"), ("申请保全", "preservation"))],
    ),
    "fee_amount": Message("请问诉讼标的额（请求的金额）是多少？例如“10万”。"),
    "handoff_question": Message("好的，我为您转接人工服务。请简要描述您需要帮助的问题，工作人员会据此答复您。"),
    "lookup_number": Message("请提供您的立案申请号（以LA开头）或案号，例如（2024）京0105民初1234号。"),
}

# --- any journey: the backend refuses or cannot be reached (court_error_text below) ---

BACKEND_DOWN = "抱歉，法院系统暂时无法访问，请您稍后再试。"

# --- 实名认证 (forms/identity.py) ---

IDENTITY_NAME_HELP = "请输入您身份证上的姓名（2个字以上，不含数字和符号）。"
SMS_CODE_HELP = "验证码是6位数字，请查看短信后输入。"
SMS_CODE_RESENT = "这个验证码已失效，已为您重新发送一条，请输入新的验证码。"
VERIFIED_THANKS = "实名认证成功，谢谢您。"
# A token revoked or expired mid-conversation (bot/expiry.py): polite, and nothing of the journey is lost.
SESSION_EXPIRED = ("抱歉，您的身份验证已经过期（可能在其他地方重新认证过，或已退出登录）。为保护您的信息安全，"
                   "需要请您重新核实一下身份；您刚才填写的内容都为您保留着，核实后我们接着办理。")
# After an expiry the journey's answers belong to the person whose verification ended (bot/expiry.py).
REVERIFY_OTHER_PERSON = ("为保护原来办理人的信息，继续办理需要由原来认证的本人核实身份，请输入原来认证时使用的身份证号码。"
                         "如果要换一个人办理，请点“换人办理”，对话会清空后重新开始。")
# Rasa's own /restart (RulePolicy → action_restart): the conversation starts over, every slot empty.
REVERIFY_OTHER_PERSON_BUTTONS = [{"title": "换人办理", "payload": "/restart"}]
# The backend's limit of five codes an hour per phone: when to come back, and what to do meanwhile
# (转人工 would need the same 实名认证, so the hotline is named instead). bot/way_out.py fills it in.
SMS_TOO_MANY = ("这个手机号获取验证码太频繁了（每小时最多5次），请在{time}以后再试（约{minutes}分钟后）。"
                "您可以先退出，稍后说“我要立案”接着办理；也可以输入另一个本人手机号接收验证码；"
                "急事请拨打12368诉讼服务热线。")
SMS_TOO_MANY_BUTTONS: list[Button] = [{"title": "稍后再办", "payload": "/stop"}]

# --- any form: small talk in the middle, a word in reply and the question again (forms/digression.py) ---

SMALL_TALK_IN_FORM = {
    "greet": "您好！我们接着刚才的办理。",
    "thank": "不客气。我们接着办理。",
    "out_of_scope": "抱歉，这个我帮不上忙。我们先接着办理刚才的事项。",
}

# --- any form: the same question a third time (bot/way_out.py) ---

WAY_OUT = "这个问题好像不太好回答。您可以换个说法再试一次，也可以选择下面的方式："
WAY_OUT_BUTTONS: list[Button] = [{"title": "转人工", "payload": "/request_human"}, {"title": "退出", "payload": "/stop"}]
WAY_OUT_FILING_BUTTONS: list[Button] = [
    {"title": "转人工", "payload": "/request_human"},
    {"title": "保存草稿", "payload": "/stop"},  # leaving keeps the draft (action_stop_filing)
    {"title": "退出", "payload": '/stop{"field":"discard"}'},  # leaving without the draft
]

# --- 诉讼费 and 转人工 ---

FEE_REDUCTIONS = (
    "适用简易程序审理的，或者以调解方式结案、申请撤诉的，案件受理费减半交纳"
    "（《诉讼费用交纳办法》第十五条、第十六条）。交纳确有困难的，可以申请缓交、减交或者免交（司法救助，第四十四条起）。"
)
FEE_QUOTE = "预计诉讼费：{fee}（{basis}），以法院交费通知为准。"
FEE_QUOTE_RANGE = "预计诉讼费：每件{low}至{high}，以法院交费通知为准。"
FEE_HOW_COUNTED = ("诉讼费按《诉讼费用交纳办法》第十三条计算，财产案件按标的额分段累计。"
                   "填完案由和金额后，我会在提交前为您报出预计的诉讼费。")
BACK_TO_FILING = "我们继续填写立案信息。"
FEE_CATEGORY_HELP = "抱歉，没能判断案件类型，请从选项中选一个。"
FEE_AMOUNT_HELP = "请输入一个大于0的金额，例如“10万”或“100000”。"
HANDOFF_QUESTION_HELP = "请再具体描述一下您的问题（至少4个字），方便工作人员答复。"
HANDED_OFF = ("已为您转人工，工单号 {ticket_id}。诉讼服务中心的工作人员会在工作时间内尽快答复，"
              "答复会直接发到这个对话里；紧急情况也可以拨打12368诉讼服务热线。")

# --- 缴费 (《诉讼费用交纳办法》 art. 22) ---

PAID = "已收到您缴纳的诉讼费{amount}（订单号 {order_no}），谢谢您。法院将依法继续办理您的案件。"
NOT_PAID_YET = "订单 {order_no} 还没有收到付款。请点击链接完成支付：{pay_url}，截止时间为{deadline}。"
NOTHING_TO_PAY = "您目前没有待缴纳的诉讼费。案件立案后，法院会发出交费通知，届时您可以在这里缴纳。"

# --- 查询进度: what comes next for each status ---

NEXT_STEP = {
    "pending_review": "法院将在收到起诉状之日起七日内决定是否立案（《民事诉讼法》第一百二十六条）。",
    "needs_correction": "法院需要您补正材料，请按一次性告知的内容补充后重新提交。",
    "rejected": "对不予受理的裁定不服的，您可以在裁定书送达之日起十日内提起上诉（《民事诉讼法》第一百五十七条、第一百七十一条）。",
    "docketed": "案件已经立案，请留意交费通知，在规定期限内缴纳诉讼费。",
    "withdrawn": "该申请已撤回。",
}
NOT_FOUND = "没有查到与您相关的{kind} {number}，请核对编号是否正确。"

# --- 立案: submitting, leaving, the read-back ---

SUBMITTED = (
    "您的立案申请已提交，立案申请号：{filing_id}。{due}材料不全的，法院会一次性告知需要补正的内容。"
    "您可以随时发送“查询进度”和申请号查看审核结果。"
)
# 民诉法第一百二十六条: the day computed by the backend (decision_due, holidays counted), not recited
SUBMITTED_DUE = (
    "法院应当在{due}24时前（收到起诉状之日起七日内，期限届满日遇法定节假日顺延）决定是否立案"
    "（《民事诉讼法》第一百二十六条）。"
)
PENDING_DUE = "法院将在{due}24时前决定是否立案（收到起诉状之日起七日内，《民事诉讼法》第一百二十六条）。"
CORRECTION_DUE = ("法院需要您补正材料，请按一次性告知的内容在{due}24时前补充后重新提交；逾期未补正的，法院将退回起诉材料"
                  "（《最高人民法院关于人民法院登记立案若干问题的规定》第七条）。")
SUBMITTED_DUE_UNKNOWN = "决定是否立案的具体日期要待国家公布相应年度的节假日安排后才能确定（期限待定），法院会依法及时办理。"
# 司法救助 (《诉讼费用交纳办法》第四十四条至第五十一条), asked after the litigant says the fee is a hardship
RELIEF_KIND_QUESTION = (
    "您提到交纳诉讼费有困难。您可以在起诉时一并申请司法救助（《诉讼费用交纳办法》第四十八条），"
    "由法院审查决定。请问您申请哪一种？缓交是晚些再交，减交是少交（减交比例不低于30%），免交只适用于个人。")
RELIEF_KIND_BUTTONS: list[Button] = [{"title": t, "payload": inform("relief_kind", k)} for t, k in (
    ("缓交", "deferral"), ("减交", "reduction"), ("免交", "waiver"), ("不申请了", "none"))]
RELIEF_GROUND_QUESTION = "请问您申请{kind}属于下列哪种情形？请点选或回复序号：\n{grounds}"
RELIEF_READ_BACK = "司法救助：申请{kind}，{ground}"
RELIEF_MATERIALS = (
    "您申请了司法救助（{kind}）。请通过“上传证据”提交以下材料，法院审查后会告诉您结果，交费通知按决定执行：{materials}。")
SUBMIT_FAILED = "抱歉，提交时遇到了问题，您的申请暂未提交成功。请稍后再说“确认提交”重试，或说“转人工”。"
STOPPED = "好的，已为您退出立案，刚才填写的信息不会提交。需要时随时说“我要立案”。"
STOPPED_DISCARDED = "好的，已为您退出立案，刚才填写的内容已删除，不会提交。需要时随时说“我要立案”。"
STOPPED_DRAFT = (
    "好的，已为您退出立案，申请尚未提交。您填写的内容已保存为草稿，下次说“我要立案”并完成实名认证后，可以接着填写。")
SUBMIT_REFUSED = "抱歉，立案申请未能提交：{message}"
COMPLAINT_LINK = "根据您填写的信息生成的民事起诉状已附在申请中，您可以在这里下载查看（7日内有效）：{link}"
# The 起诉状 is rendered after the submit turn (court/jobs/complaint_renders.py); the backend then
# sends its link into this conversation (court/services/court_notices.py complaint_ready_text).
COMPLAINT_COMING = "根据您填写的信息生成的民事起诉状正在制作，好了会马上发到这里，请稍候。"

WHAT_TO_CHANGE = Message(
    "好的，请告诉我需要修改哪一项，也可以直接说新的内容，例如“金额是8万”。",
    [{"title": title, "payload": inform("field", slot)} for title, slot in (
        ("案由", "case_type"), ("原告", "plaintiff_name"), ("被告", "defendant_name"), ("法院", "court"),
        ("诉讼请求", "claims"), ("金额", "amount"), ("证据", "evidence"), ("事实与理由", "facts"),
        ("调解", "mediation_consent"), ("电子送达", "e_service_consent"), ("不改了", "none"))],
)
# The filing's read-back: intent payloads (修改 once read as the 补正 journey and left the filing).
FILING_CONFIRM_BUTTONS: list[Button] = [
    {"title": "确认提交", "payload": "/affirm"},
    {"title": "修改", "payload": "/deny"},
    {"title": "取消", "payload": "/stop"},
]

# --- 立案: questions whose wording depends on the conversation (actions/filing_questions.py) ---

DRAFT_UNNAMED = "一份未完成的立案申请"
RESUME_DRAFT = "您上次还有一份没有提交的立案申请（{summary}）。要接着上次的内容填写吗？"
RESUME_DRAFT_BUTTONS: list[Button] = [{"title": "继续填写", "payload": "/affirm"}, {"title": "重新填写", "payload": "/deny"}]
COURT_QUESTION = ("请问您要向哪家法院起诉？可以输入法院全称，也可以输入所在区县，例如“朝阳法院”。"
                  "一般由被告住所地的人民法院管辖（《民事诉讼法》第二十二条）。")
COURT_BY_NAME = "请输入该法院的名称或所在区县，例如“越秀法院”。"
E_SERVICE_ADDRESS = "请提供接收电子送达的手机号码或电子邮箱。"
E_SERVICE_SAME_PHONE = "使用您认证的手机号 {phone} 请回复“同上”。"
SAME_PHONE_BUTTONS: list[Button] = [{"title": "同上", "payload": "/affirm"}]

# --- 立案: answers the filing form cannot take, and what it says instead ---

ROLE_LABELS = {"plaintiff": "原告", "defendant": "被告", "third_party": "第三人"}
YES_NO_HELP = {
    "more_plaintiffs": "请回答“还有”或“没有了”。",
    "more_defendants": "请回答“还有”或“没有了”。",
    "mediation_consent": "请回答“同意”或“不同意”诉前调解。",
    "e_service_consent": "请回答“同意”或“不同意”电子送达。",
    "resume_draft": "请回答“继续填写”或“重新填写”。",
}
DRAFT_RESTORED = "好的，已恢复您上次填写的内容，我们从未填写的地方继续。"
DRAFT_DISCARDED = "好的，我们重新开始填写，上次的草稿已删除。"
FILER_IS_PLAINTIFF_HELP = "请回答“是”（您本人是原告）或“不是”（您代他人起诉）。"
CASE_TYPE_UNKNOWN = "抱歉，没能识别这个案由。请从选项中选择，或输入完整的案由，例如“民间借贷纠纷”。"
COURT_NOT_FOUND = "没有找到这个法院。请输入法院的全称或所在区县，例如“北京市朝阳区人民法院”或“朝阳法院”。"
COURT_WHICH = "找到了几家法院，请问是哪一家？"
# A near miss (bot/readers/fuzzy.py) is offered, never taken: yes is the name's own payload, no is /deny.
CASE_TYPE_GUESS = "没有找到“{typed}”这个案由，请问您是指下面这个吗？"
COURT_GUESS = "没有找到“{typed}”，请问您是指下面的法院吗？"
NONE_OF_THE_GUESSES: Button = {"title": "都不是", "payload": "/deny"}
COURT_AGAIN = "好的，请输入法院的全称或所在区县，例如“北京市朝阳区人民法院”或“朝阳法院”。"
AMOUNT_UNREADABLE = "抱歉，没能看懂这个金额。请直接输入数字，例如“50000”或“5万”。"
AMOUNT_NOT_POSITIVE = "诉讼标的额需要大于0元，请重新输入。"
FACTS_TOO_SHORT = "事实与理由请再具体一些（至少10个字）：什么时间、发生了什么、对方为什么应当负责。"
FACTS_TOO_LONG = "事实与理由请控制在5000字以内，详细材料可以作为证据上传。"
CLAIMS_TOO_LONG = "诉讼请求请控制在2000字以内，详细经过可以写在“事实与理由”里。"
CLAIMS_TOO_VAGUE = "诉讼请求需要写得具体一些，例如“判令被告归还借款5万元”。"
EVIDENCE_HELP = "请列出证据名称，例如“借条、转账记录”；暂时没有请回复“暂无”。"
E_SERVICE_ADDRESS_HELP = "请输入接收电子送达的手机号码或电子邮箱；使用您认证的手机号请回复“同上”。"
PARTY_NAME_HELP = {
    "plaintiff": "请输入原告的真实姓名或单位全称（2个字以上，不含数字和符号），例如“张三”。",
    "defendant": "请输入被告的姓名或单位全称，例如“李四”或“北京某某科技有限公司”。",
}
PARTY_TWICE = "{name}已经是{role}了，请输入另一位{role}。"
DEFENDANT_IS_PLAINTIFF = "被告不能与原告是同一人，请输入您要起诉的对方。"
TOO_MANY_PARTIES = "在线立案最多可填写{limit}名{role}；人数更多的，请到法院诉讼服务中心办理。"
_OVER_LIMIT = "超过了100亿元。请核对是否多输了位数后重新输入；如确为该金额，请到受理法院的诉讼服务中心办理立案。"
AMOUNT_TOO_LARGE = "您输入的金额是{amount:,.2f}元，" + _OVER_LIMIT
CLAIMS_TOO_LARGE = "诉讼请求的金额合计{amount:,.2f}元，" + _OVER_LIMIT
TOO_MANY_CLAIMS = "诉讼请求最多{limit}项，请合并相近的请求后重新输入。"
TOO_MANY_EVIDENCE = "证据清单最多{limit}项，请合并同类证据（例如“微信聊天记录”）后重新输入。"

# --- 补正 (一次性告知: 《最高人民法院关于人民法院登记立案若干问题的规定》 art. 7; 民事诉讼法 (2023) art. 126) ---

CORRECTION_NONE = ("您目前没有需要补正的立案申请。法院要求补正时，会一次性告知全部需要补正的事项；"
                   "您可以说“查询进度”查看申请的审核状态。")
CORRECTION_CHOOSE = "您有多份立案申请需要补正，请问要补正哪一份？"
CORRECTION_TARGET_HELP = "请选择要补正的立案申请，或输入以LA开头的立案申请号；不需要了请说“算了”。"
CORRECTION_NOT_NEEDED = "立案申请 {filing_id} 当前状态为“{status_label}”，不需要补正。"
NOT_MINE = "没有查到您名下的立案申请 {filing_id}，请核对编号。"
ITEM_HEAD = "第{n}项（共{total}项）：{text}"
UPLOAD_DONE_BUTTONS: list[Button] = [{"title": "已上传", "payload": "/affirm"},
                                     {"title": "稍后上传", "payload": "/deny"}]
UPLOAD_AFTER = "上传完成后请回复“已上传”；暂时无法上传，可以回复“稍后上传”。"
NOTHING_NEW = "还没有收到新上传的文件，请先上传这一项的材料。"
UPLOADED = "已收到：{files}。"
LATER = "好的，这一项请尽快上传；材料不齐的，法院可能无法立案。"
TYPE_THIS_ITEM = "第{n}项需要您直接输入文字内容。"
DOCUMENT_ONLY = "这一项需要上传文件，无法用文字代替，请按下面的提示上传。"
WHICH_ITEM = "请问要修改哪一项？"
UNCLEAR_CONFIRMATION = "请回复“确认提交”提交补正；需要修改，请回复“修改”。"
# The 补正 read-back: intent payloads.
CORRECTION_CONFIRM_BUTTONS: list[Button] = [
    {"title": "确认提交", "payload": "/affirm"},
    {"title": "修改", "payload": "/deny"},
    {"title": "取消", "payload": "/stop"},
]
RESUBMITTED = ("补正内容已提交，立案申请 {filing_id} 当前状态：{status_label}。法院决定是否立案的期间自收到补正材料之日起计算"
               "（《最高人民法院关于人民法院登记立案若干问题的规定》第七条），一般在七日内作出决定（《民事诉讼法》第一百二十六条）。"
               "您可以随时说“查询进度”查看审核结果。")
STILL_MISSING = "提醒：您选择稍后上传的材料，请尽快说“上传证据”补充上传。"
RESUBMIT_REFUSED = "抱歉，补正未能提交：{message}您可以说“我要补正”重新填写，或说“转人工”。"
RESUBMIT_LATER = ("抱歉，法院系统暂时无法访问，补正内容暂未提交。您填写的内容已为您保留，"
                  "请稍后再说“我要补正”，核对后即可重新提交。")
CORRECTION_STOPPED = "好的，已退出补正，刚才填写的内容不会提交。需要时随时说“我要补正”。"

# --- 上传证据 (民事诉讼法 art. 124(四): 证据和证据来源) ---

UPLOAD_NONE = ("您目前没有可以上传材料的立案申请（只有“待审核”或“需补正”的申请可以补充材料）。"
               "如需起诉，请说“我要立案”。")
UPLOAD_CHOOSE = "请问要为哪一份立案申请上传材料？"
UPLOAD_TARGET_HELP = "请选择要上传材料的立案申请，或输入以LA开头的立案申请号；不需要了请说“算了”。"
UPLOAD_NOT_OPEN = "立案申请 {filing_id} 当前状态为“{status_label}”，无法再上传材料。"
UPLOAD_READY = "好的，请为立案申请 {filing_id} 上传证据材料。{limits}"
UPLOAD_WIDGET = "请在对话框上方的“上传证据材料”面板中选择文件并点“上传”，可以逐个上传多份材料。"
UPLOAD_ELSEWHERE = ("当前渠道无法直接发送文件。请用电脑或手机浏览器打开法院诉讼服务网页 {site}，"
                    "在网页上的在线诉讼助手中完成实名认证后说“上传证据”，选择立案申请 {filing_id} 上传。")
UPLOAD_NEEDS_CORRECTION = "这份申请正在等待补正；如需按法院的补正通知逐项补正并重新提交，请说“我要补正”。"
CORRECTION_BUTTON: list[Button] = [{"title": "我要补正", "payload": "/submit_correction"}]

# --- 撤回立案申请 (only before the court decides; 撤诉 after docketing goes to the court) ---

CANCEL_CHOOSE = "请问要撤回哪一份立案申请？"
CANCEL_NONE = ("您名下没有可以撤回的立案申请（只有“待审核”或“需补正”的申请可以撤回）。"
               "如需撤回其他申请，请输入立案申请号；不需要了请说“算了”。")
CANCEL_TARGET_HELP = "请选择要撤回的申请，或输入以LA开头的立案申请号。"
CANCEL_NOT_OPEN = ("立案申请 {filing_id} 当前状态为“{status_label}”，已不能在线撤回。"
                   "已立案的案件如需撤诉，请向受理法院提交撤诉申请。")
CANCEL_CONFIRM = "确定要撤回立案申请 {filing_id} 吗？撤回后如需起诉，需要重新提交。"
CANCEL_CONFIRM_BUTTONS: list[Button] = _yes_no("确认撤回", "不撤回")
CANCEL_KEPT = "好的，不撤回。您的立案申请保持不变。"
CANCELLED = "立案申请 {filing_id} 已撤回，当前状态：{status_label}。"

# --- two-stage fallback ---

# What the guesses look like on the buttons: the litigant never sees an intent's name.
INTENT_LABELS: dict[str, str] = {
    "file_case": "我要立案",
    "query_status": "查询立案进度",
    "ask_fee": "诉讼费怎么算",
    "pay_fee": "缴纳诉讼费",
    "submit_correction": "按补正通知补正",
    "upload_evidence": "上传证据材料",
    "cancel_filing": "撤回立案申请",
    "request_human": "转人工服务",
}
DEFAULT_GUESSES = ("file_case", "query_status", "ask_fee")
ASK_AFFIRMATION = "抱歉，我不太确定您的意思。请问您是想办理下面哪一项？"
NONE_OF_THESE: Button = {"title": "都不是", "payload": "/out_of_scope"}
ASK_REPHRASE = ("抱歉，我还是没太明白。您能换个说法，简单说说想办什么事吗？"
                "例如“我要立案”“查询立案进度”“诉讼费怎么算”。")
GIVE_UP = ("抱歉，我暂时没能理解您的问题。您可以说“转人工”，由诉讼服务中心的工作人员为您解答，"
           "也可以拨打12368诉讼服务热线。")


def filing_button(filing: Mapping[str, Any]) -> Button:
    """One of the litigant's filings as a button: number, 案由 and status; the payload carries the number."""
    return {"title": f"{filing['id']}（{filing['case_type']}，{filing['status_label']}）",
            "payload": inform("filing_id", filing["id"])}


def upload_limits(policy: Optional[Mapping[str, Any]]) -> str:
    """"可上传PDF 文档、…，单个文件不超过20 MB，每份申请最多…份。" from GetPolicy; empty when unknown."""
    documents = (policy or {}).get("documents") or {}
    types = [t.get("label") or t.get("code") for t in documents.get("types") or [] if isinstance(t, Mapping)]
    parts = []
    if types:
        parts.append("可上传" + "、".join(str(t) for t in types if t))
    if documents.get("max_size_label"):
        parts.append(f"单个文件不超过{documents['max_size_label']}")
    if documents.get("max_files_per_filing"):
        parts.append(f"每份申请最多{documents['max_files_per_filing']}份")
    return ("，".join(parts) + "。") if parts else ""


def court_error_text(err: Any) -> str:
    """What to say when the backend refuses (its own Chinese message, for a 4xx) or cannot be reached."""
    return err.message if 400 <= err.status < 500 else BACKEND_DOWN


# --- 申请执行 (forms/enforcement.py, actions/enforcement.py) ---

ENFORCEMENT_QUESTIONS: dict[str, Message] = {
    "enf_basis": Message(
        "请提供执行依据，也就是已经生效的判决书、裁定书、调解书的案号，例如“（2025）京0105民初1234号”；"
        "依据是仲裁裁决的，请说仲裁委员会名称和裁决书编号，例如“北京仲裁委员会（2025）京仲裁字第12号裁决”。"),
    "enf_respondent": Message("请问被执行人（应当履行义务的一方）是谁？个人请写姓名，单位请写全称。"),
    "enf_claim": Message("请问您申请执行的内容是什么？请说明金额（例如“借款本金5万元及利息”），"
                         "或者要求对方做的事（例如“交还车辆”）。"),
    "enf_leads": Message(
        "您知道被执行人有哪些财产线索吗？例如银行账户、房产、车辆、工作单位，多项可以用顿号分开。"
        "不清楚也没关系，法院会通过网络查控系统查询，您可以回复“没有”。"),
    "enf_performance_day": Message(
        "请问法律文书规定的履行期限最后一天是哪天？例如“2025年6月30日”。"
        "文书没有写履行期限的，请说文书生效的日期。"),
    "enf_interrupted": Message(
        "申请执行的期间是二年，从履行期限最后一天起算（《民事诉讼法》第二百五十条）。期间内您向对方催要过、"
        "或者对方同意过履行的，期间从那天起重新计算（《民法典》第一百九十五条）。"
        "请问有这种情况吗？有的话请说最后一次的日期，没有请回复“没有”。",
        [{"title": "没有", "payload": "/deny"}]),
    "enf_court": Message(
        "请问向哪个法院申请执行？判决、调解书由第一审法院执行，也可以向与其同级的被执行财产所在地法院申请"
        "（《民事诉讼法》第二百三十五条）。回复“一审法院”即可，或者输入其他法院的名称。",
        [{"title": "一审法院", "payload": inform("court", "一审法院")}]),
}
QUESTIONS.update(ENFORCEMENT_QUESTIONS)

ENF_BASIS_HELP = ("没能识别执行依据。请提供生效法律文书的案号，例如“（2025）京0105民初1234号”；"
                  "是仲裁裁决的，请写明“仲裁”和裁决书编号。")
ENF_BASIS_IS_ENFORCEMENT = "这是执行案件的案号。请提供作为执行依据的判决书、裁定书或调解书的案号。"
ENF_RESPONDENT_HELP = "请输入被执行人的姓名或单位全称（2个字以上）。"
ENF_CLAIM_HELP = "请具体说明申请执行的金额或行为，例如“借款本金5万元”或“交还车辆一辆”。"
ENF_DATE_HELP = "没能识别日期，请按“2025年6月30日”这样的格式输入。"
ENF_DATE_FUTURE = "这个日期还没有到。履行期限届满后对方仍不履行的，您再申请执行。"
ENF_INTERRUPTED_HELP = "请回复“没有”，或者说明最后一次催要（或对方同意履行）的日期，例如“2025年3月1日”。"
ENF_PERIOD_EXPIRED = ("按您提供的日期，{explanation}期间似乎已经届满。若期间内曾有中断或中止的情形，"
                      "请说明日期；也可以说“转人工”咨询工作人员。")
ENF_COURT_NOT_FOUND = "没有找到这个法院，请输入法院全称，例如“北京市朝阳区人民法院”，或回复“一审法院”。"
ENF_COURT_FIRST_UNKNOWN = "从执行依据的编号中无法确定第一审法院，请直接输入法院全称。"
ENF_COURT_PROPERTY = "{court}不是第一审法院，我会按“被执行财产所在地法院”提交，由法院核实。"
ENF_SUMMARY = (
    "请核对您的执行申请：\n"
    "执行依据：{basis}\n申请执行人：{applicant}\n被执行人：{respondent}\n申请执行内容：{claim}\n"
    "财产线索：{leads}\n履行期限最后一日：{performance}\n时效中断：{interrupted}\n执行法院：{court}\n"
    "{period}\n{fee}\n确认无误请回复“确认提交”，不提交请回复“取消”。")
ENF_CONFIRM_BUTTONS: list[Button] = [{"title": "确认提交", "payload": "/affirm"}, {"title": "取消", "payload": "/deny"}]
ENF_NONE = "无（由法院网络查控）"
ENF_NOT_INTERRUPTED = "无"
NOT_INTERRUPTED = "否"  # the enf_interrupted slot's value for “没有” (a date otherwise)
ENF_SUBMITTED = ("您的执行申请已提交，申请号为{number}。法院审查立案后会告知执行案号，之后每一步进展"
                 "（网络查控、财产处置、执行款发放、结案等）都会发消息通知您，也可以说“查询执行进度”并提供执行案号查询。\n{fee}")
ENF_NOT_SUBMITTED = "好的，执行申请没有提交。需要时可以随时说“申请强制执行”重新开始。"
ENF_STEP_LINE = "· {at} {label}{note}"
ENF_STATUS = "执行{ref}（{court}），当前状态：{status}。"
# --- 电子卷宗 (actions/case_file.py, forms/case_file.py) ---
CASE_FILE_CHOOSE = "请问要下载哪一份立案申请的电子卷宗？"
CASE_FILE_TARGET_HELP = "请选择一份立案申请，或输入以LA开头的立案申请号；不需要了请说“算了”。"
CASE_FILE_NONE = "您名下还没有立案申请，因此暂无电子卷宗。如需起诉，请说“我要立案”。"
CASE_FILE_LINK = ("立案申请 {filing_id}{case}的电子卷宗（当事人副本）共{items}件材料、{pages}页，"
                  "首页为卷宗目录。您可以在这里下载（7日内有效）：{link}")
CASE_FILE_CATALOGUE = "卷宗目录："
CASE_FILE_MORE = "……等共{items}件，详见卷宗目录。"


def case_file_catalogue(items: list[Mapping[str, Any]], limit: int = 8) -> str:
    """The first lines of the 卷宗目录: "1. 民事起诉状（2026-03-02，当事人，第2-3页）"."""
    lines = [CASE_FILE_CATALOGUE]
    for item in items[:limit]:
        pages = (f"第{item['page_from']}页" if item.get("page_from") == item.get("page_to")
                 else f"第{item['page_from']}-{item['page_to']}页") if item.get("page_from") else ""
        lines.append(f"{item['no']}. {item['title']}（{item['date']}，{item['source']}"
                     + (f"，{pages}" if pages else "") + "）")
    if len(items) > limit:
        lines.append(CASE_FILE_MORE.format(items=len(items)))
    return "\n".join(lines)
