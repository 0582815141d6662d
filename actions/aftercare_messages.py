"""What the assistant says after filing — 补正, evidence uploads, the two-stage fallback — in polite Chinese.

Kept apart from actions/messages.py (the filing form's texts) so that the two change independently.
Buttons whose meaning must not depend on the NLU model carry intent payloads ("/affirm").
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

Button = dict[str, str]

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
DOCUMENT_ONLY = "这一项需要上传文件，无法用文字代替，请按下面的提示上传。"
WHICH_ITEM = "请问要修改哪一项？"
UNCLEAR_CONFIRMATION = "请回复“确认提交”提交补正；需要修改，请回复“修改”。"
CONFIRM_BUTTONS: list[Button] = [
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
    """One of the litigant's filings as a button: number, 案由 and status; the payload is the number."""
    return {"title": f"{filing['id']}（{filing['case_type']}，{filing['status_label']}）", "payload": filing["id"]}


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
