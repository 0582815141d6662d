"""申请执行: the application, the checks before the court accepts it, docketing with a 执 number, and
the steps of the case sent to the applicant as notices.

Checks before an application is stored (rules in court/rules/enforcement.py):
* the basis (执行依据) is effective: a case of ours must have its decision marked effective by staff
  (``effective_judgments``); a basis we do not hold (another court's number, an arbitral award) is
  taken as the applicant states it and staff confirm it (``basis_confirmed`` False);
* the applicant is a party to a case of ours that is the basis;
* the two-year period of 民诉法第二百五十条 has not run out — counted again from an interruption the
  applicant states (民法典第一百九十五条), never assumed;
* the court may enforce it (民诉法第二百三十五条).

A litigant sees only their own applications: anyone else's number, application or 执 number, answers
the same 404 as a number that does not exist. Each step staff record (立案 … 结案) is queued as a
delivery into the applicant's conversation (court/services/deliveries.py), once.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.models import Case, EffectiveJudgment, Enforcement, EnforcementStep, Litigant, Party, Staff
from court.rules.case_numbers import CaseNumberError, parse_case_number
from court.rules.courts import court_by_code
from court.rules.enforcement import (
    BASIS_KINDS, ENFORCEMENT_TYPE_CODES, EnforcementError, application_period, check_court, enforcement_case_number,
    enforcement_fee, is_enforcement_number,
)
from court.rules.idcard import mask_id_number
from court.services.deliveries import queue_delivery
from court.services.errors import Conflict, InvalidField, InvalidRequest, NotFound, reject_unknown_fields
from court.services.filing_input import parse_amount, text_field
from court.services.filings import money, stored_key
from court.services.period import china_date
from court.services.review import next_sequence, staff_actor
from court.services.staff import court_scope

NOT_FOUND_MESSAGE = "未找到该执行案件，请核对执行案号或申请号。"
LIST_LIMIT = 100
MAX_LEADS = 20
STATUS_LABELS = {"pending": "待审查", "docketed": "执行中", "rejected": "不予受理", "terminated": "终结本次执行程序",
                 "closed": "已结案"}
#: The steps of an enforcement case as the applicant follows them.
STEPS = {"docketed": "立案", "online_search": "网络查控", "disposal": "财产处置", "payout": "执行款发放",
         "terminated": "终结本次执行程序", "closed": "结案"}
STEP_NOTES = {
    "docketed": "法院已立案执行，将通过网络执行查控系统查询被执行人的存款、不动产、车辆等财产。",
    "online_search": "法院已通过网络执行查控系统查询被执行人的财产。",
    "disposal": "法院正在依法处置被执行人的财产（如拍卖、变卖、扣划）。",
    "payout": "执行款将发放至您的账户，请留意查收。",
    "terminated": "暂未发现被执行人有可供执行的财产，法院裁定终结本次执行程序；发现财产后，您可以申请恢复执行，"
                  "不受申请执行期间的限制（《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第五百一十七条）。",
    "closed": "本执行案件已结案。",
}
LEAD_KINDS = {"bank": "银行存款", "real_estate": "不动产", "vehicle": "车辆", "employer": "工作单位（收入）",
              "other": "其他财产"}
RESPONDENT_KINDS = ("person", "organisation")
FIELDS = {"basis_kind", "basis_number", "basis_document", "respondent", "amount", "acts", "property_leads",
          "performance_last_day", "interrupted", "interrupted_on", "court_code", "property_there",
          "respondent_lives_there"}


@dataclass(frozen=True)
class Application:
    """An application as read from a request body, before any check against the database."""

    basis_kind: str
    basis_number: Optional[str]
    basis_document: Optional[str]
    respondent: dict[str, Optional[str]]
    amount: Any
    acts: Optional[str]
    property_leads: list[dict[str, str]]
    performance_last_day: date
    interrupted_on: Optional[date]
    court_code: str
    property_there: bool
    respondent_lives_there: bool


def _date(body: dict[str, Any], key: str, label: str) -> Optional[date]:
    value = body.get(key)
    if value is None:
        return None
    try:
        return date.fromisoformat(value) if isinstance(value, str) else _bad_date(key, label)
    except ValueError:
        return _bad_date(key, label)


def _bad_date(key: str, label: str) -> date:
    raise InvalidField("invalid_date", f"{label}的格式应为 YYYY-MM-DD，例如 2025-06-30。", key)


def _flag(body: dict[str, Any], key: str, label: str) -> bool:
    value = body.get(key, False)
    if not isinstance(value, bool):
        raise InvalidField("wrong_type", f"{label}应为 true 或 false。", key)
    return value


def _respondent(raw: Any) -> dict[str, Optional[str]]:
    if not isinstance(raw, dict):
        raise InvalidField("missing_field", "请填写被执行人的姓名或名称。", "respondent")
    reject_unknown_fields(raw, {"name", "kind", "id_number", "address"}, where="respondent.")
    kind = raw.get("kind", "person")
    if kind not in RESPONDENT_KINDS:
        raise InvalidField("invalid_choice", "被执行人类型应为 person（自然人）或 organisation（法人或其他组织）。",
                           "respondent.kind")
    return {"kind": kind, "name": text_field(raw, "name", "被执行人的姓名或名称", max_len=128),
            "id_number": text_field(raw, "id_number", "被执行人的身份证号码或统一社会信用代码", required=False, max_len=18),
            "address": text_field(raw, "address", "被执行人的住所", required=False)}


def _leads(raw: Any) -> list[dict[str, str]]:
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_LEADS:
        raise InvalidField("wrong_type", f"财产线索应为列表，最多{MAX_LEADS}条。", "property_leads")
    leads = []
    for i, item in enumerate(raw):
        where = f"property_leads[{i}]"
        if not isinstance(item, dict):
            raise InvalidField("wrong_type", "每条财产线索应包含类型和说明。", where)
        reject_unknown_fields(item, {"kind", "detail"}, where=where + ".")
        if item.get("kind") not in LEAD_KINDS:
            raise InvalidField("invalid_choice", "财产线索类型应为 bank、real_estate、vehicle、employer 或 other。",
                               where + ".kind")
        leads.append({"kind": item["kind"], "detail": text_field(item, "detail", "财产线索的说明")})
    return leads


def parse_application(body: dict[str, Any]) -> Application:
    """Every field checked (a clear Chinese 4xx naming it), nothing read from the database yet."""
    reject_unknown_fields(body, FIELDS)
    kind = body.get("basis_kind")
    if not isinstance(kind, str) or kind not in BASIS_KINDS:  # an object is no set key: a 500 (make fuzz)
        raise InvalidField("invalid_choice", "执行依据应为 judgment（判决书）、ruling（裁定书）、mediation（调解书）"
                           "或 arbitration（仲裁裁决书）。", "basis_kind")
    number = text_field(body, "basis_number", "执行依据的案号", required=False, max_len=64)
    document = text_field(body, "basis_document", "执行依据的文书说明", required=False, max_len=256)
    if not number and not document:
        raise InvalidField("missing_field", "请提供执行依据的案号，或说明您上传的生效法律文书。", "basis_number")
    amount = parse_amount(body.get("amount"), "amount")
    acts = text_field(body, "acts", "申请执行的行为", required=False, max_len=500)
    if amount is None and not acts:
        raise InvalidField("missing_field", "请说明申请执行的金额，或要求被执行人履行的行为。", "amount")
    performance = _date(body, "performance_last_day", "履行期限最后一日")
    if performance is None:
        raise InvalidField("missing_field", "请提供法律文书规定的履行期限最后一日。", "performance_last_day")
    interrupted = body.get("interrupted")
    if not isinstance(interrupted, bool):
        raise InvalidField("missing_field", "请说明申请执行时效是否中断过（例如您曾向对方催要、对方同意履行）。",
                           "interrupted")
    interrupted_on = _date(body, "interrupted_on", "时效中断的日期")
    if interrupted and interrupted_on is None:
        raise InvalidField("missing_field", "请提供时效中断的日期（例如您最后一次向对方催要的日期）。", "interrupted_on")
    court = text_field(body, "court_code", "执行法院", max_len=16)
    return Application(kind, number, document, _respondent(body.get("respondent")), amount, acts,
                       _leads(body.get("property_leads")), performance, interrupted_on if interrupted else None,
                       court, _flag(body, "property_there", "财产是否在该法院辖区"),
                       _flag(body, "respondent_lives_there", "被执行人是否住在该法院辖区"))


def _refuse(err: EnforcementError, field: str) -> InvalidField:
    return InvalidField(err.code, err.message, field)


async def _basis(session: AsyncSession, app: Application, litigant: Litigant,
                 today: date) -> tuple[Optional[str], Optional[Case], Optional[EffectiveJudgment]]:
    """The basis's canonical number and, when it is a case of ours, the case and its effective decision."""
    if not app.basis_number or app.basis_kind == "arbitration":
        return app.basis_number, None, None
    try:
        parsed = parse_case_number(app.basis_number, today=today)
    except CaseNumberError as err:
        raise InvalidField(f"basis_number_{err.code}", err.message, "basis_number") from None
    if is_enforcement_number(parsed):
        raise InvalidField("basis_is_enforcement", "这是执行案件的案号。请提供作为执行依据的判决书、裁定书或调解书的案号。",
                           "basis_number")
    number = parsed.canonical()
    case = (await session.execute(select(Case).where(Case.case_number == number))).scalar_one_or_none()
    if case is None:
        return number, None, None
    parties = (await session.execute(select(Party.id_number).where(Party.filing_id == case.filing_id))).scalars()
    if litigant.id_number not in set(parties):
        raise InvalidField("not_a_party", "根据本院记录，您不是该案件的当事人，不能以本人名义申请执行。"
                           "如您是权利承继人或代理人，请联系法院。", "basis_number")
    judgment = (await session.execute(
        select(EffectiveJudgment).where(EffectiveJudgment.case_id == case.id))).scalar_one_or_none()
    if judgment is None:
        raise InvalidField("basis_not_effective", "该案件的裁判文书尚未生效（法院尚未登记生效），暂不能申请执行。"
                           "如判决已送达且上诉期已过，请联系法院核实。", "basis_number")
    return number, case, judgment


