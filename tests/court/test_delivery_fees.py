"""电子送达 of fee events: the fee notice issued on docketing and the payment received, delivered
into the litigant's conversation through Rasa's HTTP API (the fake Rasa records what is posted),
once each, retried while Rasa is unreachable.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import select, update

from authflow import bearer, review, set_clock, staff_token, submit, verify_litigant
from court.infra.app_keys import SESSIONMAKER
from court.infra.models import Delivery
from court.jobs.conversations import deliver_pending as send_pending
from court.services.deliveries import scan_review_events
from court.services.payments.notices import chinese_date, fee_notice_text, payment_text, yuan

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc)  # 10:00 in Beijing
CONV = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


async def deliveries(client) -> list[tuple]:
    async with client.app[SESSIONMAKER]() as session:
        rows = (await session.execute(select(Delivery).order_by(Delivery.id))).scalars()
        return [(d.conversation_id, d.kind, d.status, d.attempts) for d in rows]


async def docketed(client, db_rows, **filing) -> tuple[str, dict, dict]:
    """A filing from the conversation, docketed by a clerk after delivery was set up:
    (litigant token, filing, case as the review answers it)."""
    set_clock(client, T0)
    litigant = await verify_litigant(client, db_rows, conversation=CONV, channel="socketio")
    clerk = await staff_token(client, "clerk1", "clerk", "京0105")
    assert await scan_review_events(client.app[SESSIONMAKER]) == 0  # the cursor starts at the newest event
    made = await submit(client, litigant, **filing)
    resp = await review(client, clerk, made["id"], decision="accept")
    assert resp.status == 200, await resp.text()
    return litigant, made, (await resp.json())["case"]


async def pay(client, litigant: str, notice_id: str) -> str:
    """Order and pay through the dev provider's page, as a litigant does; the order number."""
    order = await client.post("/api/v1/payments", json={"fee_notice_id": notice_id}, headers=bearer(litigant))
    assert order.status == 201, await order.text()
    order_no = (await order.json())["order_no"]
    paid = await client.post(f"/dev/pay/{order_no}")
    assert paid.status == 200 and "支付成功" in await paid.text()
    return order_no


# --- pure texts ---------------------------------------------------------------------------------


def test_amounts_and_dates_as_a_notice_writes_them():
    assert yuan(Decimal("1050")) == "1,050.00元"
    assert yuan(Decimal("191800.5")) == "191,800.50元"
    assert yuan(Decimal("50.00")) == "50.00元"
    # 23:59:59 Beijing time is 15:59:59 UTC: still the 8th in China.
    assert chinese_date(datetime(2026, 3, 8, 15, 59, 59, tzinfo=timezone.utc)) == "2026年3月8日"
    assert chinese_date(datetime(2026, 3, 8, 16, 0, tzinfo=timezone.utc)) == "2026年3月9日"


def test_fee_notice_says_how_much_for_what_by_when_under_which_article_and_how_to_pay():
    text = fee_notice_text(case_number="（2026）京0105民初1号", court_name="北京市朝阳区人民法院",
                           amount=Decimal("1050.00"), due_at=datetime(2026, 3, 8, 15, 59, 59, tzinfo=timezone.utc))
    assert text.startswith("【交纳诉讼费用通知】")
    for part in ("（2026）京0105民初1号", "案件受理费1,050.00元", "《诉讼费用交纳办法》第二十二条", "七日内",
                 "2026年3月8日24时前", "按撤诉处理", "您可以回复“缴费”在线缴纳。"):
        assert part in text, part
    assert "\n\n" not in text  # socket.io would split it, and only the first part carries the heading


def test_payment_confirmation_names_amount_and_order_and_a_late_payment_says_so():
    text = payment_text(amount=Decimal("1050"), order_no="PAY20260301100000ABCD1234",
                        case_number="（2026）京0105民初1号")
    assert text.startswith("【缴费确认】收到您缴纳的诉讼费1,050.00元，订单号PAY20260301100000ABCD1234，谢谢。")
    assert "（2026）京0105民初1号" in text and "期限" not in text
    late = payment_text(amount=Decimal("1050"), order_no="PAY1", case_number="（2026）京0105民初1号", late=True)
    assert "晚于交费期限" in late


# --- delivery ---------------------------------------------------------------------------------


