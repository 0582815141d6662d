"""A small, hand-made month at two courts whose dashboard figures are worked out by hand in
test_dashboard_api.py (and an NLU inbox of a few messages): rows written straight into the
database, so that every time and status is exactly as the test says."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Optional

from court.infra.app_keys import SESSIONMAKER
from court.infra.models import (
    Case, Event, FeeNotice, Filing, Litigant, Ticket, TranscriptConversation, TranscriptTurn,
)

A, B = "京0105", "京0108"
NAMES = {A: "北京市朝阳区人民法院", B: "北京市海淀区人民法院"}
LOAN, SALE = "民间借贷纠纷", "买卖合同纠纷"
NOW = datetime(2026, 3, 20, 2, 0, tzinfo=timezone.utc)
MARCH = "?date_from=2026-03-01&date_to=2026-03-31"


def at(day: int, hour: float = 2.0, month: int = 3) -> datetime:
    return datetime(2026, month, day, tzinfo=timezone.utc) + timedelta(hours=hour)


def _filing(fid: int, court: str, case_type: str, created: datetime, status: str, litigant: Optional[int],
            conversation: Optional[str], due: Optional[datetime] = None) -> Filing:
    return Filing(id=fid, number=f"LA2026030{fid:07d}", status=status, case_type=case_type, court_code=court,
                  court_name=NAMES[court], facts="事实", channel="socketio", conversation_id=conversation,
                  litigant_id=litigant, created_at=created, updated_at=created,
                  decision_due=due if due is not None else created + timedelta(days=7))


def _event(fid: int, when: datetime, action: str, after: str, detail: Optional[dict] = None) -> Event:
    return Event(filing_id=fid, at=when, actor="staff:clerk", action=action, before="pending_review", after=after,
                 detail=detail)


def _conversation(cid: str, started: datetime, verified: bool, slot: Optional[str] = None) -> TranscriptConversation:
    return TranscriptConversation(conversation_id=cid, channel="socketio", started_at=started, last_at=started,
                                  turn_count=0, phones=" ", filing_numbers=" ", requested_slot=slot,
                                  verified_at=started + timedelta(minutes=3) if verified else None)


def _turn(cid: str, seq: int, text: str, intent: Optional[str], confidence: Optional[float]) -> TranscriptTurn:
    return TranscriptTurn(conversation_id=cid, seq=seq, at=at(5, seq), kind="user", channel="socketio",
                          user_text=text, intent=intent, confidence=confidence, bot=[], slots={}, actions=[])


async def seed_month(app) -> None:
    """Filings F1–F4 in March (F5 in February), their decisions, cases, fee notices, tickets and
    conversations c1–c8 (c0 in February)."""
    async with app[SESSIONMAKER]() as s:
        s.add_all([Litigant(id=1, name="张三", id_number="11010519491231002X", phone="13800138000", created_at=at(1)),
                   Litigant(id=2, name="李四", id_number="440524188001010014", phone="13900139000", created_at=at(1))])
        for cid, started, verified, slot in [
            ("c0", at(1, month=2), True, None), ("c1", at(2, 1), True, None), ("c2", at(2, 2), True, None),
            ("c4", at(2, 4), True, None), ("c5", at(3), True, "facts"), ("c6", at(4), False, "identity_phone"),
            ("c7", at(4, 3), False, None), ("c8", at(6), False, "identity_phone"),
        ]:
            s.add(_conversation(cid, started, verified, slot))
        await s.flush()
        s.add_all([
            _filing(1, A, LOAN, at(2, 2), "docketed", 1, "c1"),
            _filing(2, A, SALE, at(2, 3), "rejected", 1, "c2"),
            _filing(3, A, LOAN, at(2, 17.5), "pending_review", None, None, due=at(4)),  # 3 March in Beijing
            _filing(4, B, LOAN, at(2, 5), "docketed", 2, "c4"),
            _filing(5, A, LOAN, at(1, month=2), "docketed", 1, "c0"),
        ])
        await s.flush()
        s.add_all([
            _event(1, at(3, 2), "correction_requested", "needs_correction", {"items": ["身份证明", "证据清单"], "reason": None}),
            _event(1, at(4, 2), "resubmitted", "pending_review"),
            _event(1, at(5, 2), "docketed", "docketed"),
            _event(2, at(11, 3), "rejected", "rejected", {"reason": "不属于本院管辖"}),
            _event(4, at(4, 5), "docketed", "docketed"),
            _event(5, at(2, month=2), "docketed", "docketed"),
        ])
        cases = [Case(id=1, case_number="（2026）京0105民初1号", filing_id=1, court_code=A, type_code="民初", year=2026,
                      seq=1, status="docketed", docketed_at=at(5)),
                 Case(id=4, case_number="（2026）京0108民初1号", filing_id=4, court_code=B, type_code="民初", year=2026,
                      seq=1, status="docketed", docketed_at=at(4)),
                 Case(id=5, case_number="（2026）京0105民初0号", filing_id=5, court_code=A, type_code="民初", year=2026,
                      seq=0, status="docketed", docketed_at=at(2, month=2))]
        s.add_all(cases)
        await s.flush()
        for nid, case, amount, issued, due, status in [
            (1, 1, "2300.00", at(5), at(13), "paid"), (2, 1, "50.00", at(6), at(10), "unpaid"),
            (3, 4, "100.00", at(6), at(10), "overdue"), (4, 4, "75.50", at(6), at(30), "unpaid"),
            (5, 5, "10.00", at(2, month=2), at(9, month=2), "paid"),
        ]:
            s.add(FeeNotice(id=nid, public_id=f"FN{nid}", case_id=case, amount=Decimal(amount), basis="按件",
                            issued_at=issued, due_at=due, status=status))
        for tid, litigant, created, answered in [
            (1, 1, at(5, 2), at(5, 6)), (2, None, at(6, 2), at(7, 8)), (3, 2, at(7), None), (4, 1, at(3, month=2), None),
        ]:
            s.add(Ticket(id=tid, public_id=f"TK{tid}", litigant_id=litigant, conversation_id=f"t{tid}", channel="socketio",
                         question="请问", status="answered" if answered else "open", answer="答复" if answered else None,
                         created_at=created, answered_at=answered))
        await s.commit()


async def seed_inbox(app) -> dict[str, int]:
    """Messages in c1 (filing at 京0105) and c4 (at 京0108); returns their turn ids by name."""
    turns = {
        "money1": _turn("c1", 1, "我想问一下那个钱的事", "ask_fee", 0.41),
        "money2": _turn("c1", 2, "我想问下那个钱的事情？", "nlu_fallback", 0.45),
        "phone": _turn("c1", 3, "我的手机13800138000换了", "inform", 0.3),
        "sure": _turn("c1", 4, "我要立案", "file_case", 0.98),
        "other_court": _turn("c4", 1, "那个执行款什么时候到账", None, None),
    }
    async with app[SESSIONMAKER]() as s:
        s.add_all(turns.values())
        await s.commit()
        return {name: t.id for name, t in turns.items()}
