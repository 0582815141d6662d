"""Reading names and the confirmation step."""
import pytest

from bot.readers.answers import clean_name, field_mentioned, party_kind, read_confirmation


@pytest.mark.parametrize("text, name", [("张三", "张三"), ("我叫张三。", "张三"), ("原告是 王小明", "王小明"),
                                        ("被告：北京某某科技有限公司", "北京某某科技有限公司"), ("对方是李四吧", "李四")])
def test_clean_name(text, name):
    assert clean_name(text) == name


@pytest.mark.parametrize("text", ["123", "a", "张三13800138000", ""])
def test_not_a_name(text):
    assert clean_name(text) is None


def test_party_kind():
    assert party_kind("北京某某科技有限公司") == "organisation"
    assert party_kind("中国工商银行") == "organisation"
    assert party_kind("李四") == "person"


@pytest.mark.parametrize("text, field", [("被告名字写错了", "defendant_name"), ("金额是8万", "amount"),
                                         ("身份证号输错了", "plaintiff_name"), ("法院选错了", "court"),
                                         ("被告地址写错了", "defendant_name"), ("证据再加一项", "evidence"),
                                         ("还是不同意调解吧", "mediation_consent"), ("送达地址改成邮箱", "e_service_consent"),
                                         ("事实部分要补充", "facts"), ("修改诉讼请求", "claims")])
def test_field_mentioned(text, field):
    assert field_mentioned(text) == field


def test_read_confirmation():
    assert read_confirmation("确认提交", None).confirmed
    assert read_confirmation("好的", "affirm").confirmed
    change = read_confirmation("不对，金额是8万", "deny")
    assert not change.confirmed and change.wants_change and change.field == "amount"
    plain = read_confirmation("不对", "deny")
    assert plain.wants_change and plain.field is None
    assert read_confirmation("今天天气", "out_of_scope") == read_confirmation("", None)