async def test_docketing_serves_the_decision_then_the_fee_notice_once_each(client, db_rows, rasa):
    _, filing, case = await docketed(client, db_rows)
    (notice,) = case["fee_notices"]
    assert await scan_review_events(client.app[SESSIONMAKER]) == 2
    assert await scan_review_events(client.app[SESSIONMAKER]) == 0
    assert await send_pending(client.app) == 2
    assert await send_pending(client.app) == 0
    decided, fee = (c["body"][0] for c in rasa.calls)
    assert [c["conversation"] for c in rasa.calls] == [CONV, CONV]
    assert all(c["query"] == {"output_channel": "latest", "execute_side_effects": "true"} for c in rasa.calls)

    assert decided["text"].startswith("【立案通知】") and case["case_number"] in decided["text"]
    assert "交纳诉讼费用通知随后送达" in decided["text"] and "1,050.00元" not in decided["text"]

    assert fee["event"] == "bot" and fee["metadata"]["court_delivery"].startswith("fee_notice_issued:event:")
    text = fee["text"]
    assert text.startswith("【交纳诉讼费用通知】") and case["case_number"] in text
    assert "案件受理费1,050.00元" in text and "自收到本通知次日起七日内" in text and "24时前" not in text
    assert "《诉讼费用交纳办法》第二十二条" in text and text.endswith("您可以回复“缴费”在线缴纳。")
    assert notice["amount"] == "1050.00"
    assert await deliveries(client) == [(CONV, "docketed", "sent", 1), (CONV, "fee_notice_issued", "sent", 1)]


async def test_a_payment_is_confirmed_in_the_conversation_once(client, db_rows, rasa):
    litigant, _, case = await docketed(client, db_rows)
    await scan_review_events(client.app[SESSIONMAKER])
    await send_pending(client.app)
    rasa.calls.clear()

    order_no = await pay(client, litigant, case["fee_notices"][0]["id"])
    again = await client.post(f"/dev/pay/{order_no}")  # a double click: the same payment, no new event
    assert again.status == 200 and "无需重复支付" in await again.text()
    assert await scan_review_events(client.app[SESSIONMAKER]) == 1
    assert await send_pending(client.app) == 1
    (call,) = rasa.calls
    (event,) = call["body"]
    assert call["conversation"] == CONV and event["metadata"]["court_delivery"].startswith("fee_paid:event:")
    assert event["text"].startswith(f"【缴费确认】收到您缴纳的诉讼费1,050.00元，订单号{order_no}，谢谢。")
    assert case["case_number"] in event["text"]
    assert [k for _, k, *_ in await deliveries(client)] == ["docketed", "fee_notice_issued", "fee_paid"]
    assert await scan_review_events(client.app[SESSIONMAKER]) == 0 and await send_pending(client.app) == 0


async def test_fee_notices_wait_for_an_unreachable_rasa_and_are_sent_once(client, db_rows, rasa):
    await docketed(client, db_rows)
    await scan_review_events(client.app[SESSIONMAKER])
    rasa.status = 503
    assert await send_pending(client.app) == 0
    assert await deliveries(client) == [(CONV, "docketed", "pending", 1), (CONV, "fee_notice_issued", "pending", 1)]
    assert await send_pending(client.app) == 0  # backing off: not due yet
    assert len(rasa.calls) == 2
    rasa.status = 200
    async with client.app[SESSIONMAKER]() as session:
        await session.execute(update(Delivery).values(next_attempt_at=T0 - timedelta(seconds=1)))
        await session.commit()
    assert await send_pending(client.app) == 2
    assert await deliveries(client) == [(CONV, "docketed", "sent", 2), (CONV, "fee_notice_issued", "sent", 2)]
    texts = [c["body"][0]["text"] for c in rasa.calls[2:]]
    assert texts[0].startswith("【立案通知】") and texts[1].startswith("【交纳诉讼费用通知】")


async def test_no_electronic_service_without_consent(client, db_rows, rasa):
    litigant, _, case = await docketed(client, db_rows, e_service_consent=False)
    await pay(client, litigant, case["fee_notices"][0]["id"])
    clerk = await staff_token(client, "clerk2", "clerk", "京0105")
    # (A filing without a conversation no longer exists: every token is bound to one, issue 9.)
    other = await submit(client, litigant, e_service_consent=False, claims=[{"text": "判令被告还款", "amount": "1000"}])
    assert (await review(client, clerk, other["id"], decision="accept")).status == 200
    assert await scan_review_events(client.app[SESSIONMAKER]) == 0
    assert await send_pending(client.app) == 0
    assert rasa.calls == [] and await deliveries(client) == []


async def test_a_wage_claim_prepays_nothing_so_no_fee_notice_is_served(client, db_rows, rasa):
    await docketed(client, db_rows, case_type="追索劳动报酬纠纷")
    assert await scan_review_events(client.app[SESSIONMAKER]) == 1  # 《诉讼费用交纳办法》第二十条: the decision only
    await send_pending(client.app)
    (call,) = rasa.calls
    assert "交纳诉讼费用通知" not in call["body"][0]["text"]
    assert await deliveries(client) == [(CONV, "docketed", "sent", 1)]