def _same_request(existing: Enforcement, digest: str) -> Enforcement:
    if existing.request_hash != digest:
        raise Conflict("idempotency_conflict", "该幂等键已用于另一份不同的执行申请。", "Idempotency-Key")
    return existing


async def create_application(session: AsyncSession, app: Application, *, litigant: Litigant, key: Optional[str],
                             digest: str, at: datetime, conversation_id: Optional[str],
                             channel: Optional[str]) -> tuple[Enforcement, bool]:
    """Check and store an application (committed); a retried Idempotency-Key returns the first one."""
    stored = stored_key(litigant.id, key) if key is not None else None
    if stored is not None:
        existing = (await session.execute(
            select(Enforcement).where(Enforcement.idempotency_key == stored))).scalar_one_or_none()
        if existing is not None:
            return _same_request(existing, digest), False
    today = china_date(at)
    number, case, judgment = await _basis(session, app, litigant, today)
    performance = (judgment.performance_last_day if judgment is not None and judgment.performance_last_day
                   else app.performance_last_day)
    if performance > today:
        raise InvalidField("performance_not_due", "履行期限尚未届满，对方仍可自动履行；期限届满后仍不履行的，您再申请执行。",
                           "performance_last_day")
    try:
        period = application_period(performance, interrupted_on=app.interrupted_on, today=today)
    except EnforcementError as err:
        raise _refuse(err, "interrupted_on") from None
    if period.expired(today):
        raise InvalidField("period_expired", f"申请执行期间已经届满：{period.explanation}"
                           "如期间曾经中断或中止（例如您曾向对方催要、对方同意履行），请说明日期后再申请。",
                           "interrupted_on" if app.interrupted_on else "performance_last_day")
    court = court_by_code(app.court_code)
    if court is None:
        raise InvalidField("court_unknown", "未找到该法院，请您提供法院全称或代码。", "court_code")
    check = check_court(court.code, app.basis_kind, number, property_there=app.property_there,
                        respondent_lives_there=app.respondent_lives_there)
    if not check.ok:
        raise InvalidField("court_not_competent", f"{check.message}（{check.basis}）", "court_code")
    fee = enforcement_fee(app.amount)
    row = Enforcement(
        number=f"ZX{secrets.token_hex(6)}", idempotency_key=stored, request_hash=digest, litigant_id=litigant.id,
        conversation_id=conversation_id, channel=channel, status="pending", basis_kind=app.basis_kind,
        basis_number=number, basis_document=app.basis_document, basis_case_id=case.id if case else None,
        basis_confirmed=judgment is not None, court_code=court.code, court_name=court.name,
        court_note=check.message if check.needs_confirmation else None,
        applicant={"name": litigant.name, "id_number": litigant.id_number}, respondent=app.respondent,
        amount=app.amount, acts=app.acts, property_leads=app.property_leads, performance_last_day=performance,
        interrupted_on=app.interrupted_on, period_last_day=period.last_day, fee=fee.amount,
        fee_text=fee.explanation, created_at=at, updated_at=at)
    session.add(row)
    try:
        await session.flush()
        row.number = f"ZX{today:%Y%m%d}{row.id:06d}"
        await session.commit()
    except IntegrityError:  # the same key, raced: the other request's application
        await session.rollback()
        existing = (await session.execute(
            select(Enforcement).where(Enforcement.idempotency_key == stored))).scalar_one_or_none() if stored else None
        if existing is None:
            raise
        return _same_request(existing, digest), False
    return row, True


