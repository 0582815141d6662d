"""The payment request states the amount, the deadline and its article."""
from actions.payment import payment_request_text


def test_payment_request_text():
    text = payment_request_text("（2026）京0105民初1号", {
        "amount": "2300.00", "due_at": "2026-12-05T15:59:59+00:00", "pay_url": "http://127.0.0.1:8080/dev/pay/P1"})
    assert "2,300.00元" in text and "2026年12月05日23:59" in text and "第二十二条" in text
    assert "http://127.0.0.1:8080/dev/pay/P1" in text


def test_an_unserved_notice_has_no_date_but_the_rule():
    """The court API gives due_at null until the notice is served (办法第二十二条): no crash, no invented date."""
    text = payment_request_text("（2026）京0105民初1号", {
        "amount": "2300.00", "due_at": None, "pay_url": "http://127.0.0.1:8080/dev/pay/P1"})
    assert "请在收到交费通知次日起第七日（遇法定节假日顺延）24时前缴纳" in text and "年" not in text.split("需缴纳")[1].split("（")[0]
