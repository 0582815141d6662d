"""司法救助 applied for with the filing and decided by the clerk (《诉讼费用交纳办法》第四十四条至第五十一条).

* The application comes with the complaint (第四十八条): a kind (缓交/减交/免交) and a ground of arts.
  45–47 (court/rules/fee_relief.py), optional words of the applicant; the proof is uploaded as evidence.
* The clerk decides (approve, partly = a reduction by a stated percentage, refuse with written reasons,
  第四十八条第三款) before docketing: a deferral must be decided before the decision to file (第四十九条),
  and the fee notice issued at docketing follows the decision (court/services/review.py).

Stored as one JSON object on the filing (``filings.fee_relief``, migration 0013):
{kind, ground, reason, status: applied|approved|partly|refused, decision: {...} | null}.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Optional

from court.infra.models import Event, Filing, Staff
from court.rules.fee_relief import (KINDS, ReliefDecision, ReliefError, ReliefOutcome, apply_relief, check_application,
                                    grounds, required_materials)
from court.services import statuses
from court.services.errors import Conflict, InvalidField, InvalidRequest, reject_unknown_fields

APPLIED, APPROVED, PARTLY, REFUSED = "applied", "approved", "partly", "refused"
STATUS_LABELS = {APPLIED: "待审查", APPROVED: "准予", PARTLY: "部分准予", REFUSED: "不予准许"}
KIND_LABELS = {"deferral": "缓交", "reduction": "减交", "waiver": "免交"}
REQUEST_FIELDS = {"kind", "ground", "reason"}
DECISION_FIELDS = {"decision", "reduction_percent", "reason"}
DECISIONS = ("approve", "partly", "refuse")


def _rule_error(err: ReliefError, field: str) -> InvalidField:
    return InvalidField(err.code, err.message, field)


def parse_relief_request(raw: Any, natural_person: bool) -> Optional[dict[str, Any]]:
    """The filing's `fee_relief`, checked against arts. 44–47; None when not applied for."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise InvalidRequest("wrong_type", "司法救助申请格式不正确。", "fee_relief")
    reject_unknown_fields(raw, REQUEST_FIELDS, where="fee_relief.")
    kind, ground = raw.get("kind"), raw.get("ground")
    if kind not in KINDS:
        raise InvalidField("unknown_relief_kind", "司法救助的方式请选择缓交、减交或者免交。", "fee_relief.kind")
    if not isinstance(ground, str):
        raise InvalidField("unknown_relief_ground", "请选择申请司法救助的理由。", "fee_relief.ground")
    try:
        check_application(kind, ground, natural_person)
    except ReliefError as err:
        raise _rule_error(err, "fee_relief.ground") from None
    reason = raw.get("reason")
    if reason is not None and (not isinstance(reason, str) or len(reason.strip()) > 1000):
        raise InvalidField("invalid_reason", "申请理由应为1000字以内的文字。", "fee_relief.reason")
    return {"kind": kind, "ground": ground, "reason": (reason or "").strip() or None, "status": APPLIED,
            "decision": None}


def natural_person(parties: list[Any]) -> bool:
    """免交 is for natural persons (第四十四条第二款): the applicants are the plaintiffs."""
    return all(p.kind == "person" for p in parties if p.role == "plaintiff")


def relief_json(f: Filing) -> Optional[dict[str, Any]]:
    """The application and its decision as the litigant and the clerk read them; null when none."""
    relief = f.fee_relief
    if not relief:
        return None
    ground = next((g for g in grounds(relief["kind"]) if g.code == relief["ground"]), None)
    try:
        materials = list(required_materials(relief["kind"], relief["ground"], natural_person(f.parties)))
    except ReliefError:
        materials = []
    return {
        "kind": relief["kind"], "kind_label": KIND_LABELS[relief["kind"]], "ground": relief["ground"],
        "ground_label": ground.label if ground else relief["ground"], "article": ground.article if ground else None,
        "reason": relief.get("reason"), "materials": materials, "status": relief["status"],
        "status_label": STATUS_LABELS[relief["status"]], "decision": relief.get("decision"),
    }


@dataclass(frozen=True)
class ReliefDecisionInput:
    decision: str
    reduction_percent: Optional[Decimal]
    reason: Optional[str]