# --- reading -------------------------------------------------------------------------------------


def _by_ref(ref: str, today: date):
    """A query for an application number (ZX…) or any spelling of a 执 case number."""
    ref = ref.strip()
    if ref.upper().startswith("ZX"):
        return select(Enforcement).where(Enforcement.number == ref.upper())
    try:
        number = parse_case_number(ref, today=today).canonical()
    except CaseNumberError:
        raise NotFound("not_found", NOT_FOUND_MESSAGE, "number") from None
    return select(Enforcement).where(Enforcement.case_number == number)


async def own_enforcement(session: AsyncSession, ref: str, litigant: Litigant, today: date) -> Enforcement:
    """The litigant's own application or case; 404 for anyone else's exactly as for none."""
    row = (await session.execute(_by_ref(ref, today).where(Enforcement.litigant_id == litigant.id))).scalar_one_or_none()
    if row is None:
        raise NotFound("not_found", NOT_FOUND_MESSAGE, "number")
    return row


async def list_own(session: AsyncSession, litigant: Litigant) -> list[Enforcement]:
    return list((await session.execute(
        select(Enforcement).where(Enforcement.litigant_id == litigant.id)
        .order_by(Enforcement.id.desc()).limit(LIST_LIMIT))).scalars())


async def steps_of(session: AsyncSession, row: Enforcement) -> list[EnforcementStep]:
    return list((await session.execute(
        select(EnforcementStep).where(EnforcementStep.enforcement_id == row.id).order_by(EnforcementStep.id))).scalars())


