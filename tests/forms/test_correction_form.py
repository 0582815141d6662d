"""The 补正 form's validator against a fake backend on loopback: choosing, every item, the read-back."""
from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from bot.corrections import DONE
from forms.correction import ValidateCorrectionForm
from bot.readers.correction_items import classify_items
from bot.own_filings import NONE
from tests.actions.fake_court import CODE, OTHER_TOKEN, TOKEN, court, filing, said, tracker  # noqa: F401

NOTICE = ["请补充被告的住址和联系电话", "请提交借条原件照片"]
FORM_DOMAIN = {"forms": {"correction_form": {"required_slots": [
    "identity_name", "identity_id_number", "identity_phone", "sms_code",
    "correction_target", "correction_input", "correction_confirmed"]}}}


def loaded(number: str = "LA20261128000001", answers: dict | None = None, **slots) -> dict:
    return {"litigant_token": TOKEN, "correction_target": number,
            "correction_items": {"filing": number, "items": classify_items(NOTICE)},
            "correction_answers": answers or {}, "correction_seen_docs": [], **slots}


async def test_after_the_sms_code_the_only_filing_needing_correction_is_chosen_and_every_item_shown(court):
    court.add(filing("LA20261128000001", "needs_correction", items=NOTICE, reason="材料不全"))
    court.add(filing("LA20261128000002", "pending_review"))
    court.add(filing("LA20261128000003", "needs_correction", items=["x"]), owner=OTHER_TOKEN)
    dispatcher = CollectingDispatcher()
    t = tracker(CODE, slots={"identity_challenge": "c1", "identity_phone": "13800138000"})
    result = await ValidateCorrectionForm().validate_sms_code(CODE, dispatcher, t, FORM_DOMAIN)
    assert result["litigant_token"] == TOKEN and result["correction_target"] == "LA20261128000001"
    # The token is bound to this conversation, as the channel authenticated it (issue 9).
    assert court.confirms[-1]["conversation_id"] == t.sender_id and court.confirms[-1]["channel"] == "rest"
    assert [i["text"] for i in result["correction_items"]["items"]] == NOTICE
    text = said(dispatcher)
    assert "1. 请补充被告的住址和联系电话（在对话中直接输入）" in text and "2. 请提交借条原件照片（需上传文件）" in text
    assert "一次性告知" in text and "第七条" in text


async def test_with_nothing_to_correct_the_form_ends_and_with_several_it_asks(court):
    court.add(filing("LA20261128000002", "pending_review"))
    form = ValidateCorrectionForm()
    t = tracker(CODE, slots={"identity_challenge": "c1"})
    result = await form.validate_sms_code(CODE, CollectingDispatcher(), t, FORM_DOMAIN)
    assert result["correction_target"] == NONE
    done = tracker(slots={"litigant_token": TOKEN, "correction_target": NONE})
    assert await form.required_slots(FORM_DOMAIN["forms"]["correction_form"]["required_slots"],
                                     CollectingDispatcher(), done, FORM_DOMAIN) == ["correction_target"]
    court.add(filing("LA20261128000004", "needs_correction", items=NOTICE))
    court.add(filing("LA20261128000005", "needs_correction", items=NOTICE))
    result = await form.validate_sms_code(CODE, CollectingDispatcher(), t, FORM_DOMAIN)
    assert "correction_target" not in result


async def test_a_number_typed_at_the_start_is_used_and_checked(court):
    court.add(filing("LA20261128000001", "pending_review"))
    court.add(filing("LA20261128000009", "needs_correction", items=NOTICE), owner=OTHER_TOKEN)
    form = ValidateCorrectionForm()
    start = tracker("LA20261128000009需要补正", "submit_correction", slots={"litigant_token": TOKEN})
    assert await form.extract_correction_target(CollectingDispatcher(), start, FORM_DOMAIN) == {
        "correction_target": "LA20261128000009"}
    dispatcher = CollectingDispatcher()
    result = await form.validate_correction_target("LA20261128000009", dispatcher, start, FORM_DOMAIN)
    assert result == {"correction_target": NONE}  # not theirs, and nothing of theirs needs correcting
    assert "没有查到您名下的立案申请 LA20261128000009" in said(dispatcher)
    dispatcher = CollectingDispatcher()
    result = await form.validate_correction_target("LA20261128000001", dispatcher, start, FORM_DOMAIN)
    assert result == {"correction_target": NONE} and "“待审核”，不需要补正" in said(dispatcher)


