"""The court's view of its own online service (issue 12 §3): filings per day, time to decision
against the seven-day rule, 补正 and rejection rates with their reasons, fees, the conversation
funnel and handoffs — SQL aggregates that run on SQLite and PostgreSQL.

Scope: a clerk or judge bound to a court sees that court's figures (filings, decisions, fees by the
filing's or case's court; conversations and tickets as the transcript and ticket lists scope them);
an administrator, or a member bound to no court, sees every court or the one asked for.

Days are China calendar days (Asia/Shanghai, no daylight saving since 1991, so +8 hours on SQLite).
The seven-day rule (民诉法第一百二十六条；《关于人民法院登记立案若干问题的规定》第八条): a filing's latest
decision is on time when it is on or before ``filings.decision_due`` — the due day of the round it
decides (a correction restarts the count, 规定第七条). Reasons are counted in Python over the
period's few decision rows: their items are JSON lists, which the two databases unnest differently.
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import Float, and_, case, cast, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement

from court.infra.models import Case, Event, FeeNotice, Filing, Money, Staff, Ticket, TranscriptConversation
from court.rules.periods import FILING_DECISION_DAYS
from court.services import statuses
from court.services.period import Period
from court.services.staff import court_scope
from court.services.tickets import tickets_at_court
from court.services.transcripts import scoped_to_court

DECISIONS = ("correction_requested", "rejected", "docketed")
TOP_REASONS = 5
TOP_EXITS = 8
NO_REASON = "（未写明理由）"
NO_FORM = "（未进入填写环节）"
# Where a conversation stopped: the question it was asked last (requested_slot), in the clerk's words.
SLOT_LABELS = {
    "identity_name": "实名认证：姓名", "identity_id_number": "实名认证：身份证号", "identity_phone": "实名认证：手机号",
    "sms_code": "实名认证：短信验证码", "case_type": "案由", "court": "受诉法院", "filer_is_plaintiff": "是否本人起诉",
    "plaintiff_name": "原告姓名", "plaintiff_id_number": "原告身份证号", "plaintiff_phone": "原告电话",
    "plaintiff_address": "原告住所", "plaintiff_kind": "原告类型", "defendant_name": "被告名称",
    "defendant_address": "被告住所", "defendant_kind": "被告类型", "claims": "诉讼请求", "amount": "标的额",
    "evidence": "证据", "facts": "事实与理由", "mediation_consent": "是否同意调解", "e_service_consent": "电子送达同意",
    "e_service_address": "电子送达地址", "filing_confirmed": "确认提交", "handoff_question": "转人工：问题",
}


@dataclass(frozen=True)
class DashboardQuery:
    period: Period = Period()
    court: Optional[str] = None  # a court code asked for (administrators, or members bound to none)


def _court(staff: Staff, asked: Optional[str]) -> Optional[str]:
    """The member's own court wins over the one asked for: a bound clerk sees nothing else."""
    return court_scope(staff) or asked


def _china_day(db: str, column: Any) -> ColumnElement:
    if db == "postgresql":
        return func.to_char(func.timezone("Asia/Shanghai", column), "YYYY-MM-DD")
    return func.date(column, "+8 hours")


def _seconds(db: str, later: Any, earlier: Any) -> ColumnElement:
    if db == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def _rate(part: int, whole: int) -> Optional[float]:
    return round(part / whole, 4) if whole else None


def _days(seconds: Optional[float]) -> Optional[float]:
    return None if seconds is None else round(float(seconds) / 86400, 2)


def _hours(seconds: Optional[float]) -> Optional[float]:
    return None if seconds is None else round(float(seconds) / 3600, 2)


def _yuan(value: Optional[Decimal]) -> str:
    return str(value if value is not None else Decimal("0.00"))


async def _filings_per_day(session: AsyncSession, db: str, q: DashboardQuery, court: Optional[str]) -> dict[str, Any]:
    day = _china_day(db, Filing.created_at).label("day")
    where = q.period.conditions(Filing.created_at, Filing.created_at) + ([Filing.court_code == court] if court else [])
    rows = (await session.execute(
        select(day, Filing.court_code, Filing.court_name, Filing.case_type, func.count().label("n"))
        .where(*where).group_by(day, Filing.court_code, Filing.court_name, Filing.case_type)
        .order_by(day, Filing.court_code, Filing.case_type))).all()
    by_day = [{"date": str(r.day), "court_code": r.court_code, "court_name": r.court_name, "case_type": r.case_type,
               "count": r.n} for r in rows]
    return {"total": sum(r["count"] for r in by_day), "by_day": by_day}


