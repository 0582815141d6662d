"""The NLU inbox (issue 12 §3): what litigants wrote that the assistant did not understand, or
understood with low confidence, grouped by likeness, for a clerk to label with the right intent or
mark out of scope. ``make nlu-inbox-export`` (scripts/nlu_inbox_export.py) turns the labels into
training examples.

Read from the transcript turns (court/services/turns.py folds Rasa's ``user`` events: the text, the
intent and its confidence). Masked like the transcript *list*: ID and mobile numbers hidden for
every role (court/rules/privacy.py) — the label keeps the masked text, the one that is exported, so
no number ever reaches the training data. Scope as transcripts (court/services/transcripts.py).
Only clerks label (立案庭 answers litigants and knows what they meant); judges and administrators
read. Every read and every label is written to the audit trail (court/services/staff_audit.py).

The intents are read from domain.yml (and the retrieval intents ``faq/…`` from data/nlu) once per
process, with PyYAML: the backend never imports Rasa.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import yaml
from rapidfuzz import fuzz, process
from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.models import NluLabel, Staff, TranscriptConversation, TranscriptTurn
from court.services.errors import InvalidField, InvalidRequest, NotFound, reject_unknown_fields
from court.services.staff import court_scope
from court.services.transcripts import mask_text, scoped_to_court
from court.services.turns import SMS_CODE_HIDDEN

ROOT = Path(__file__).resolve().parents[2]
DOMAIN_FILE = ROOT / "domain.yml"
NLU_DIR = ROOT / "data" / "nlu"
LABELLERS = {"clerk"}
LOW_CONFIDENCE = 0.6  # below it the inbox shows the message (the FallbackClassifier's 0.45 included)
FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
NOT_LABELLED = {FALLBACK_INTENT, "faq"}  # 'faq' alone is no answer: its sub-intents are
MAX_MESSAGES = 500  # the newest unlabelled ones grouped per request
SIMILAR = 72  # rapidfuzz ratio (0–100) for two messages to share a group
MAX_LABEL_TURNS = 200
_NOT_TEXT = re.compile(r"[\s\W_]+", re.UNICODE)
_RETRIEVAL = re.compile(r"^\s*-\s*intent:\s*(faq/[A-Za-z0-9_]+)\s*$", re.MULTILINE)

INTENT_LABELS = {
    "greet": "问候", "goodbye": "告别", "affirm": "肯定", "deny": "否定", "thank": "感谢", "file_case": "我要立案",
    "query_status": "查询进度", "ask_fee": "询问诉讼费", "pay_fee": "交纳诉讼费", "cancel_filing": "撤回立案申请",
    "upload_evidence": "上传证据", "request_human": "转人工", "bot_challenge": "问是不是机器人", "stop": "退出当前填写",
    "out_of_scope": "超出服务范围", "inform": "提供信息（回答问题）", "submit_correction": "提交补正",
    "faq/e_service": "常见问题：电子送达", "faq/evidence": "常见问题：证据", "faq/hours": "常见问题：办公时间",
    "faq/jurisdiction": "常见问题：管辖法院", "faq/legal_aid": "常见问题：法律援助", "faq/limitation": "常见问题：诉讼时效",
    "faq/materials": "常见问题：立案材料", "faq/mediation": "常见问题：调解",
}


@lru_cache(maxsize=4)
def known_intents(domain_file: Path = DOMAIN_FILE, nlu_dir: Path = NLU_DIR) -> tuple[str, ...]:
    """The intents a message may be labelled with: domain.yml's, with ``faq`` as its sub-intents."""
    domain = yaml.safe_load(domain_file.read_text(encoding="utf-8")) or {}
    names = [next(iter(i)) if isinstance(i, dict) else str(i) for i in domain.get("intents") or []]
    retrieval = sorted({m for f in sorted(nlu_dir.glob("*.yml")) for m in _RETRIEVAL.findall(f.read_text(encoding="utf-8"))})
    return tuple([n for n in names if n not in NOT_LABELLED] + retrieval)


def intent_choices() -> list[dict[str, str]]:
    return [{"name": n, "label": INTENT_LABELS.get(n, n)} for n in known_intents()]


def likeness_key(text: str) -> str:
    """What two messages are compared by: lower case, without spaces and punctuation."""
    return _NOT_TEXT.sub("", text.lower())


@dataclass
class _Group:
    key: str
    messages: list[dict[str, Any]] = field(default_factory=list)


def group_messages(messages: list[dict[str, Any]], similar: int = SIMILAR) -> list[dict[str, Any]]:
    """Greedy grouping by likeness: each message joins the first group whose first message is at
    least ``similar`` alike (rapidfuzz's normalised Indel ratio), else starts one. Largest first."""
    groups: list[_Group] = []
    keys: list[str] = []
    for message in messages:
        key = likeness_key(message["text"]) or message["text"]
        found = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=similar) if keys else None
        if found is None:
            groups.append(_Group(key))
            keys.append(key)
            found = (key, 100, len(groups) - 1)
        groups[found[2]].messages.append(message)
    out = []
    for g in groups:
        guesses = Counter(m["intent"] for m in g.messages if m["intent"] and m["intent"] != FALLBACK_INTENT)
        out.append({"id": g.messages[0]["id"], "size": len(g.messages), "sample": g.messages[0]["text"],
                    "guess": guesses.most_common(1)[0][0] if guesses else None, "messages": g.messages})
    return sorted(out, key=lambda g: (-g["size"], -g["id"]))