async def test_a_digression_while_choosing_is_left_to_the_rules(court):
    court.add(filing("LA20261128000001", "needs_correction", items=NOTICE))
    t = tracker("立案要什么材料", "faq", slots={"litigant_token": TOKEN, "requested_slot": "correction_target"})
    assert await ValidateCorrectionForm().extract_correction_target(CollectingDispatcher(), t, FORM_DOMAIN) == {}
    t = tracker("随便", "inform", slots={"litigant_token": TOKEN, "requested_slot": "correction_target"})
    dispatcher = CollectingDispatcher()
    assert await ValidateCorrectionForm().extract_correction_target(dispatcher, t, FORM_DOMAIN) == {
        "correction_target": None}
    assert "LA" in said(dispatcher)


async def test_typed_item_then_an_upload_that_must_really_arrive(court):
    court.add(filing("LA20261128000001", "needs_correction", items=NOTICE))
    court.upload("LA20261128000001", "起诉状.pdf")  # was there before the correction started
    form = ValidateCorrectionForm()
    seen = [d["id"] for d in court.documents["LA20261128000001"]]

    dispatcher = CollectingDispatcher()
    result = await form.validate_correction_input("北京市朝阳区建国路88号", dispatcher,
                                                  tracker("北京市朝阳区建国路88号", slots=loaded()), FORM_DOMAIN)
    assert result == {"correction_input": None} and "手机号码" in said(dispatcher)

    text = "北京市朝阳区建国路88号，13912345678"
    result = await form.validate_correction_input(text, CollectingDispatcher(), tracker(text, slots=loaded()),
                                                  FORM_DOMAIN)
    assert result["correction_input"] is None and set(result["correction_answers"]) == {"0"}
    answers = result["correction_answers"]

    dispatcher = CollectingDispatcher()
    t = tracker("/affirm", "affirm", slots=loaded(answers=answers, correction_seen_docs=seen))
    result = await form.validate_correction_input("/affirm", dispatcher, t, FORM_DOMAIN)
    assert result == {"correction_input": None} and "还没有收到新上传的文件" in said(dispatcher)

    court.upload("LA20261128000001", "借条.jpg")
    dispatcher = CollectingDispatcher()
    t = tracker("传好了", "inform", slots=loaded(answers=answers, correction_seen_docs=seen))
    result = await form.validate_correction_input("传好了", dispatcher, t, FORM_DOMAIN)
    assert result["correction_input"] == DONE
    assert result["correction_answers"]["1"] == {"files": ["借条.jpg"]}
    assert len(result["correction_seen_docs"]) == 2 and "借条.jpg" in said(dispatcher)


async def test_an_upload_can_be_left_for_later_but_not_replaced_by_text(court):
    court.add(filing("LA20261128000001", "needs_correction", items=NOTICE))
    form = ValidateCorrectionForm()
    answers = {"0": {"values": {"address": "北京市朝阳区建国路88号", "phone": "13912345678"}}}
    dispatcher = CollectingDispatcher()
    t = tracker("借条在我这里", "inform", slots=loaded(answers=answers))
    assert await form.validate_correction_input("借条在我这里", dispatcher, t, FORM_DOMAIN) == {"correction_input": None}
    assert "需要上传文件" in said(dispatcher)
    t = tracker("还没上传，晚点再传", "inform", slots=loaded(answers=answers))
    result = await form.validate_correction_input("还没上传，晚点再传", CollectingDispatcher(), t, FORM_DOMAIN)
    assert result["correction_input"] == DONE and result["correction_answers"]["1"] == {"files": [], "later": True}