async def _decision_time(session: AsyncSession, db: str, q: DashboardQuery, court: Optional[str],
                         at: datetime) -> dict[str, Any]:
    rounds = (select(Event.filing_id, func.min(Event.at).label("first"), func.max(Event.at).label("last"))
              .where(Event.action.in_(DECISIONS)).group_by(Event.filing_id).subquery())
    where = q.period.conditions(rounds.c.last, rounds.c.last) + ([Filing.court_code == court] if court else [])
    on_time = case((rounds.c.last <= Filing.decision_due, 1), else_=0)
    late = case((rounds.c.last > Filing.decision_due, 1), else_=0)
    row = (await session.execute(
        select(func.count().label("decided"), func.coalesce(func.sum(on_time), 0).label("on_time"),
               func.coalesce(func.sum(late), 0).label("late"),
               func.avg(cast(_seconds(db, rounds.c.first, Filing.created_at), Float)).label("avg_first"))
        .select_from(rounds).join(Filing, Filing.id == rounds.c.filing_id).where(*where))).one()
    waiting = [Filing.status == statuses.PENDING, Filing.decision_due < at] + ([Filing.court_code == court] if court else [])
    overdue_now = (await session.execute(select(func.count()).select_from(Filing).where(*waiting))).scalar_one()
    return {"rule_days": FILING_DECISION_DAYS, "decided": row.decided, "on_time": int(row.on_time),
            "late": int(row.late), "on_time_rate": _rate(int(row.on_time), int(row.on_time) + int(row.late)),
            "average_days_to_first_decision": _days(row.avg_first), "pending_past_due": overdue_now}


async def _review(session: AsyncSession, q: DashboardQuery, court: Optional[str]) -> dict[str, Any]:
    where = [Event.action.in_(DECISIONS), *q.period.conditions(Event.at, Event.at)]
    if court:
        where.append(Event.filing_id.in_(select(Filing.id).where(Filing.court_code == court)))
    counts = dict((await session.execute(
        select(Event.action, func.count()).where(*where).group_by(Event.action))).all())
    items: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for action, detail in await session.execute(
            select(Event.action, Event.detail).where(*where, Event.action.in_(("correction_requested", "rejected")))):
        detail = detail or {}
        if action == "correction_requested":
            items.update(str(i).strip() for i in detail.get("items") or [] if str(i).strip())
        else:
            reasons[(detail.get("reason") or "").strip() or NO_REASON] += 1
    total = sum(counts.values())
    corrections, rejections = counts.get("correction_requested", 0), counts.get("rejected", 0)
    return {"decisions": total, "docketed": counts.get("docketed", 0), "corrections": corrections,
            "rejections": rejections, "correction_rate": _rate(corrections, total),
            "rejection_rate": _rate(rejections, total),
            "top_correction_items": [{"reason": k, "count": v} for k, v in items.most_common(TOP_REASONS)],
            "top_rejection_reasons": [{"reason": k, "count": v} for k, v in reasons.most_common(TOP_REASONS)]}


