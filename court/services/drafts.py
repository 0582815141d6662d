"""Drafts (待提交): what the chat had collected for a filing, kept so that a returning litigant can go on.

One draft per litigant (`filing_drafts.litigant_id` is unique): saving again replaces it. The
data is the chat's own object (its slots), not checked field by field — it is not a filing yet —
only bounded: a JSON object of at most 64 KiB. A draft not touched for 30 days is treated as gone
(not returned, deleted when seen) and `purge` removes such drafts in bulk. Submitting a filing
deletes the litigant's draft in the same transaction (court/services/filings.py create_filing).

Parsing and the summary are pure; the rest reads and writes one row.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Optional

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.models import FilingDraft, Litigant
from court.services.errors import InvalidField, TooLarge, reject_unknown_fields
from court.services.period import china_date

MAX_DATA_BYTES = 64 * 1024
MAX_AGE = timedelta(days=30)
FIELDS = {"data", "conversation_id", "channel"}
NOT_FOUND_MESSAGE = "您目前没有保存的立案草稿（草稿保存30天）。"


@dataclass(frozen=True)
class DraftInput:
    data: dict[str, Any]
    conversation_id: Optional[str]
    channel: Optional[str]


def _optional_text(body: dict[str, Any], key: str, label: str, max_len: int) -> Optional[str]:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidField("wrong_type", f"{label}应为文字。", key)
    value = value.strip()
    if len(value) > max_len:
        raise InvalidField("too_long", f"{label}过长，请控制在{max_len}个字符以内。", key)
    return value or None


def parse_draft(body: dict[str, Any]) -> DraftInput:
    """{"data": {...}, "conversation_id"?, "channel"?}; data an object of at most 64 KiB as UTF-8 JSON."""
    reject_unknown_fields(body, FIELDS)
    data = body.get("data")
    if data is None:
        raise InvalidField("missing_field", "请提供草稿内容（data）。", "data")
    if not isinstance(data, dict):
        raise InvalidField("wrong_type", "草稿内容（data）应为 JSON 对象。", "data")
    size = len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if size > MAX_DATA_BYTES:
        raise TooLarge("draft_too_large", "草稿内容过多（上限 64 KB），请精简后再保存。", "data")
    return DraftInput(
        data=data,
        conversation_id=_optional_text(body, "conversation_id", "会话编号", 128),
        channel=_optional_text(body, "channel", "渠道", 32),
    )


def _first_text(data: dict[str, Any], *keys: str) -> Optional[str]:
    for key in keys:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _defendants(data: dict[str, Any]) -> list[str]:
    """Defendants' names from the chat's slots (defendant_name) or a filing-shaped `parties` list."""
    names = []
    parties = data.get("parties")
    if isinstance(parties, list):
        names = [p["name"].strip() for p in parties
                 if isinstance(p, dict) and p.get("role") == "defendant" and isinstance(p.get("name"), str)
                 and p["name"].strip()]
    if not names:
        name = _first_text(data, "defendant_name")
        names = [name] if name else []
    return names


def _amount(data: dict[str, Any]) -> Optional[str]:
    value = data.get("amount")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount <= 0:
        return None
    return f"{amount.quantize(Decimal('0.01')):,.2f}元"


def summary(data: dict[str, Any], saved_at: datetime) -> str:
    """A short Chinese line for "您有一份未提交的立案草稿：…", e.g. 民间借贷纠纷，被告李四，2026年11月28日保存.

    Only what is there is said; the names are cut short so that the line stays a line.
    """
    parts = []
    case_type = _first_text(data, "case_type")
    if case_type:
        parts.append(case_type[:30])
    defendants = _defendants(data)
    if defendants:
        shown = "、".join(n[:20] for n in defendants[:2])
        parts.append(f"被告{shown}" + ("等" if len(defendants) > 2 else ""))
    amount = _amount(data)
    if amount:
        parts.append(f"标的额{amount}")
    if not parts:
        parts.append("立案信息草稿")
    day = china_date(saved_at)
    parts.append(f"{day.year}年{day.month}月{day.day}日保存")
    return "，".join(parts)


def draft_json(draft: FilingDraft) -> dict[str, Any]:
    return {
        "data": draft.data,
        "conversation_id": draft.conversation_id,
        "channel": draft.channel,
        "updated_at": draft.updated_at.isoformat(),
        "summary": summary(draft.data, draft.updated_at),
    }


def is_stale(draft: FilingDraft, at: datetime) -> bool:
    return draft.updated_at <= at - MAX_AGE


# --- database ---------------------------------------------------------------------------------


async def save(session: AsyncSession, litigant: Litigant, draft: DraftInput, at: datetime) -> FilingDraft:
    """Insert or replace the litigant's draft in one statement (two saves at once: the last one wins)."""
    dialect = session.bind.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = dict(litigant_id=litigant.id, data=draft.data, conversation_id=draft.conversation_id,
                  channel=draft.channel, updated_at=at)
    statement = insert(FilingDraft).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[FilingDraft.litigant_id],
        set_={k: statement.excluded[k] for k in ("data", "conversation_id", "channel", "updated_at")},
    )
    await session.execute(statement)
    await session.commit()
    return FilingDraft(**values)


async def current(session: AsyncSession, litigant: Litigant, at: datetime) -> Optional[FilingDraft]:
    """The litigant's draft, unless older than 30 days (then it is deleted, and None)."""
    draft = (await session.execute(
        select(FilingDraft).where(FilingDraft.litigant_id == litigant.id)
    )).scalar_one_or_none()
    if draft is not None and is_stale(draft, at):
        await session.delete(draft)
        await session.commit()
        return None
    return draft


async def remove(session: AsyncSession, litigant: Litigant) -> None:
    """Delete the litigant's draft; nothing to delete is fine (idempotent)."""
    await session.execute(delete(FilingDraft).where(FilingDraft.litigant_id == litigant.id))
    await session.commit()


async def purge(session: AsyncSession, at: datetime) -> int:
    """Delete every draft not touched for 30 days; the number deleted."""
    result = await session.execute(delete(FilingDraft).where(FilingDraft.updated_at <= at - MAX_AGE))
    await session.commit()
    return result.rowcount or 0
