"""The words of the notices the court sends into a litigant's conversation (电子送达): a staff
reply to a handoff ticket, a review decision, a fee notice served, a payment received, and the
link to the generated 起诉状 once it is ready."""
from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.models import Case, Event, FeeNotice, Filing, Payment
from court.services.fee_relief import relief_notice_text
from court.services.payments.notices import fee_notice_text, payment_text


def staff_reply_text(question: str, answer: str) -> str:
    short = question if len(question) <= 40 else question[:40] + "…"
    return f"【法院工作人员回复】关于您的问题“{short}”：\n{answer}"


def complaint_ready_text(number: str, link: str) -> str:
    """The generated 起诉状, sent into the conversation once it is rendered (after the submit turn)."""
    # Titled 【…】 like every court notice: the widget shows it as one, and recognises it when the
    # same delivery is listed again after a reload (court/static/site/widget.js).
    return (f"【起诉状已生成】您的立案申请{number}的民事起诉状已根据您填写的信息生成，并已附在申请中。"
            f"您可以在这里下载查看（7日内有效）：{link}")


def decision_text(filing: Filing, event: Event, case_number: Optional[str], notice: Optional[FeeNotice]) -> str:
    """The notice a litigant receives when the court decides on their filing.

    On docketing the fee notice is served as a delivery of its own (``fee_notice_issued``): here
    it is only announced, so that the amount and the deadline are said once.
    """
    number = filing.number
    if event.action == "docketed":
        text = (f"【立案通知】您提交的立案申请{number}已经{filing.court_name}审查，决定立案，"
                f"案号为{case_number}。")
        if notice is not None:
            text += "交纳诉讼费用通知随后送达，请您留意。"
        return text + "您可以随时说“查询进度”查看案件情况。"
    if event.action == "correction_requested":
        items = (event.detail or {}).get("items") or filing.review_items or []
        listed = "\n".join(f"{i}. {item}" for i, item in enumerate(items, 1))
        return (f"【补正通知】您提交的立案申请{number}需要补正。请您一次性补充以下材料或内容：\n{listed}\n"
                "补正后法院将继续审查。")
    reason = (event.detail or {}).get("reason") or filing.review_reason or ""
    if (event.detail or {}).get("code") == "correction_missed":  # court/jobs/deadlines.py: 登记立案规定第七条
        return f"【退回起诉材料通知】您提交的立案申请{number}{reason}。"
    return (f"【不予立案通知】您提交的立案申请{number}经{filing.court_name}审查，决定不予立案。理由：{reason}\n"
            "法院将依法出具裁定书；如您不服，可以自裁定书送达之日起十日内向上一级人民法院提起上诉。")


async def fee_event_text(session: AsyncSession, filing: Filing, event: Event) -> Optional[str]:
    """The fee notice or the payment confirmation for a fee event; None when its rows are gone."""
    detail = event.detail or {}
    if event.action == "fee_notice_issued":
        row = (await session.execute(
            select(FeeNotice, Case).join(Case, Case.id == FeeNotice.case_id)
            .where(FeeNotice.public_id == str(detail.get("fee_notice", "")))
        )).first()
        if row is None:
            return None
        notice, case = row
        if notice.status == "relief":  # 缓交 or 免交 granted: nothing to pay within the 7 days
            return relief_notice_text(filing, case.case_number, notice.amount)
        return fee_notice_text(case_number=case.case_number, court_name=filing.court_name,
                               amount=notice.amount, due_at=notice.due_at)
    row = (await session.execute(
        select(Payment, Case).join(FeeNotice, FeeNotice.id == Payment.fee_notice_id)
        .join(Case, Case.id == FeeNotice.case_id)
        .where(Payment.order_no == str(detail.get("order_no", "")))
    )).first()
    if row is None:
        return None
    payment, case = row
    return payment_text(amount=payment.amount, order_no=payment.order_no, case_number=case.case_number,
                        late=bool(detail.get("late")))