async def _fees(session: AsyncSession, q: DashboardQuery, court: Optional[str], at: datetime) -> dict[str, Any]:
    overdue = (FeeNotice.status == "overdue") | ((FeeNotice.status == "unpaid") & (FeeNotice.due_at < at))
    paid = FeeNotice.status == "paid"

    def amount(condition: Any) -> Any:
        return type_coerce(func.coalesce(func.sum(case((condition, FeeNotice.amount), else_=0)), 0), Money)

    def count(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    where = q.period.conditions(FeeNotice.issued_at, FeeNotice.issued_at) + ([Case.court_code == court] if court else [])
    row = (await session.execute(
        select(func.count().label("noticed"), type_coerce(func.coalesce(func.sum(FeeNotice.amount), 0), Money).label("noticed_amount"),
               count(paid).label("paid"), amount(paid).label("paid_amount"),
               count(overdue).label("overdue"), amount(overdue).label("overdue_amount"),
               count(FeeNotice.status == "relief").label("relief"))
        .select_from(FeeNotice).join(Case, Case.id == FeeNotice.case_id).where(*where))).one()
    return {"noticed": row.noticed, "noticed_amount": _yuan(row.noticed_amount), "paid": int(row.paid),
            "paid_amount": _yuan(row.paid_amount), "overdue": int(row.overdue),
            "overdue_amount": _yuan(row.overdue_amount), "relief": int(row.relief),
            "paid_rate": _rate(int(row.paid), row.noticed)}


async def _funnel(session: AsyncSession, q: DashboardQuery, court: Optional[str]) -> dict[str, Any]:
    conv = TranscriptConversation
    filed = select(Filing.conversation_id).where(Filing.conversation_id.is_not(None))
    if court:
        filed = filed.where(Filing.court_code == court)
    submitted = conv.conversation_id.in_(filed)
    base = scoped_to_court(select(conv.conversation_id, conv.verified_at, conv.requested_slot), court)
    scoped = base.where(*q.period.conditions(conv.started_at, conv.started_at)).add_columns(
        case((submitted, 1), else_=0).label("submitted")).subquery()
    row = (await session.execute(select(
        func.count().label("started"),
        func.coalesce(func.sum(case((scoped.c.verified_at.is_not(None), 1), else_=0)), 0).label("verified"),
        func.coalesce(func.sum(scoped.c.submitted), 0).label("submitted")).select_from(scoped))).one()
    exits = (await session.execute(
        select(scoped.c.requested_slot, func.count().label("n")).where(scoped.c.submitted == 0)
        .group_by(scoped.c.requested_slot)
        .order_by(func.count().desc(), func.coalesce(scoped.c.requested_slot, "")).limit(TOP_EXITS))).all()
    return {"started": row.started, "verified": int(row.verified), "submitted": int(row.submitted),
            "left_at": [{"slot": slot, "label": SLOT_LABELS.get(slot, slot) if slot else NO_FORM, "count": n}
                        for slot, n in exits]}


async def _tickets(session: AsyncSession, db: str, q: DashboardQuery, court: Optional[str]) -> dict[str, Any]:
    answered = Ticket.answered_at.is_not(None)
    wait = _seconds(db, Ticket.answered_at, Ticket.created_at)
    where = q.period.conditions(Ticket.created_at, Ticket.created_at) + tickets_at_court(court)
    row = (await session.execute(select(
        func.count().label("opened"), func.coalesce(func.sum(case((answered, 1), else_=0)), 0).label("answered"),
        func.coalesce(func.sum(case((Ticket.status == "open", 1), else_=0)), 0).label("open"),
        func.avg(case((answered, cast(wait, Float)))).label("avg_wait"),
        func.coalesce(func.sum(case((and_(answered, wait <= 86400), 1), else_=0)), 0).label("within_day"),
    ).select_from(Ticket).where(*where))).one()
    return {"opened": row.opened, "answered": int(row.answered), "open": int(row.open),
            "average_hours_to_answer": _hours(row.avg_wait), "answered_within_24h": int(row.within_day)}


async def dashboard(session: AsyncSession, staff: Staff, q: DashboardQuery, at: datetime) -> dict[str, Any]:
    """Every figure of the dashboard for the period, within the member's scope."""
    db = session.bind.dialect.name
    court = _court(staff, q.court)
    return {
        "period": {"date_from": q.period.date_from.isoformat() if q.period.date_from else None,
                   "date_to": q.period.date_to.isoformat() if q.period.date_to else None},
        "court_code": court,
        "filings": await _filings_per_day(session, db, q, court),
        "decision_time": await _decision_time(session, db, q, court, at),
        "review": await _review(session, q, court),
        "fees": await _fees(session, q, court, at),
        "funnel": await _funnel(session, q, court),
        "tickets": await _tickets(session, db, q, court),
    }


# --- CSV: one table, one Chinese header row, every figure of the JSON -----------------------

CSV_HEADER = ("板块", "指标", "日期", "法院", "案件类型", "数值")
SUMMARY_ROWS = (
    ("审查用时", "decision_time", (("decided", "已审查立案申请数"), ("on_time", "七日内作出决定"), ("late", "超过七日"),
                                ("on_time_rate", "按期率"), ("average_days_to_first_decision", "首次决定平均用时（天）"),
                                ("pending_past_due", "待审核且已超期"))),
    ("补正与不予立案", "review", (("decisions", "审查决定数"), ("docketed", "立案"), ("corrections", "要求补正"),
                           ("rejections", "不予立案"), ("correction_rate", "补正率"), ("rejection_rate", "不予立案率"))),
    ("诉讼费", "fees", (("noticed", "交费通知数"), ("noticed_amount", "通知金额（元）"), ("paid", "已交费"),
                      ("paid_amount", "已交金额（元）"), ("overdue", "逾期未交"), ("overdue_amount", "逾期金额（元）"),
                      ("relief", "司法救助"), ("paid_rate", "交费率"))),
    ("对话漏斗", "funnel", (("started", "开始对话"), ("verified", "完成实名认证"), ("submitted", "提交立案申请"))),
    ("转人工", "tickets", (("opened", "转人工请求"), ("answered", "已答复"), ("open", "待答复"),
                        ("average_hours_to_answer", "平均答复用时（小时）"), ("answered_within_24h", "24小时内答复"))),
)


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def dashboard_csv(data: dict[str, Any]) -> str:
    """The dashboard as CSV (UTF-8 with a BOM, so that Excel reads the Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in data["filings"]["by_day"]:
        writer.writerow(("立案申请", "每日立案申请数", r["date"], r["court_name"], r["case_type"], r["count"]))
    for section, key, fields in SUMMARY_ROWS:
        for field, label in fields:
            writer.writerow((section, label, "", "", "", _cell(data[key][field])))
    for r in data["review"]["top_correction_items"]:
        writer.writerow(("补正与不予立案", f"补正事项：{r['reason']}", "", "", "", r["count"]))
    for r in data["review"]["top_rejection_reasons"]:
        writer.writerow(("补正与不予立案", f"不予立案理由：{r['reason']}", "", "", "", r["count"]))
    for r in data["funnel"]["left_at"]:
        writer.writerow(("对话漏斗", f"未提交，停在：{r['label']}", "", "", "", r["count"]))
    return "\ufeff" + out.getvalue()