def _iso(moment: Optional[datetime]) -> Optional[str]:
    return moment.astimezone(timezone.utc).isoformat() if moment else None


def enforcement_json(row: Enforcement, steps: list[EnforcementStep], *, staff: bool = False) -> dict[str, Any]:
    """The application as its applicant (ID number masked) or staff (whole) see it."""
    applicant = dict(row.applicant)
    respondent = dict(row.respondent)
    if not staff:
        applicant["id_number"] = mask_id_number(applicant.get("id_number") or "")
        if respondent.get("id_number"):
            respondent["id_number"] = mask_id_number(respondent["id_number"])
    body = {
        "number": row.number, "case_number": row.case_number, "status": row.status,
        "status_label": STATUS_LABELS[row.status],
        "basis": {"kind": row.basis_kind, "kind_label": BASIS_KINDS[row.basis_kind], "case_number": row.basis_number,
                  "document": row.basis_document, "confirmed": row.basis_confirmed},
        "court": {"code": row.court_code, "name": row.court_name},
        "applicant": applicant, "respondent": respondent, "amount": money(row.amount), "acts": row.acts,
        "property_leads": [dict(lead, kind_label=LEAD_KINDS[lead["kind"]]) for lead in row.property_leads],
        "performance_last_day": row.performance_last_day.isoformat(),
        "interrupted_on": row.interrupted_on.isoformat() if row.interrupted_on else None,
        "period_last_day": row.period_last_day.isoformat(),
        "fee": {"amount": money(row.fee), "prepaid": False, "text": row.fee_text},
        "reject_reason": row.reject_reason,
        "steps": [{"step": s.step, "label": STEPS[s.step], "note": s.note, "at": _iso(s.at)} for s in steps],
        "created_at": _iso(row.created_at),
    }
    if staff:
        body["court_note"] = row.court_note
    return body


