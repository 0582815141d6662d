"""The fee answer names the figure, its article and the reductions."""
from actions.fees import fee_answer


def test_property_fee_answer():
    text = fee_answer("property", "100000.00", {"fee": "2300.00", "fee_min": None, "fee_max": None,
                                                 "basis": "《诉讼费用交纳办法》第十三条第（一）项",
                                                 "steps": ["不超过1万元的部分：50元", "1万元至10万元的部分：2,250元"]})
    assert text.startswith("财产案件（标的额100,000.00元（10万元））的诉讼费为2,300.00元。")
    assert "第十三条" in text and "减半" in text and "第十五条" in text


def test_range_answer():
    text = fee_answer("divorce", None, {"fee": None, "fee_min": "50.00", "fee_max": "300.00",
                                        "basis": "《诉讼费用交纳办法》第十三条第（二）项第1目", "steps": []})
    assert "50.00元至300.00元" in text and "各地" in text