async def test_the_read_back_confirms_or_goes_back_to_one_item(court):
    answers = {"0": {"values": {"address": "北京市朝阳区建国路88号", "phone": "13912345678"}},
               "1": {"files": ["借条.jpg"]}}
    form = ValidateCorrectionForm()
    slots = loaded(answers=answers, correction_input=DONE)
    assert await form.validate_correction_confirmed("/affirm", CollectingDispatcher(),
                                                    tracker("/affirm", "affirm", slots=slots), FORM_DOMAIN) == {
        "correction_confirmed": True, "correction_choosing": None}

    dispatcher = CollectingDispatcher()
    result = await form.validate_correction_confirmed("/deny", dispatcher, tracker("/deny", "deny", slots=slots),
                                                      FORM_DOMAIN)
    assert result == {"correction_confirmed": None, "correction_choosing": True}
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    assert payloads == ['/inform{"item":"1"}', '/inform{"item":"2"}']  # the item's number, never words

    tap = tracker(payloads[1], "inform", slots={**slots, "correction_choosing": True},
                  entities=[{"entity": "item", "value": "2"}])
    typed = tracker("修改第2项", "inform", slots={**slots, "correction_choosing": True})
    for value, t in ((payloads[1], tap), ("修改第2项", typed)):
        result = await form.validate_correction_confirmed(value, CollectingDispatcher(), t, FORM_DOMAIN)
        assert result["correction_input"] is None and set(result["correction_answers"]) == {"0"}
        assert result["correction_confirmed"] is None and result["correction_choosing"] is None
        answers["1"] = {"files": ["借条.jpg"]}

    dispatcher = CollectingDispatcher()
    result = await form.validate_correction_confirmed("今天天气不错", dispatcher,
                                                      tracker("今天天气不错", "out_of_scope", slots=slots), FORM_DOMAIN)
    assert result["correction_confirmed"] is None and "确认提交" in said(dispatcher)


async def test_a_correction_kept_after_a_failed_submission_is_not_reloaded(court):
    court.add(filing("LA20261128000001", "needs_correction", items=NOTICE))
    answers = {"0": {"values": {"address": "北京市朝阳区建国路88号", "phone": "13912345678"}}}
    dispatcher = CollectingDispatcher()
    result = await ValidateCorrectionForm().validate_correction_target(
        "LA20261128000001", dispatcher, tracker(slots=loaded(answers=answers)), FORM_DOMAIN)
    assert result == {"correction_target": "LA20261128000001"} and dispatcher.messages == []


async def test_the_whole_validation_action_keeps_the_answers_and_asks_the_next_item(court):
    """As the action server runs it: the candidate from from_text, then the SlotSets Rasa receives."""
    from rasa_sdk import Tracker

    court.add(filing("LA20261128000001", "needs_correction", items=NOTICE))
    text = "北京市朝阳区建国路88号，13912345678"
    message = {"text": text, "intent": {"name": "inform", "confidence": 0.9}, "entities": []}
    events = [{"event": "user", "text": text, "parse_data": message, "input_channel": "rest"},
              {"event": "slot", "name": "correction_input", "value": text}]
    slots = {**loaded(), "identity_name": "张三", "sms_code": "已验证", "requested_slot": "correction_input",
             "correction_input": text}
    t = Tracker("conv-1", slots, message, events, False, None, {"name": "correction_form"}, "action_listen")
    result = await ValidateCorrectionForm().run(CollectingDispatcher(), t, FORM_DOMAIN)
    got = {e["name"]: e["value"] for e in result}
    assert got["correction_input"] is None and got["requested_slot"] == "correction_input"
    assert got["correction_answers"] == {"0": {"values": {"phone": "13912345678", "address": "北京市朝阳区建国路88号"}}}
