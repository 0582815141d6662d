"""Identity numbers (GB 11643-1999) and mobile numbers: court/rules/idcard.py, court/rules/phone.py.

Both are the personal-data checks a filing party goes through, so their tests live together.
"""
from __future__ import annotations

from datetime import date

import pytest

from court.rules.idcard import (
    IdNumberError,
    check_character,
    is_valid_id_number,
    mask_id_number,
    normalize_id_number,
    validate_id_number,
)
from court.rules.phone import PhoneError, is_valid_phone, mask_phone, normalize_phone

TODAY = date(2024, 6, 1)


def with_check(first17: str) -> str:
    return first17 + check_character(first17)


# --- GB 11643-1999 §5.4 check character -------------------------------------------------------

@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014"])
def test_reference_examples_are_valid(number: str) -> None:
    assert check_character(number[:17]) == number[17]
    assert validate_id_number(number, today=TODAY).number == number


def test_reference_example_female_1949() -> None:
    check = validate_id_number("11010519491231002X", today=TODAY)
    assert check.birth_date == date(1949, 12, 31)
    assert check.sex == "女"  # 17th digit 2 is even (§5.3)
    assert check.area_code == "110105"
    assert check.province == "北京市"
    assert check.age(TODAY) == 74
    assert check.age(date(2024, 12, 31)) == 75


def test_reference_example_male_born_1880() -> None:
    check = validate_id_number("440524188001010014", today=TODAY)
    assert check.birth_date == date(1880, 1, 1)
    assert check.sex == "男"  # 17th digit 1 is odd
    assert check.province == "广东省"


def test_lower_case_x_is_accepted_and_normalised() -> None:
    assert validate_id_number("11010519491231002x", today=TODAY).number == "11010519491231002X"


@pytest.mark.parametrize(
    "typed",
    [
        " 110105 19491231 002X ",
        "110105-19491231-002x",
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width from a Chinese IME
        "110105\u300019491231\u3000002X",  # ideographic spaces
    ],
)
def test_spaces_separators_and_full_width_are_normalised(typed: str) -> None:
    assert validate_id_number(typed, today=TODAY).number == "11010519491231002X"
    assert normalize_id_number(typed) == "11010519491231002X"


@pytest.mark.parametrize("wrong_last", ["0", "1", "9"])
def test_wrong_checksum_is_refused_naming_the_last_digit(wrong_last: str) -> None:
    with pytest.raises(IdNumberError) as err:
        validate_id_number("11010519491231002" + wrong_last, today=TODAY)
    assert err.value.code == "id_checksum"
    assert "校验位" in err.value.message and "最后一位" in err.value.message
    assert err.value.message_zh == err.value.message


def test_one_mistyped_digit_is_caught_by_the_checksum() -> None:
    with pytest.raises(IdNumberError) as err:
        validate_id_number("11010519491231003X", today=TODAY)  # sequence 002 → 003
    assert err.value.code == "id_checksum"
    with pytest.raises(IdNumberError):
        validate_id_number("440524188001010041", today=TODAY)  # two digits swapped


def test_impossible_date_19990230() -> None:
    number = with_check("11010519990230001")  # checksum right, so only the date is wrong
    with pytest.raises(IdNumberError) as err:
        validate_id_number(number, today=TODAY)
    assert err.value.code == "id_birth_date"
    assert "19990230" in err.value.message and "出生日期" in err.value.message


@pytest.mark.parametrize("first17", ["11010520231301001", "11010520230000001", "11010520230431001"])
def test_other_impossible_dates(first17: str) -> None:
    with pytest.raises(IdNumberError) as err:
        validate_id_number(with_check(first17), today=TODAY)
    assert err.value.code == "id_birth_date"


def test_leap_day_is_a_real_date() -> None:
    assert validate_id_number(with_check("11010520000229001"), today=TODAY).birth_date == date(2000, 2, 29)


def test_birth_date_in_the_future() -> None:
    with pytest.raises(IdNumberError) as err:
        validate_id_number(with_check("11010520240602001"), today=TODAY)
    assert err.value.code == "id_birth_future"
    assert "晚于今天" in err.value.message


