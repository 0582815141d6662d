"""民族 and 职业/工作单位 (and a defendant's ID number) from one short answer (bot/readers/details.py)."""
from __future__ import annotations

import pytest

from bot.readers.details import ETHNIC_GROUPS, find_ethnicity, read_details
from bot.readers.parties import UNKNOWN


def test_the_56_groups_longest_first():
    assert len(ETHNIC_GROUPS) == len(set(ETHNIC_GROUPS)) == 56
    assert ETHNIC_GROUPS.index("土家") < ETHNIC_GROUPS.index("土")


@pytest.mark.parametrize("text, expected", [
    ("汉族，教师", {"ethnicity": "汉族", "occupation": "教师"}),
    ("汉 退休", {"ethnicity": "汉族", "occupation": "退休"}),
    ("民族：汉，职业：程序员", {"ethnicity": "汉族", "occupation": "程序员"}),
    ("我是回族的，在北京某某科技有限公司上班", {"ethnicity": "回族", "occupation": "北京某某科技有限公司"}),
    ("土家族 务农", {"ethnicity": "土家族", "occupation": "务农"}),
    ("满族", {"ethnicity": "满族"}),
])
def test_a_plaintiff_gives_ethnicity_and_occupation(text, expected):
    assert read_details(text, of_defendant=False) == (expected, None)


@pytest.mark.parametrize("text", ["不清楚", "教师", "在水利局工作"])
def test_a_plaintiff_without_an_ethnicity_is_asked_again(text):
    details, problem = read_details(text, of_defendant=False)
    assert details is None and "民族" in problem


def test_one_character_groups_need_zu_inside_a_sentence():
    # 水 and 白 are groups, but "水利局" is no 水族
    assert find_ethnicity("在水利局工作") == (None, "在水利局工作")
    assert find_ethnicity("白族，白云区")[0] == "白族"


@pytest.mark.parametrize("text, expected", [
    ("不清楚", UNKNOWN),
    ("民族不清楚，职业不知道", UNKNOWN),
    ("在某物流公司开车，民族不清楚", {"occupation": "某物流公司开车"}),
    ("11010519491231002X，汉族", {"id_number": "11010519491231002X", "ethnicity": "汉族"}),
    ("回族 司机", {"ethnicity": "回族", "occupation": "司机"}),
])
def test_a_defendant_may_be_partly_or_wholly_unknown(text, expected):
    assert read_details(text, of_defendant=True) == (expected, None)


def test_a_defendants_wrong_id_number_is_explained():
    details, problem = read_details("110105194912310021 汉族 司机", of_defendant=True)
    assert details is None and "校验" in problem and "可以不写" in problem


def test_markup_is_not_an_occupation():
    details, problem = read_details("汉族，<script>", of_defendant=False)
    assert details is None and "职业" in problem
