"""Case numbers (法〔2015〕137号 as amended by 法〔2018〕335号): court/rules/case_numbers.py."""
from __future__ import annotations

import re
from datetime import date

import pytest

from court.rules.case_numbers import (
    CASE_NUMBER_REGEX,
    COURT_PROVINCE_CODES,
    CaseNumber,
    CaseNumberError,
    TYPE_CODES,
    find_case_numbers,
    format_case_number,
    parse_case_number,
)

TODAY = date(2025, 6, 1)


def parse(text: str) -> CaseNumber:
    return parse_case_number(text, today=TODAY)


def test_format() -> None:
    assert format_case_number(2024, "京0105", "民初", 1234, today=TODAY) == "（2024）京0105民初1234号"
    assert format_case_number(2019, "最高法", "民终", 1, "知", today=TODAY) == "（2019）最高法知民终1号"
    assert format_case_number(2022, "沪0115", "民初", 13290, suffix="之一", today=TODAY) == "（2022）沪0115民初13290号之一"


@pytest.mark.parametrize(
    "kwargs,code",
    [
        (dict(year=2024, court_code="京010", type_code="民初", seq=1), "court_digits"),
        (dict(year=2024, court_code="X0105", type_code="民初", seq=1), "court_unknown"),
        (dict(year=2024, court_code="京0105", type_code="民X", seq=1), "type_unknown"),
        (dict(year=2024, court_code="京0105", type_code="民初", seq=0), "seq_invalid"),
        (dict(year=2015, court_code="京0105", type_code="民初", seq=1), "year_before_2016"),
        (dict(year=2026, court_code="京0105", type_code="民初", seq=1), "year_future"),
    ],
)
def test_format_refuses_bad_parts(kwargs: dict, code: str) -> None:
    with pytest.raises(CaseNumberError) as err:
        format_case_number(**kwargs, today=TODAY)
    assert err.value.code == code


CANONICAL = "（2024）京0105民初1234号"


@pytest.mark.parametrize(
    "typed",
    [
        "（2024）京0105民初1234号",
        "(2024)京0105民初1234号",
        "2024京0105民初1234号",
        "〔2024〕京0105民初1234号",
        "[2024]京0105民初1234号",
        "【2024】京0105民初1234号",
        "（2024）京0105民初1234",
        "(2024)京0105民初1234",
        "2024京0105民初1234",
        "( 2024 ) 京 0105 民初 1234 号",
        "（２０２４）京０１０５民初１２３４号",
        "(２０２４)京0105民初１２３４",
        "（2024）京0105民初第1234号",
        "案号：（2024）京0105民初1234号",
        "（2024）京0105民初1234号。",
        "  （2024）京0105民初01234号  ",
        "（2024）京0105民初1234號",
    ],
)
def test_accepted_spellings_round_trip_to_canonical(typed: str) -> None:
    cn = parse(typed)
    assert cn == CaseNumber(2024, "京0105", "民初", 1234)
    assert cn.canonical() == CANONICAL
    assert str(cn) == CANONICAL
    assert parse(cn.canonical()) == cn


@pytest.mark.parametrize(
    "typed,canonical,court_code,type_code,seq",
    [
        ("（2017）京04民终367号", "（2017）京04民终367号", "京04", "民终", 367),
        ("(2023)京0491民初12142号", "（2023）京0491民初12142号", "京0491", "民初", 12142),
        ("（2024）浙0192民初1779号", "（2024）浙0192民初1779号", "浙0192", "民初", 1779),
        ("（2025）浙 0113 刑初 59 号", "（2025）浙0113刑初59号", "浙0113", "刑初", 59),
        ("(2021)沪7101民初1542号", "（2021）沪7101民初1542号", "沪7101", "民初", 1542),
        ("（2020）沪7101破172号", "（2020）沪7101破172号", "沪7101", "破", 172),
        ("（2024）沪0114执2986号", "（2024）沪0114执2986号", "沪0114", "执", 2986),
        ("（2023）苏民终280号", "（2023）苏民终280号", "苏", "民终", 280),
        ("（2016）最高法民终254号", "（2016）最高法民终254号", "最高法", "民终", 254),
        ("（2021）最高法民申1140号", "（2021）最高法民申1140号", "最高法", "民申", 1140),
        ("（2020）甘03执23号", "（2020）甘03执23号", "甘03", "执", 23),
        ("（2024）内0523民初1661号", "（2024）内0523民初1661号", "内0523", "民初", 1661),
        ("（2018）湘0724行审5号", "（2018）湘0724行审5号", "湘0724", "行审", 5),
        ("（2021）沪0115行保1号", "（2021）沪0115行保1号", "沪0115", "行保", 1),
        ("（2020）粤03执恢12号", "（2020）粤03执恢12号", "粤03", "执恢", 12),
        ("（2022）粤0106财保88号", "（2022）粤0106财保88号", "粤0106", "财保", 88),
        ("（2023）京73民终2463号", "（2023）京73民终2463号", "京73", "民终", 2463),
    ],
)
def test_real_case_numbers(typed: str, canonical: str, court_code: str, type_code: str, seq: int) -> None:
    cn = parse(typed)
    assert (cn.court_code, cn.type_code, cn.seq) == (court_code, type_code, seq)
    assert cn.canonical() == canonical