def test_birth_date_too_early() -> None:
    with pytest.raises(IdNumberError) as err:
        validate_id_number(with_check("11010518491231001"), today=TODAY)
    assert err.value.code == "id_birth_too_early"


@pytest.mark.parametrize("prefix", ["00", "10", "19", "20", "66", "70", "90", "99"])
def test_area_code_must_be_a_province(prefix: str) -> None:
    with pytest.raises(IdNumberError) as err:
        validate_id_number(with_check(prefix + "010519491231002"), today=TODAY)
    assert err.value.code == "id_area"
    assert prefix in err.value.message


@pytest.mark.parametrize("prefix,province", [("65", "新疆维吾尔自治区"), ("33", "浙江省"), ("81", "香港特别行政区")])
def test_area_codes_accepted(prefix: str, province: str) -> None:
    assert validate_id_number(with_check(prefix + "010519491231002"), today=TODAY).province == province


@pytest.mark.parametrize(
    "text,code,words",
    [
        ("", "empty", "请您填写"),
        ("   ", "empty", "请您填写"),
        ("1101051949123100", "id_length", "16位"),
        ("11010519491231002X1", "id_length", "19位"),
        ("110105491231002", "legacy_15_digits", "15位"),
        ("1101051949123100XX", "id_characters", "第17位"),
        ("11010519491231002Y", "id_characters", "第18位"),
        ("11010519A91231002X", "id_characters", "第9位"),
    ],
)
def test_shape_errors_say_what_is_wrong(text: str, code: str, words: str) -> None:
    with pytest.raises(IdNumberError) as err:
        validate_id_number(text, today=TODAY)
    assert err.value.code == code
    assert words in err.value.message
    assert "您" in err.value.message  # polite


def test_is_valid_id_number() -> None:
    assert is_valid_id_number("11010519491231002X", today=TODAY)
    assert not is_valid_id_number("110105194912310021", today=TODAY)


def test_mask_keeps_first_three_and_last_four() -> None:
    assert mask_id_number("11010519491231002X") == "110***********002X"
    assert mask_id_number("11010519491231002x") == "110***********002X"
    assert mask_id_number("440524188001010014") == "440***********0014"
    assert len(mask_id_number("440524188001010014")) == 18
    assert mask_id_number("123") == "***"
    assert validate_id_number("11010519491231002X", today=TODAY).masked == "110***********002X"


def test_check_character_needs_17_digits() -> None:
    with pytest.raises(ValueError):
        check_character("1234")


# --- mobile numbers ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "typed",
    [
        "13800138000",
        "+86 138 0013 8000",
        "+8613800138000",
        "0086 138 0013 8000",
        "86 13800138000",
        "138-0013-8000",
        "138 0013 8000",
        "（+86）138-0013-8000",
        "１３８００１３８０００",
        "１３８－００１３－８０００",
    ],
)
def test_phone_normalisation(typed: str) -> None:
    assert normalize_phone(typed) == "13800138000"


@pytest.mark.parametrize("number", ["13012345678", "14512345678", "15912345678", "16612345678", "17712345678", "18812345678", "19912345678"])
def test_phone_prefixes_13_to_19(number: str) -> None:
    assert is_valid_phone(number)


@pytest.mark.parametrize(
    "typed,code",
    [
        ("", "empty"),
        ("1380013800", "phone_length"),
        ("138001380001", "phone_length"),
        ("12800138000", "phone_prefix"),
        ("10086000000", "phone_prefix"),
        ("23800138000", "phone_prefix"),
        ("1380013800a", "phone_characters"),
        ("+1 415 555 0100", "phone_foreign"),
        ("010-12345678", "phone_prefix"),
    ],
)
def test_phone_errors(typed: str, code: str) -> None:
    with pytest.raises(PhoneError) as err:
        normalize_phone(typed)
    assert err.value.code == code
    assert "您" in err.value.message


def test_phone_mask() -> None:
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("+86 138 0013 8000") == "138****8000"
    assert mask_phone("12345") == "*2345"