# --- staff ---------------------------------------------------------------------------------------


def _scoped(query, staff: Staff):
    scope = court_scope(staff)
    return query if scope is None else query.where(Enforcement.court_code == scope)


async def staff_queue(session: AsyncSession, staff: Staff, status: Optional[str], limit: int,
                      offset: int) -> dict[str, Any]:
    if status is not None and status not in STATUS_LABELS:
        raise InvalidRequest("invalid_query", "状态应为 pending、docketed、rejected、terminated 或 closed。", "status")
    query = _scoped(select(Enforcement), staff)
    if status is not None:
        query = query.where(Enforcement.status == status)
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = list((await session.execute(query.order_by(Enforcement.id).limit(limit).offset(offset))).scalars())
    return {"total": total, "enforcements": [enforcement_json(r, []) for r in rows]}  # masked, like the filings queue


async def staff_enforcement(session: AsyncSession, ref: str, staff: Staff, today: date, *,
                            lock: bool = False) -> Enforcement:
    query = _scoped(_by_ref(ref, today), staff)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    row = (await session.execute(query)).scalar_one_or_none()
    if row is None:
        raise NotFound("not_found", NOT_FOUND_MESSAGE, "number")
    return row


def parse_review(body: dict[str, Any]) -> tuple[str, Optional[str], str]:
    """(decision, reason, kind): accept with a 执 type, or reject with a reason."""
    reject_unknown_fields(body, {"decision", "reason", "kind"})
    decision = body.get("decision")
    if decision not in ("accept", "reject"):
        raise InvalidField("invalid_choice", "决定应为 accept（立案执行）或 reject（不予受理）。", "decision")
    reason = text_field(body, "reason", "不予受理的理由", required=decision == "reject", max_len=500)
    kind = body.get("kind", "first")
    if kind not in ("first", "resumed"):
        raise InvalidField("invalid_choice", "执行案件类型应为 first（首次执行，执）或 resumed（恢复执行，执恢）。", "kind")
    return decision, reason, kind


def notice_text(row: Enforcement, step: Optional[EnforcementStep]) -> str:
    """The message the applicant receives for a step, or for a refusal (step None)."""
    if step is None:
        return (f"【执行申请审查结果】您的执行申请{row.number}经{row.court_name}审查，决定不予受理。理由：{row.reject_reason}\n"
                "法院将依法出具裁定书；如您不服，可以自裁定书送达之日起十日内向上一级人民法院申请复议。")
    label = STEPS[step.step]
    text = f"【执行进展】{row.case_number}（{row.court_name}）：{label}。{STEP_NOTES[step.step]}"
    if step.step == "docketed":
        text = (f"【执行立案通知】您的执行申请{row.number}已经{row.court_name}立案执行，执行案号为{row.case_number}。"
                f"{STEP_NOTES['docketed']}{row.fee_text}")
    if step.note:
        text += f"\n说明：{step.note}"
    return text + "您可以随时发送执行案号查询进展。"


async def _notify(session: AsyncSession, row: Enforcement, step: Optional[EnforcementStep], at: datetime) -> None:
    if not row.conversation_id:
        return
    kind, ref = ("enforcement_step", f"enforcement_step:{step.id}") if step else \
        ("enforcement_rejected", f"enforcement:{row.id}")
    await queue_delivery(session, conversation_id=row.conversation_id, channel=row.channel, kind=kind, ref=ref,
                         text=notice_text(row, step), at=at)