def test_special_trial_code_zhi() -> None:
    cn = parse("(2019)最高法知民终1号")
    assert (cn.court_code, cn.special_code, cn.type_code, cn.seq) == ("最高法", "知", "民终", 1)
    assert cn.canonical() == "（2019）最高法知民终1号"


def test_suffix_zhi_yi_is_kept() -> None:
    cn = parse("(2022)沪0115民初13290号之一")
    assert cn.suffix == "之一"
    assert cn.canonical() == "（2022）沪0115民初13290号之一"


def test_parts_and_levels() -> None:
    cn = parse("（2017）京04民终367号")
    assert cn.type_name == "民事二审案件"
    assert cn.type_category == "民事"
    assert cn.court_level == "intermediate"
    assert cn.province == "北京市"
    assert parse("（2024）京0105民初1号").court_level == "basic"
    assert parse("（2024）京民终1号").court_level == "high"
    assert parse("（2024）最高法民申1号").court_level == "supreme"
    assert parse("（2024）最高法民申1号").province is None
    assert parse("（2024）粤0106执12号").type_name == "首次执行案件"


@pytest.mark.parametrize(
    "typed,code,words",
    [
        ("", "empty", "请您提供案号"),
        ("京0105民初1234号", "year_missing", "年度"),
        ("（）京0105民初1234号", "year_missing", "年度"),
        ("(24)京0105民初1234号", "year_invalid", "四位"),
        ("（2024）", "court_missing", "法院代字"),
        ("（2024）A0105民初1234号", "court_unknown", "A"),
        ("（2024）北0105民初1234号", "court_unknown", "北"),
        ("（2024）京010民初1234号", "court_digits", "2位"),
        ("（2024）京01050民初1234号", "court_digits", "4位"),
        ("（2024）京01051234号", "type_missing", "类型代字"),
        ("（2024）京0105民X1234号", "type_unknown", "民X"),
        ("（2024）京0105民事1234号", "type_unknown", "民事"),
        ("（2024）京0105民初号", "seq_missing", "编号"),
        ("（2024）京0105民初", "seq_missing", "编号"),
        ("（2024）京0105民初0号", "seq_invalid", "从1开始"),
        ("（2024）京0105民初12号abc", "trailing_text", "abc"),
        ("（2013）杭下商初字第383号", "old_format", "旧式案号"),
        ("（2015）京0105民初1234号", "year_before_2016", "2016"),
        ("（2026）京0105民初1234号", "year_future", "晚于今年"),
    ],
)
def test_errors_name_what_was_not_understood(typed: str, code: str, words: str) -> None:
    with pytest.raises(CaseNumberError) as err:
        parse(typed)
    assert err.value.code == code
    assert words in err.value.message
    assert err.value.message_zh == err.value.message


def test_type_codes_follow_article_7() -> None:
    # 规定 art. 7: at most three Chinese characters, unique
    assert all(1 <= len(code) <= 3 for code in TYPE_CODES)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]+", code) for code in TYPE_CODES)
    for code in ["民初", "民终", "民申", "民再", "民特", "民督", "民撤", "民辖", "刑初", "刑终", "行初",
                 "行终", "行审", "执", "执恢", "执保", "执异", "执复", "财保"]:
        assert code in TYPE_CODES, code
    assert all(name and category for name, category in TYPE_CODES.values())


def test_province_codes_follow_article_4() -> None:
    assert set("京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川黔云陕甘青内桂藏宁新军兵") == set(COURT_PROVINCE_CODES)


def test_regex_spots_case_numbers_in_free_text() -> None:
    pattern = re.compile(CASE_NUMBER_REGEX)
    text = "我的案子是(2024)京0105民初1234号，二审是（2025）京03民终56号，电话13800138000。"
    assert [m.group(0) for m in pattern.finditer(text)] == ["(2024)京0105民初1234号", "（2025）京03民终56号"]
    assert [c.canonical() for c in find_case_numbers(text, today=TODAY)] == [
        "（2024）京0105民初1234号",
        "（2025）京03民终56号",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "2024京0105民初1234",
        "〔2024〕京0105民初1234号",
        "（２０２４）京０１０５民初１２３４号",
        "( 2024 ) 京 0105 民初 1234 号",
        "(2019)最高法知民终1号",
        "(2022)沪0115民初13290号之一",
    ],
)
def test_regex_matches_every_accepted_spelling(text: str) -> None:
    m = re.search(CASE_NUMBER_REGEX, "案号是" + text + "，谢谢")
    assert m is not None
    assert parse(m.group(0)).canonical()


@pytest.mark.parametrize("text", ["13800138000", "京0105民初1234号", "2024年我去了北京", "（2024）京0105", "身份证11010519491231002X"])
def test_regex_does_not_fire_on_other_text(text: str) -> None:
    assert re.search(CASE_NUMBER_REGEX, text) is None


def test_find_skips_matches_that_do_not_parse() -> None:
    assert find_case_numbers("（2024）京010民初1号", today=TODAY) == []
