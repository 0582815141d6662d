"""Audit trail: which staff member opened which transcript, or which party's unmasked ID number
(the full view of a filing or a case). Written on each such read, listed to administrators —
个人信息保护法 art. 51 (access records for personal information) and art. 54 (compliance audits)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.models import Staff, StaffAudit

TRANSCRIPT, FILING, CASE, ENFORCEMENT = "transcript", "filing", "case", "enforcement"
NLU_INBOX, NLU_LABEL = "nlu_inbox", "nlu_label"  # court/services/nlu_inbox.py: litigants' words, masked
CASE_FILE = "case_file"  # the full electronic case file (court/api/case_file.py)
ACTION_LABELS = {TRANSCRIPT: "查看对话记录", FILING: "查看立案申请（含完整身份证号）", CASE: "查看案件（含完整身份证号）",
                 NLU_INBOX: "查看未识别消息", NLU_LABEL: "标注未识别消息", ENFORCEMENT: "查看执行申请（含完整身份证号）",
                 CASE_FILE: "下载完整电子卷宗（含完整身份证号）"}


async def record_access(session: AsyncSession, staff: Staff, action: str, subject: str, at: datetime) -> None:
    """One row per read (committed here: the read itself has already succeeded)."""
    session.add(StaffAudit(staff_id=staff.id, action=action, subject=subject[:64], at=at))
    await session.commit()


async def audit_page(session: AsyncSession, limit: int, offset: int) -> dict[str, Any]:
    """``{"total", "entries"}``, newest first."""
    total = (await session.execute(select(func.count()).select_from(StaffAudit))).scalar_one()
    rows = (await session.execute(
        select(StaffAudit, Staff).join(Staff, Staff.id == StaffAudit.staff_id)
        .order_by(StaffAudit.at.desc(), StaffAudit.id.desc()).limit(limit).offset(offset))).all()
    return {"total": total, "entries": [
        {"staff": {"username": staff.username, "name": staff.display_name, "role": staff.role},
         "action": entry.action, "action_label": ACTION_LABELS.get(entry.action, entry.action),
         "subject": entry.subject, "at": entry.at.isoformat()}
        for entry, staff in rows]}
