"""The one phone reader of the Rasa side (bot/readers/phone.py) over the rule in court/rules/phone.py."""
import pytest

from bot.readers.phone import PHONE_ENTITY, read_phone


@pytest.mark.parametrize("text", ["13800138000", "+86 138 0013 8000", "138-0013-8000", "我的手机是１３８００１３８０００",
                                  "手机号 138 0013 8000 谢谢"])
def test_a_mobile_number_is_read_however_it_is_typed(text):
    assert read_phone(text) == ("13800138000", None)


@pytest.mark.parametrize("text, words", [("12800138000", "13至19"), ("1380013800", "11位"), ("没有手机", "")])
def test_a_wrong_number_is_explained_in_chinese(text, words):
    phone, problem = read_phone(text)
    assert phone is None and problem and words in problem


def test_the_entity_pattern_takes_a_number_standing_alone_only():
    assert [m.group(0) for m in PHONE_ENTITY.finditer("电话13800138000，身份证110105194912310021")] == ["13800138000"]
    assert PHONE_ENTITY.search("订单2138001380001") is None
