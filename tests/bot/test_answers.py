"""Reading names and the confirmation step."""
import pytest

from bot.readers.answers import clean_name, field_mentioned, name_despite_intent, party_kind, read_confirmation


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


@pytest.mark.parametrize("text, intent, expected", [
    ("孙七", "greet", "孙七"), ("谢芳", "thank", "谢芳"), ("钱多多", "greet", "钱多多"),
    ("被告是高文", "greet", "高文"), ("欧阳娜娜", "greet", "欧阳娜娜"),
    ("北京某某科技有限公司", "greet", "北京某某科技有限公司"),
    ("谢谢", "thank", None), ("谢谢你", "thank", None), ("你好", "greet", None), ("早上好", "greet", None),
    ("好的谢谢", "thank", None), ("孙七", "stop", None), ("孙七", None, None),
])
def test_a_name_is_taken_where_the_classifier_heard_a_greeting_or_thanks(text, intent, expected) -> None:
    assert name_despite_intent(text, intent) == expected