def parse_relief_decision(body: dict[str, Any]) -> ReliefDecisionInput:
    """{"decision": approve|partly|refuse, "reduction_percent", "reason"}; refusal needs reasons (第四十八条)."""
    reject_unknown_fields(body, DECISION_FIELDS)
    decision = body.get("decision")
    if decision not in DECISIONS:
        raise InvalidField("invalid_decision", "决定应为 approve（准予）、partly（部分准予，按比例减交）或 refuse（不予准许）。",
                           "decision")
    reason = body.get("reason")
    if reason is not None and not isinstance(reason, str):
        raise InvalidField("wrong_type", "理由应为文字。", "reason")
    reason = (reason or "").strip() or None
    if reason and len(reason) > 2000:
        raise InvalidField("too_long", "理由过长，请控制在2000字以内。", "reason")
    if decision == "refuse" and not reason:
        raise InvalidField("reason_required", "不予批准司法救助申请的，应当书面说明理由（《诉讼费用交纳办法》第四十八条第三款）。",
                           "reason")
    raw = body.get("reduction_percent")
    percent = None
    if raw is not None:
        if isinstance(raw, (bool, float)) or not isinstance(raw, (str, int)):
            raise InvalidField("wrong_type", "减交比例请以数字字符串提交，例如 \"50\"。", "reduction_percent")
        try:
            percent = Decimal(str(raw).strip())
        except InvalidOperation:
            raise InvalidField("invalid_reduction_percent", "减交比例格式不正确。", "reduction_percent") from None
    if decision == "partly" and percent is None:
        raise InvalidField("invalid_reduction_percent", "部分准予的，请填写准予减交的比例（不低于30%）。", "reduction_percent")
    return ReliefDecisionInput(decision, percent, reason)


def _granted_as(relief: dict[str, Any], decision: ReliefDecisionInput) -> ReliefDecision:
    """The decision in the rule module's terms: a partly granted application is a 减交 by the percentage."""
    if decision.decision == "refuse":
        return ReliefDecision(relief["kind"], relief["ground"], granted=False)
    if decision.decision == "partly":
        ground = relief["ground"] if relief["kind"] == "reduction" else "other_reduction"
        return ReliefDecision("reduction", ground, granted=True, reduction_percent=decision.reduction_percent)
    return ReliefDecision(relief["kind"], relief["ground"], granted=True, reduction_percent=decision.reduction_percent)


def decide_relief(filing: Filing, staff: Staff, decision: ReliefDecisionInput, at: datetime) -> Event:
    """Record the clerk's decision on the filing; before docketing only (第四十九条), once."""
    relief = filing.fee_relief
    if not relief:
        raise Conflict("no_fee_relief", "该立案申请没有司法救助申请。", "decision")
    if relief["status"] != APPLIED:
        raise Conflict("fee_relief_decided", "该司法救助申请已经作出决定。", "decision")
    if filing.status != statuses.PENDING:
        raise Conflict("filing_not_pending", "司法救助申请应在决定立案之前审查（《诉讼费用交纳办法》第四十九条）。", "decision")
    granted = _granted_as(relief, decision)
    natural = natural_person(filing.parties)
    try:  # checks the decision against the regulation (30 % minimum, 免交 for persons) on a nominal fee
        apply_relief(Decimal("100.00"), ReliefDecision(granted.kind, granted.ground_code, granted.granted,
                                                       granted.reduction_percent, natural))
    except ReliefError as err:
        raise _rule_error(err, "reduction_percent" if "reduction" in err.code else "decision") from None
    status = {"approve": APPROVED, "partly": PARTLY, "refuse": REFUSED}[decision.decision]
    record = {"kind": granted.kind, "ground": granted.ground_code, "granted": granted.granted,
              "reduction_percent": None if granted.reduction_percent is None else f"{granted.reduction_percent.normalize():f}",
              "reason": decision.reason, "decided_by": staff.username, "decided_at": at.isoformat()}
    filing.fee_relief = {**relief, "status": status, "decision": record}
    return Event(filing_id=filing.id, at=at, actor=f"staff:{staff.username}", action="fee_relief_decided",
                 before=None, after=None, detail={"status": status, **record})


def ensure_decided(filing: Filing) -> None:
    """Docketing waits for the relief decision (第四十九条: a deferral is decided before filing)."""
    if filing.fee_relief and filing.fee_relief.get("status") == APPLIED:
        raise Conflict("fee_relief_pending", "该申请附有司法救助申请，请先作出准予或不予准许的决定，再决定立案"
                       "（《诉讼费用交纳办法》第四十九条）。", "decision")


def outcome_for(filing: Filing, fee: Decimal) -> Optional[ReliefOutcome]:
    """The fee after the decision, for the fee notice; None without a decided application."""
    relief = filing.fee_relief
    if not relief or not relief.get("decision"):
        return None
    d = relief["decision"]
    percent = Decimal(d["reduction_percent"]) if d.get("reduction_percent") else None
    return apply_relief(fee, ReliefDecision(d["kind"], d["ground"], d["granted"], percent, natural_person(filing.parties)))


def relief_notice_text(filing: Filing, case_number: str, amount: Decimal) -> str:
    """The notice served at docketing when 缓交 or 免交 was granted: what was decided, nothing due in 7 days."""
    decision = (filing.fee_relief or {}).get("decision") or {}
    kind = KIND_LABELS.get(decision.get("kind", ""), "司法救助")
    then = ("缓交的诉讼费用，请按法院另行通知的时间交纳；案件审结后由败诉方负担（第五十条）。" if kind == "缓交"
            else "免交的诉讼费用将在法律文书中载明（第五十一条）。")
    return (f"【司法救助决定】您的案件已由{filing.court_name}立案，案号为{case_number}。"
            f"您申请的司法救助经审查准予{kind}，案件受理费{amount:,.2f}元无需在七日内预交"
            f"（《诉讼费用交纳办法》第四十四条至第五十一条）。{then}")