def _unsure() -> Any:
    return or_(TranscriptTurn.intent.is_(None), TranscriptTurn.intent == FALLBACK_INTENT,
               TranscriptTurn.confidence < LOW_CONFIDENCE)


def _candidates(staff: Staff) -> Any:
    """Unlabelled user turns the assistant was unsure of, in the member's scope."""
    labelled = select(NluLabel.turn_id)
    query = (select(TranscriptTurn).join(TranscriptConversation,
                                         TranscriptConversation.conversation_id == TranscriptTurn.conversation_id)
             .where(TranscriptTurn.kind == "user", TranscriptTurn.user_text.is_not(None),
                    TranscriptTurn.user_text != SMS_CODE_HIDDEN, ~TranscriptTurn.user_text.startswith("/"),
                    _unsure(), TranscriptTurn.id.not_in(labelled)))
    return scoped_to_court(query, court_scope(staff))


def _message_json(turn: TranscriptTurn) -> dict[str, Any]:
    return {"id": turn.id, "text": mask_text(turn.user_text), "intent": turn.intent,
            "confidence": None if turn.confidence is None else round(turn.confidence, 3),
            "conversation_id": turn.conversation_id, "at": turn.at.isoformat()}


async def inbox(session: AsyncSession, staff: Staff) -> dict[str, Any]:
    """``{"threshold", "total", "groups", "intents", "can_label"}``: the newest unsure messages, grouped."""
    turns = list((await session.execute(
        _candidates(staff).order_by(TranscriptTurn.at.desc(), TranscriptTurn.id.desc()).limit(MAX_MESSAGES))).scalars())
    messages = [_message_json(t) for t in turns]
    return {"threshold": LOW_CONFIDENCE, "total": len(messages), "groups": group_messages(messages),
            "intents": intent_choices(), "can_label": staff.role in LABELLERS}


@dataclass(frozen=True)
class LabelRequest:
    turn_ids: tuple[int, ...]
    intent: Optional[str]  # None: out of scope


def parse_label(body: dict[str, Any]) -> LabelRequest:
    """``{"turn_ids": [...], "intent": "ask_fee"}`` or ``{"turn_ids": [...], "out_of_scope": true}``."""
    reject_unknown_fields(body, {"turn_ids", "intent", "out_of_scope"})
    ids = body.get("turn_ids")
    if (not isinstance(ids, list) or not ids or len(ids) > MAX_LABEL_TURNS
            or not all(isinstance(i, int) and not isinstance(i, bool) and i > 0 for i in ids)):
        raise InvalidField("invalid_turn_ids", f"请选择要标注的消息（1至{MAX_LABEL_TURNS}条）。", "turn_ids")
    out_of_scope, intent = body.get("out_of_scope"), body.get("intent")
    if out_of_scope is not None and not isinstance(out_of_scope, bool):
        raise InvalidField("wrong_type", "out_of_scope 应为 true 或 false。", "out_of_scope")
    if out_of_scope:
        if intent is not None:
            raise InvalidRequest("ambiguous_label", "请在“意图”和“超出服务范围”中只选一项。", "intent")
        return LabelRequest(tuple(dict.fromkeys(ids)), None)
    if not isinstance(intent, str) or intent not in known_intents():
        raise InvalidField("unknown_intent", "请从列表中选择一个意图，或标为“超出服务范围”。", "intent")
    return LabelRequest(tuple(dict.fromkeys(ids)), intent)


async def label_messages(session: AsyncSession, staff: Staff, label: LabelRequest, at: datetime) -> dict[str, Any]:
    """Label every message (a new label replaces an older one); all or nothing: one message out of
    scope or not a litigant's message is a 404 and nothing is labelled. Committed."""
    query = scoped_to_court(
        select(TranscriptTurn).join(TranscriptConversation,
                                    TranscriptConversation.conversation_id == TranscriptTurn.conversation_id)
        .where(TranscriptTurn.id.in_(label.turn_ids), TranscriptTurn.kind == "user",
               TranscriptTurn.user_text.is_not(None)), court_scope(staff))
    turns = list((await session.execute(query)).scalars())
    if len(turns) != len(label.turn_ids):
        raise NotFound("not_found", "未找到部分消息（可能已不在您的权限范围内），未作任何标注。", "turn_ids")
    await session.execute(delete(NluLabel).where(NluLabel.turn_id.in_(label.turn_ids)))
    for turn in turns:
        session.add(NluLabel(turn_id=turn.id, text=mask_text(turn.user_text), intent=label.intent,
                             out_of_scope=label.intent is None, staff_id=staff.id, labelled_at=at))
    await session.commit()
    return {"labelled": len(turns), "intent": label.intent, "out_of_scope": label.intent is None}
