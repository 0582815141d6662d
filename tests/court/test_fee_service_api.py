"""The fee clock starts at service (《诉讼费用交纳办法》第二十二条; 民诉法第八十五条、第九十条): docketing
issues the notice without a deadline; electronic service (with consent only) or a staff-recorded
service sets ``due_at``; a deadline past the holiday calendar stays empty, never guessed."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from authflow import bearer, review, set_clock, staff_token, submit, verify_litigant
from court.infra.app_keys import SESSIONMAKER
from court.infra.models import Delivery, FeeNotice
from court.jobs.conversations import deliver_pending
from court.jobs.deadlines import mark_overdue
from court.rules.periods import fee_payment_due
from court.services.deliveries import scan_review_events
from court.services.fee_service import DUE_UNKNOWN

T0 = datetime(2026, 9, 30, 4, 0, tzinfo=timezone.utc)  # 2026-09-30 12:00 Beijing, the eve of 国庆
# (staff tokens last 12 h: every test records service within that)
CONV = "a1b2c3d4e5f60718293a4b5c6d7e8f90"


async def docket(client, db_rows, at: datetime = T0, **filing) -> tuple[str, str, dict]:
    """(clerk token, case number, fee notice as the review answers it)."""
    set_clock(client, at)
    litigant = await verify_litigant(client, db_rows)
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    made = await submit(client, litigant, **filing)
    resp = await review(client, clerk, made["id"], decision="accept")
    assert resp.status == 200, await resp.text()
    case = (await resp.json())["case"]
    return clerk, case["case_number"], case["fee_notices"][0]


async def serve(client, clerk: str, case_number: str, notice_id: str, **body):
    return await client.post(f"/api/v1/staff/cases/{case_number}/fee-notices/{notice_id}/service",
                             json=body, headers=bearer(clerk))


async def test_mail_signed_at_2359_on_the_eve_of_guoqing_ends_after_the_holiday(client, db_rows):
    clerk, number, notice = await docket(client, db_rows)
    assert notice["due_at"] is None
    set_clock(client, datetime(2026, 9, 30, 15, 59, 30, tzinfo=timezone.utc))
    resp = await serve(client, clerk, number, notice["id"], method="mail", served_at="2026-09-30T23:59:00+08:00")
    assert resp.status == 200, await resp.text()
    view = await resp.json()
    (served,) = view["fee_notices"]
    # Served 9-30: counted from 10-01; the 7th day 10-07 is 国庆 → first working day 10-08, 24:00.
    assert served["served_at"] == "2026-09-30T15:59:00+00:00" and served["service_method"] == "mail"
    assert served["due_at"] == "2026-10-08T16:00:00+00:00" and served["due_note"] is None
    (event,) = [e for e in view["events"] if e["action"] == "fee_notice_served"]
    assert "邮寄送达" in event["description"] and "2026年10月8日24时" in event["description"]

    again = await serve(client, clerk, number, notice["id"], method="direct", served_at="2026-10-01T09:00:00+08:00")
    assert again.status == 409 and "已记录送达" in (await again.json())["message"]


async def test_one_minute_later_is_the_next_day(client, db_rows):
    clerk, number, notice = await docket(client, db_rows, at=T0 + timedelta(hours=2))
    set_clock(client, datetime(2026, 9, 30, 17, 0, tzinfo=timezone.utc))
    resp = await serve(client, clerk, number, notice["id"], method="direct", served_at="2026-10-01T00:00:00+08:00")
    (served,) = (await resp.json())["fee_notices"]
    assert datetime.fromisoformat(served["due_at"]) == fee_payment_due(
        datetime(2026, 10, 1, tzinfo=timezone(timedelta(hours=8))))
    assert served["due_at"] == "2026-10-08T16:00:00+00:00"  # 10-08 is itself the first working day


async def test_electronic_service_needs_the_consent_given_in_the_filing(client, db_rows):
    clerk, number, notice = await docket(client, db_rows)  # the filing never answered the consent
    set_clock(client, T0 + timedelta(hours=1))
    resp = await serve(client, clerk, number, notice["id"], method="electronic", served_at="2026-09-30T12:30:00+08:00")
    assert resp.status == 409
    answer = await resp.json()
    assert answer["error"] == "no_electronic_consent" and "第九十条" in answer["message"]
    assert await db_rows("SELECT served_at, due_at FROM fee_notices") == [(None, None)]


async def test_bad_service_requests_are_refused_in_chinese(client, db_rows):
    clerk, number, notice = await docket(client, db_rows)
    for body, status, field in (({"method": "fax", "served_at": "2026-09-30T12:00:00+08:00"}, 422, "method"),
                                ({"method": "mail", "served_at": "2026-09-30 12:00"}, 422, "served_at"),  # no zone
                                ({"method": "mail", "served_at": "2026-09-30T13:00:00+08:00"}, 422, "served_at"),  # future
                                ({"method": "mail", "served_at": "2026-09-30T11:00:00+08:00"}, 422, "served_at")):  # pre-issue
        resp = await serve(client, clerk, number, notice["id"], **body)
        assert resp.status == status, body
        assert (await resp.json())["field"] == field
    missing = await serve(client, clerk, number, "JF0000", method="mail", served_at="2026-09-30T12:00:00+08:00")
    assert missing.status == 404
    assert await db_rows("SELECT served_at FROM fee_notices") == [(None,)]


async def test_a_deadline_past_the_calendar_is_left_open_not_guessed(client, db_rows):
    at = datetime(2026, 12, 31, 2, 0, tzinfo=timezone.utc)
    clerk, number, notice = await docket(client, db_rows, at=at)  # docketing itself is not broken
    resp = await serve(client, clerk, number, notice["id"], method="direct", served_at="2026-12-31T10:00:00+08:00")
    assert resp.status == 200, await resp.text()
    (served,) = (await resp.json())["fee_notices"]
    assert served["due_at"] is None and served["due_note"] == DUE_UNKNOWN == "期限待定（节假日安排未公布）"
    async with client.app[SESSIONMAKER]() as session:  # and nothing is ever flagged 按撤诉处理 for it
        assert await mark_overdue(session, at + timedelta(days=400)) == 0


async def test_an_unserved_notice_is_never_overdue(client, db_rows):
    await docket(client, db_rows)
    async with client.app[SESSIONMAKER]() as session:
        assert await mark_overdue(session, T0 + timedelta(days=60)) == 0
    assert await db_rows("SELECT status FROM fee_notices") == [("unpaid",)]


async def _deliver(client, db_rows, consent):
    set_clock(client, T0)
    await scan_review_events(client.app[SESSIONMAKER])  # start the cursor
    await docket(client, db_rows, conversation_id=CONV, channel="socketio", e_service_consent=consent)
    await scan_review_events(client.app[SESSIONMAKER])
    assert await deliver_pending(client.app) == 2
    async with client.app[SESSIONMAKER]() as session:
        sent = (await session.execute(select(Delivery.sent_at).where(Delivery.kind == "fee_notice_issued"))).scalar_one()
        notice = (await session.execute(select(FeeNotice))).scalar_one()
        return sent, notice


async def test_with_consent_the_moment_rasa_accepted_it_is_the_service(client, db_rows, rasa):
    sent, notice = await _deliver(client, db_rows, True)
    assert notice.served_at == sent and notice.service_method == "electronic"
    try:
        expected = fee_payment_due(sent)
    except ValueError:  # past the holiday calendar: left open
        expected = None
    assert notice.due_at == expected


async def test_without_consent_the_message_is_no_service(client, db_rows, rasa):
    sent, notice = await _deliver(client, db_rows, None)  # unanswered consent is not consent
    assert sent is not None
    assert notice.served_at is None and notice.due_at is None


def test_the_notice_names_the_last_day_not_the_midnight_after_it():
    from decimal import Decimal

    from court.services.payments.notices import fee_notice_text
    due = fee_payment_due(datetime(2026, 9, 30, 23, 59, tzinfo=timezone(timedelta(hours=8))))  # 10-09 00:00
    text = fee_notice_text(case_number="（2026）京0105民初1号", court_name="北京市朝阳区人民法院",
                           amount=Decimal("1050.00"), due_at=due)
    assert "2026年10月8日24时前" in text and "10月9日" not in text
    unserved = fee_notice_text(case_number="（2026）京0105民初1号", court_name="北京市朝阳区人民法院",
                               amount=Decimal("1050.00"), due_at=None)
    assert "自收到本通知次日起七日内" in unserved and "顺延" not in unserved or "休假日后的第一日" in unserved
