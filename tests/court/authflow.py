"""Shared steps for the tests of identity, staff, review, cases and filings: a verified litigant
(through the real SMS-code endpoints), a staff member with a token, a controllable clock."""
from __future__ import annotations

import copy
import itertools
import re
import secrets
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache
from typing import Optional

from argon2 import PasswordHasher

from court.infra.app_keys import SESSIONMAKER, SETTINGS
from court.infra.models import Case, FeeNotice, Filing, Staff, utcnow
from court.rules.idcard import check_character
from court.services.staff import check_new_staff

PASSWORD = "correct horse battery"
ALICE = {"name": "张三", "id_number": "11010519491231002X", "phone": "13800138000"}
BOB = {"name": "李四", "id_number": "440524188001010014", "phone": "13900139000"}


def make_id(first17: str) -> str:
    """A valid ID number from its first 17 digits."""
    return first17 + check_character(first17)


CAROL = {"name": "王五", "id_number": make_id("11010819850315002"), "phone": "13700137000"}


class Clock:
    """A settable clock for `settings.extra["clock"]` (court.infra.clock.now)."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


def set_clock(client, start: Optional[datetime] = None) -> Clock:
    clock = Clock(start or datetime.now(timezone.utc))
    client.app[SETTINGS].extra["clock"] = clock
    return clock


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


async def last_code(db_rows, phone: str) -> str:
    rows = await db_rows(f"SELECT text FROM sms_outbox WHERE phone = '{phone}' ORDER BY id DESC")
    return re.search(r"验证码为(\d{6})", rows[0][0]).group(1)


async def record_phone(db_rows, id_number: str) -> str:
    return (await db_rows(f"SELECT phone FROM litigants WHERE id_number = '{id_number}'"))[0][0]


async def verify_litigant(client, db_rows, person: dict = ALICE, *, conversation: Optional[str] = None,
                          channel: Optional[str] = None) -> str:
    """Run 实名认证 end to end and return the litigant's token.

    `conversation` (and `channel`): bind the token to it as the action server does (development
    mode trusts the caller when no bot key is configured); without it the backend makes one.
    """
    resp = await client.post("/api/v1/identity/verify", json=person)
    assert resp.status == 202, await resp.text()
    answer = await resp.json()
    code = await last_code(db_rows, person["phone"] if not answer.get("sent_to_record") else await record_phone(
        db_rows, person["id_number"]))
    confirm = {"challenge_id": answer["challenge_id"], "code": code}
    if conversation is not None:
        confirm.update(conversation_id=conversation, channel=channel)
    resp = await client.post("/api/v1/identity/confirm", json=confirm)
    assert resp.status == 200, await resp.text()
    return (await resp.json())["token"]


@lru_cache(maxsize=None)
def cheap_hash(password: str) -> str:
    """An argon2 hash with tiny costs: verifying it is fast (the costs are in the hash), unlike the real ones."""
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(password)


async def add_staff(client, username: str, role: str, court: Optional[str] = None, *, password: str = PASSWORD,
                    active: bool = True) -> None:
    new = check_new_staff(username, f"{username}姓名", role, court, password)
    async with client.app[SESSIONMAKER]() as session:
        session.add(Staff(username=new.username, display_name=new.display_name, role=new.role,
                          court_code=new.court_code, password_hash=cheap_hash(password), active=active,
                          created_at=datetime.now(timezone.utc)))
        await session.commit()


async def staff_token(client, username: str, role: str, court: Optional[str] = None) -> str:
    await add_staff(client, username, role, court)
    resp = await client.post("/api/v1/staff/session", json={"username": username, "password": PASSWORD})
    assert resp.status == 200, await resp.text()
    return (await resp.json())["token"]


def filing_body(**changes) -> dict:
    body = {
        "case_type": "民间借贷纠纷",
        "court_code": "京0105",
        "parties": [
            {"role": "plaintiff", "kind": "person", "name": "张三", "id_number": "11010519491231002X",
             "phone": "138 0013 8000"},
            {"role": "defendant", "kind": "organisation", "name": "北京某某科技有限公司",
             "legal_representative": "李四"},
        ],
        "claims": [{"text": "判令被告归还借款5万元", "amount": "50000"}],
        "facts": "2023年3月被告向原告借款5万元，约定半年归还，至今未还。",
        "channel": "rest",
        "conversation_id": "c-1",
    }
    body = copy.deepcopy(body)
    body.update(changes)
    return body


async def submit(client, token: str, **changes) -> dict:
    resp = await client.post("/api/v1/filings", json=filing_body(**changes), headers=bearer(token))
    assert resp.status == 201, await resp.text()
    return await resp.json()


async def review(client, token: str, number: str, **body):
    return await client.post(f"/api/v1/staff/filings/{number}/review", json=body, headers=bearer(token))


async def counts(db_rows, *tables: str) -> dict[str, int]:
    return {t: (await db_rows(f"SELECT count(*) FROM {t}"))[0][0] for t in tables}


_notice_seq = itertools.count(1)


async def add_fee_notice(app, litigant_id: Optional[int] = None, *, amount: Decimal = Decimal("2300.00"),
                         status: str = "unpaid", due_at: Optional[datetime] = None,
                         issued_at: Optional[datetime] = None) -> str:
    """A docketed filing with its case and fee notice, as review docketing makes them; the notice id.

    Due 7 days after issue unless `due_at` says otherwise.
    """
    n = next(_notice_seq)
    now = utcnow()
    issued_at = issued_at or now
    async with app[SESSIONMAKER]() as session:
        filing = Filing(number=f"LA20260301{n:06d}", status="docketed", case_type="民间借贷纠纷", court_code="京0105",
                        court_name="北京市朝阳区人民法院", facts="借款未还。", litigant_id=litigant_id,
                        created_at=now, updated_at=now)
        session.add(filing)
        await session.flush()
        case = Case(case_number=f"（2026）京0105民初{n}号", filing_id=filing.id, court_code="京0105", type_code="民初",
                    year=2026, seq=n, status="docketed", docketed_at=now)
        session.add(case)
        await session.flush()
        public_id = f"JF{secrets.token_hex(8).upper()}"
        session.add(FeeNotice(public_id=public_id, case_id=case.id, amount=amount, basis="《诉讼费用交纳办法》第十三条",
                              issued_at=issued_at, due_at=due_at or issued_at + timedelta(days=7), status=status))
        await session.commit()
    return public_id
