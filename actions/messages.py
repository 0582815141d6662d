"""Everything the action server says to a litigant, in one place, in polite Chinese (您).

Form questions live here rather than as `utter_ask_*` domain responses: Rasa 3.6's validator
counts a response that no story names as a warning, and `rasa data validate` must pass clean.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Message:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)

    def kwargs(self, **values: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text.format(**values)}
        if self.buttons:
            out["buttons"] = self.buttons
        return out


def _buttons(*titles: str) -> list[dict[str, str]]:
    return [{"title": t, "payload": t} for t in titles]


def _yes_no(yes: str, no: str) -> list[dict[str, str]]:
    """Yes/no buttons carry the intent itself, so a tap is never misread by the NLU."""
    return [{"title": yes, "payload": "/affirm"}, {"title": no, "payload": "/deny"}]


QUESTIONS: dict[str, Message] = {
    "case_type": Message(
        "请问您的纠纷属于哪一类（案由）？可以从下面的选项中选择，也可以直接输入。",
        _buttons("民间借贷纠纷", "买卖合同纠纷", "房屋租赁合同纠纷", "机动车交通事故责任纠纷", "离婚纠纷", "劳动争议"),
    ),
    "identity_name": Message("为保护您的信息安全，需要先进行实名认证。请问您的姓名是？"),
    "identity_id_number": Message("请输入您本人的18位居民身份证号码。"),
    "identity_phone": Message("请输入您本人的手机号码，我们会发送短信验证码。"),
    "filer_is_plaintiff": Message(
        "请问您是以原告本人身份起诉吗？",
        [{"title": "是，我本人是原告", "payload": "是，我本人是原告"},
         {"title": "不是，代他人起诉", "payload": "不是，我代他人起诉"}],
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
        [{"title": t, "payload": t} for t in
         ("借款、合同、赔偿等财产纠纷", "离婚", "人格权（名誉、肖像等）", "劳动争议", "知识产权", "申请执行", "申请保全")],
    ),
    "fee_amount": Message("请问诉讼标的额（请求的金额）是多少？例如“10万”。"),
    "handoff_question": Message("好的，我为您转接人工服务。请简要描述您需要帮助的问题，工作人员会据此答复您。"),
    "lookup_number": Message("请提供您的立案申请号（以LA开头）或案号，例如（2024）京0105民初1234号。"),
}

SUBMITTED = Message(
    "您的立案申请已提交，立案申请号：{filing_id}。法院将在收到起诉状之日起七日内决定是否立案"
    "（《民事诉讼法》第一百二十六条）；材料不全的，法院会一次性告知需要补正的内容。"
    "您可以随时发送“查询进度”和申请号查看审核结果。"
)
SUBMIT_FAILED = Message("抱歉，提交时遇到了问题，您的申请暂未提交成功。请稍后再说“确认提交”重试，或说“转人工”。")
STOPPED = Message("好的，已为您退出立案，刚才填写的信息不会提交。需要时随时说“我要立案”。")
STOPPED_DRAFT = Message(
    "好的，已为您退出立案，申请尚未提交。您填写的内容已保存为草稿，下次说“我要立案”并完成实名认证后，可以接着填写。")
BACKEND_DOWN = Message("抱歉，法院系统暂时无法访问，请您稍后再试。")
WHAT_TO_CHANGE = Message(
    "好的，请告诉我需要修改哪一项，也可以直接说新的内容，例如“金额是8万”。",
    [{"title": t, "payload": f"修改{t}"} for t in
     ("案由", "原告", "被告", "法院", "诉讼请求", "金额", "证据", "事实与理由", "调解", "电子送达")],
)
CONFIRM_BUTTONS = [
    {"title": "确认提交", "payload": "确认提交"},
    {"title": "修改", "payload": "修改"},
    {"title": "取消", "payload": "/stop"},
]