async def apply_review(session: AsyncSession, row: Enforcement, staff: Staff, decision: str, reason: Optional[str],
                       kind: str, at: datetime) -> None:
    """Docket with a 执 number (and its 立案 step) or refuse; the applicant is told either way. Committed."""
    if row.status != "pending":
        raise Conflict("already_decided", "该执行申请已经审查过了。")
    if decision == "reject":
        row.status, row.reject_reason, row.updated_at = "rejected", reason, at
        await _notify(session, row, None, at)
        await session.commit()
        return
    received = china_date(at)
    type_code = ENFORCEMENT_TYPE_CODES[kind]
    seq = await next_sequence(session, row.court_code, type_code, received.year)
    row.case_number = enforcement_case_number(received.year, row.court_code, seq, kind, today=received)
    row.status, row.basis_confirmed, row.updated_at = "docketed", True, at
    await _add_step(session, row, staff, "docketed", None, at)
    await session.commit()


async def _add_step(session: AsyncSession, row: Enforcement, staff: Staff, step: str, note: Optional[str],
                    at: datetime) -> EnforcementStep:
    entry = EnforcementStep(enforcement_id=row.id, step=step, note=note, actor=staff_actor(staff), at=at)
    session.add(entry)
    await session.flush()
    await _notify(session, row, entry, at)
    return entry


def parse_step(body: dict[str, Any]) -> tuple[str, Optional[str]]:
    reject_unknown_fields(body, {"step", "note"})
    step = body.get("step")
    if not isinstance(step, str) or step not in STEPS or step == "docketed":
        raise InvalidField("invalid_choice", "执行进展应为 online_search（网络查控）、disposal（财产处置）、payout（执行款发放）、"
                           "terminated（终结本次执行程序）或 closed（结案）。", "step")
    return step, text_field(body, "note", "说明", required=False, max_len=500)


async def record_step(session: AsyncSession, row: Enforcement, staff: Staff, step: str, note: Optional[str],
                      at: datetime) -> None:
    """A step of a docketed case; 终本 and 结案 end it (a case after them takes no more steps). Committed."""
    if row.status != "docketed":
        raise Conflict("not_in_progress", "该执行案件不在执行中，不能记录进展。")
    await _add_step(session, row, staff, step, note, at)
    if step in ("terminated", "closed"):
        row.status = step
    row.updated_at = at
    await session.commit()


# --- effective decisions ---------------------------------------------------------------------------


def parse_effective(body: dict[str, Any]) -> tuple[str, date, Optional[date]]:
    reject_unknown_fields(body, {"kind", "effective_on", "performance_last_day"})
    kind = body.get("kind", "judgment")
    if kind not in ("judgment", "ruling", "mediation"):
        raise InvalidField("invalid_choice", "文书类型应为 judgment（判决书）、ruling（裁定书）或 mediation（调解书）。", "kind")
    effective = _date(body, "effective_on", "生效日期")
    if effective is None:
        raise InvalidField("missing_field", "请填写生效日期。", "effective_on")
    performance = _date(body, "performance_last_day", "履行期限最后一日")
    if performance is not None and performance < effective:
        raise InvalidField("invalid_date", "履行期限最后一日不能早于生效日期。", "performance_last_day")
    return kind, effective, performance


async def mark_effective(session: AsyncSession, case: Case, staff: Staff, kind: str, effective_on: date,
                         performance_last_day: Optional[date], at: datetime) -> EffectiveJudgment:
    """Record (or correct) that the case's decision took effect: its parties may then apply. Committed."""
    row = (await session.execute(select(EffectiveJudgment).where(EffectiveJudgment.case_id == case.id))).scalar_one_or_none()
    if row is None:
        row = EffectiveJudgment(case_id=case.id)
        session.add(row)
    row.kind, row.effective_on, row.performance_last_day = kind, effective_on, performance_last_day
    row.marked_by, row.marked_at = staff_actor(staff), at
    await session.commit()
    return row


def effective_json(case: Case, row: EffectiveJudgment) -> dict[str, Any]:
    return {"case_number": case.case_number, "kind": row.kind, "effective_on": row.effective_on.isoformat(),
            "performance_last_day": row.performance_last_day.isoformat() if row.performance_last_day else None}


async def staff_case(session: AsyncSession, number: str, staff: Staff) -> Case:
    """A case of the staff member's court, by canonical number; 404 otherwise."""
    case = (await session.execute(select(Case).where(Case.case_number == number))).scalar_one_or_none()
    scope = court_scope(staff)
    if case is None or (scope is not None and case.court_code != scope):
        raise NotFound("not_found", "未找到该案件，请核对案号。", "case_number")
    return case

