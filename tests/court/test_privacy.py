"""No ID or mobile number reaches a log line unmasked."""
import logging

from court.rules.privacy import MaskingFilter, mask_pii


def test_mask_pii():
    assert mask_pii("身份证11010519491231002X，电话13800138000") == "身份证110***********002X，电话138****8000"
    assert mask_pii("订单 123456789012345678901") == "订单 123456789012345678901"  # longer digit runs untouched


def test_filter_masks_arguments_and_message(caplog):
    logger = logging.getLogger("privacy-test")
    handler = logging.Handler()
    records = []
    handler.emit = records.append
    handler.addFilter(MaskingFilter())
    logger.addHandler(handler)
    try:
        logger.warning("user %s typed %s", "张三", "440524188001010014 13912345678")
    finally:
        logger.removeHandler(handler)
    assert records[0].getMessage() == "user 张三 typed 440***********0014 139****5678"
