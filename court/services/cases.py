"""Docketed cases (GetCase, GetCaseList): lookup by any spelling of the case number, and the views.

Who sees a case: the litigant who filed it, and any verified litigant whose ID number is one of
the parties' (a plaintiff represented by an agent, a defendant). Anyone else gets the same 404
as a number that does not exist. Litigants see the parties' ID and mobile numbers masked; staff
(court.services.staff) see them whole in the full view.

The timeline is the filing's events, oldest first, each with a Chinese sentence a litigant can
read. Internal payment bookkeeping (rejected or duplicate provider callbacks) is shown to staff only.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Optional

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.models import Case, Event, FeeNotice, Filing, Litigant, Party
from court.rules.case_numbers import CaseNumberError, parse_case_number
from court.services.errors import InvalidField, NotFound
from court.services.fee_service import DUE_UNKNOWN, due_label
from court.services.filings import claim_json, filing_json, masked_party_json, money
from court.services.period import CHINA_TZ

CASE_STATUS_LABELS = {"docketed": "已立案"}
FEE_STATUS_LABELS = {"unpaid": "待交费", "paid": "已交费", "overdue": "逾期未交", "relief": "已获司法救助"}
HIDDEN_FROM_LITIGANTS = {"payment_rejected", "payment_amount_mismatch", "payment_duplicate"}
NOT_FOUND_MESSAGE = "未找到该案件，请核对案号。"
APPEAL_NOTE = "如不服，可以在裁定书送达之日起十日内向上一级人民法院提起上诉。"


def canonical_number(text: str, today: date) -> str:
    """Any spelling of a case number → its canonical form; 422 saying which part was not understood."""
    try:
        return parse_case_number(text, today=today).canonical()
    except CaseNumberError as err:
        raise InvalidField(f"case_number_{err.code}", err.message, "case_number") from None


# --- pure: describing events ------------------------------------------------------------------


def _day(iso: Optional[str]) -> str:
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso).astimezone(CHINA_TZ)
    return f"{moment.year}年{moment.month}月{moment.day}日"


def describe(action: str, detail: Optional[dict[str, Any]]) -> str:
    """One Chinese sentence for a timeline entry."""
    d = detail or {}
    if action == "submitted":
        return "提交立案申请" + ("（代理人代为提交）" if d.get("filer") == "agent" else "") + "，等待法院审核。"
    if action == "document_uploaded":
        return f"上传材料：{d.get('filename', '')}。" if d.get("filename") else "上传了材料。"
    if action == "correction_requested":
        items = "；".join(f"{i}. {item}" for i, item in enumerate(d.get("items") or [], 1))
        extra = f"说明：{d['reason']}。" if d.get("reason") else ""
        if d.get("correction_due"):  # 登记立案规定第七条: the 指定期限
            last = datetime.fromisoformat(d["correction_due"]) - timedelta(microseconds=1)  # due is 24:00
            extra += f"请于{_day(last.isoformat())}24时前补正。"
        return f"法院要求补正，请一次性补齐以下材料或事项：{items}。{extra}"
    if action == "resubmitted":
        return f"已补正并重新提交：{d.get('note', '')}" if d.get("note") else "已补正并重新提交。"
    if action == "rejected":
        return f"法院决定不予立案，理由：{d.get('reason', '')}。{APPEAL_NOTE}"
    if action == "docketed":
        return f"法院已立案，案号为{d.get('case_number', '')}。"
    if action == "fee_notice_issued":
        when = f"请于{_day(d['due_at'])}24时前交纳" if d.get("due_at") else "请自收到通知次日起七日内交纳"
        return f"法院已发出交费通知：应预交案件受理费{d.get('amount', '')}元，{when}（《诉讼费用交纳办法》第二十二条）。"
    if action == "fee_notice_served":
        when = f"交费期限至{_day(d['last_day'])}24时" if d.get("last_day") else DUE_UNKNOWN
        return f"交费通知已{d.get('method_label', '送达')}（{_day(d.get('served_at'))}），{when}。"
    if action == "fee_exempt":
        return "本案为追索劳动报酬案件，无需预交案件受理费（《诉讼费用交纳办法》第二十条）。"
    if action == "payment_created":
        return "已发起在线交费。"
    if action == "fee_paid":
        return f"已交纳诉讼费{d.get('amount', '')}元。" if d.get("amount") else "已交纳诉讼费。"
    if action == "fee_overdue":
        return "交费期限已过仍未交纳诉讼费，待法院处理（逾期未交且未申请司法救助的，按撤诉处理）。"
    if action == "withdrawn":
        return "撤回立案申请" + (f"，理由：{d['reason']}" if d.get("reason") else "") + "。"
    if isinstance(d.get("message"), str):
        return d["message"]
    return "案件信息已更新。"


def actor_label(actor: str, viewer: Optional[Litigant]) -> str:
    kind, _, ident = actor.partition(":")
    if kind == "staff":
        return "法院"
    if kind == "litigant":
        return "您" if viewer is not None and ident == str(viewer.id) else "当事人"
    return "系统"


def timeline_json(events: list[Event], viewer: Optional[Litigant]) -> list[dict[str, Any]]:
    """The litigant's timeline (no internal entries, no staff names)."""
    return [
        {"at": e.at.isoformat(), "action": e.action, "actor": actor_label(e.actor, viewer),
         "description": describe(e.action, e.detail)}
        for e in events if e.action not in HIDDEN_FROM_LITIGANTS
    ]


