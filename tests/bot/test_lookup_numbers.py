"""The status form reads filing and case numbers in the spellings people use."""
import pytest

from bot.readers.lookup_numbers import read_lookup_number


@pytest.mark.parametrize("text, number", [
    ("la20261128000012", "LA20261128000012"),
    ("我的申请号是LA 20261128000012", "LA20261128000012"),
    ("（2024）京0105民初1234号", "（2024）京0105民初1234号"),
    ("(2024)京0105民初1234号", "（2024）京0105民初1234号"),
    ("2024京0105民初1234号", "（2024）京0105民初1234号"),
])
def test_numbers(text, number):
    assert read_lookup_number(text) == (number, None)


def test_unclear_numbers_are_explained():
    number, problem = read_lookup_number("京0105民初1234号")
    assert number is None and "年" in problem
    number, problem = read_lookup_number("不知道")
    assert number is None and "LA" in problem
