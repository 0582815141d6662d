"""The two-stage fallback: the best guesses as Chinese buttons, never an intent's name."""
from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import (
    ActionDefaultAskAffirmation, ActionDefaultAskRephrase, ActionDefaultFallback, guess_buttons, guesses,
)
from tests.actions.fake_court import said, tracker

RANKING = [
    {"name": "nlu_fallback", "confidence": 0.45}, {"name": "faq", "confidence": 0.3},
    {"name": "query_status", "confidence": 0.25}, {"name": "greet", "confidence": 0.2},
    {"name": "ask_fee", "confidence": 0.12}, {"name": "file_case", "confidence": 0.08},
    {"name": "pay_fee", "confidence": 0.07}, {"name": "cancel_filing", "confidence": 0.01},
]


def test_the_best_two_or_three_goals_are_guessed():
    assert guesses(RANKING) == ["query_status", "ask_fee", "file_case"]
    assert guesses([{"name": "pay_fee", "confidence": 0.3}, {"name": "cancel_filing", "confidence": 0.01}]) == [
        "pay_fee", "file_case"]  # too weak a second guess: a common service stands in
    assert guesses([]) == ["file_case", "query_status"]


def test_buttons_have_chinese_labels_intent_payloads_and_none_of_these():
    buttons = guess_buttons(RANKING)
    assert [b["title"] for b in buttons] == ["查询立案进度", "诉讼费怎么算", "我要立案", "都不是"]
    assert [b["payload"] for b in buttons] == ["/query_status", "/ask_fee", "/file_case", "/out_of_scope"]
    assert not any("_" in b["title"] for b in buttons)


async def test_ask_affirmation_reads_the_latest_messages_ranking():
    dispatcher = CollectingDispatcher()
    await ActionDefaultAskAffirmation().run(dispatcher, tracker("我想问问那个钱", "nlu_fallback", ranking=RANKING,
                                                                form=None), {})
    assert "哪一项" in said(dispatcher) and len(dispatcher.messages[0]["buttons"]) == 4


async def test_rephrase_and_give_up_are_chinese_and_give_up_reverts():
    dispatcher = CollectingDispatcher()
    assert await ActionDefaultAskRephrase().run(dispatcher, tracker(form=None), {}) == []
    assert "换个说法" in said(dispatcher)
    dispatcher = CollectingDispatcher()
    events = await ActionDefaultFallback().run(dispatcher, tracker(form=None), {})
    assert "转人工" in said(dispatcher) and "12368" in said(dispatcher)
    assert [e["event"] for e in events] == ["rewind"]