def staff_events_json(events: list[Event]) -> list[dict[str, Any]]:
    """The full audit trail for staff."""
    return [
        {"at": e.at.isoformat(), "action": e.action, "actor": e.actor, "actor_label": actor_label(e.actor, None),
         "before": e.before, "after": e.after, "detail": e.detail,
         "description": describe(e.action, e.detail)}
        for e in events
    ]


def fee_notice_json(n: FeeNotice) -> dict[str, Any]:
    return {
        "id": n.public_id, "amount": money(n.amount), "basis": n.basis, "status": n.status,
        "status_label": FEE_STATUS_LABELS.get(n.status, n.status),
        "issued_at": n.issued_at.isoformat(), "due_at": n.due_at.isoformat() if n.due_at else None,
        "served_at": n.served_at.isoformat() if n.served_at else None, "service_method": n.service_method,
        "due_note": due_label(n),
    }


def case_head_json(case: Case, filing: Filing) -> dict[str, Any]:
    return {
        "case_number": case.case_number,
        "status": case.status,
        "status_label": CASE_STATUS_LABELS.get(case.status, case.status),
        "case_type": filing.case_type,
        "court": {"code": filing.court_code, "name": filing.court_name},
        "filing_id": filing.number,
        "docketed_at": case.docketed_at.isoformat(),
    }


def case_json(case: Case, filing: Filing, notices: list[FeeNotice], events: list[Event],
              viewer: Litigant) -> dict[str, Any]:
    """GetCase for a litigant: masked parties, claims, fee notices, the timeline."""
    return {
        **case_head_json(case, filing),
        "amount": money(filing.amount),
        "parties": [masked_party_json(p) for p in filing.parties],
        "claims": [claim_json(c) for c in filing.claims],
        "fee_notices": [fee_notice_json(n) for n in notices],
        "timeline": timeline_json(events, viewer),
    }


def staff_case_json(case: Case, filing: Filing, notices: list[FeeNotice], events: list[Event]) -> dict[str, Any]:
    """The full view for staff: the filing as filed (unmasked), fee notices, the audit trail."""
    return {
        **case_head_json(case, filing),
        "filing": filing_json(filing, case.case_number),
        "fee_notices": [fee_notice_json(n) for n in notices],
        "events": staff_events_json(events),
    }


# --- database ---------------------------------------------------------------------------------


def litigant_may_see(filing: Filing, litigant: Litigant) -> bool:
    return filing.litigant_id == litigant.id or any(p.id_number == litigant.id_number for p in filing.parties)


async def find_case(session: AsyncSession, canonical: str) -> Optional[tuple[Case, Filing]]:
    row = (await session.execute(
        select(Case, Filing).join(Filing, Filing.id == Case.filing_id).where(Case.case_number == canonical)
    )).one_or_none()
    return None if row is None else (row[0], row[1])


async def litigant_case(session: AsyncSession, canonical: str, litigant: Litigant) -> tuple[Case, Filing]:
    found = await find_case(session, canonical)
    if found is None or not litigant_may_see(found[1], litigant):
        raise NotFound("not_found", NOT_FOUND_MESSAGE, "case_number")
    return found


async def litigant_cases(session: AsyncSession, litigant: Litigant) -> list[tuple[Case, Filing]]:
    """GetCaseList: cases the litigant filed or is a party to, newest first."""
    as_party = select(Party.filing_id).where(Party.id_number == litigant.id_number)
    rows = await session.execute(
        select(Case, Filing).join(Filing, Filing.id == Case.filing_id)
        .where(or_(Filing.litigant_id == litigant.id, Filing.id.in_(as_party)))
        .order_by(Case.docketed_at.desc(), Case.id.desc()).limit(200)
    )
    return [(case, filing) for case, filing in rows.all()]


async def notices_of(session: AsyncSession, case: Case) -> list[FeeNotice]:
    rows = await session.execute(select(FeeNotice).where(FeeNotice.case_id == case.id).order_by(FeeNotice.id))
    return list(rows.scalars())


async def events_of(session: AsyncSession, filing: Filing) -> list[Event]:
    rows = await session.execute(select(Event).where(Event.filing_id == filing.id).order_by(Event.at, Event.id))
    return list(rows.scalars())
