"""Money, dates and numbers as litigants type them."""
from decimal import Decimal

import pytest

from bot.readers.values import find_amounts, find_dates, find_values, parse_amount


@pytest.mark.parametrize("text", ["五万", "5万元", "50000", "伍万元", "50,000.00元", "5w", "５万", "五万块", "大概5万左右"])
def test_fifty_thousand_in_every_spelling(text):
    assert parse_amount(text) == Decimal("50000.00")


@pytest.mark.parametrize(
    "text, value",
    [("2万5", "25000.00"), ("5万6", "56000.00"), ("两万五", "25000.00"), ("12.5万", "125000.00"), ("一千亿", "100000000000.00"),
     ("壹拾贰万叁仟", "123000.00"), ("0.5万", "5000.00"), ("1234.567", "1234.57"), ("三十万零五百", "300500.00")],
)
def test_amount_values(text, value):
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "张三", "5万和6万", "借了一些"])
def test_not_an_amount(text):
    assert parse_amount(text) is None


def test_amounts_in_free_text_skip_dates_and_phone_numbers():
    found = find_amounts("他在2023年3月借了我5万元，利息2000，电话13800138000，共计50,000元")
    assert [(f.text, f.value) for f in found] == [("5万元", "50000.00"), ("2000", "2000.00"), ("50,000元", "50000.00")]


def test_dates():
    assert [f.value for f in find_dates("2023年3月5日借的，2024-1-2还了一部分，2023年13月1日")] == ["2023-03-05", "2024-01-02"]


def test_numbers_are_checked_and_normalised():
    found = {f.entity: f.value for f in find_values(
        "身份证11010519491231002x 手机138 0013 8000 案号(2024)京0105民初1234号 申请号la20261128000012")}
    assert found == {"id_number": "11010519491231002X", "phone": "13800138000",
                     "case_number": "（2024）京0105民初1234号", "filing_id": "LA20261128000012"}


def test_an_id_number_with_a_wrong_check_digit_is_not_an_entity():
    assert [f.entity for f in find_values("身份证110105194912310021")] == []
