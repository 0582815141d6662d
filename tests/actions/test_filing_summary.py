"""The payload sent to the backend and the read-back shown to the litigant."""
from actions.filing_summary import filing_payload, filing_summary, format_money, idempotency_key

SLOTS = {
    "case_type": "民间借贷纠纷", "court": "北京市朝阳区人民法院", "court_code": "京0105",
    "plaintiff_name": "张三", "plaintiff_id_number": "11010519491231002X", "plaintiff_phone": "13800138000",
    "defendant_name": "李四", "defendant_kind": "person", "claims": "判令被告归还借款5万元",
    "amount": "50000.00", "facts": "2023年3月借款5万元至今未还。",
}


def test_money_for_people():
    assert format_money("50000.00") == "50,000.00元（5万元）"
    assert format_money("123456.78") == "123,456.78元（12.345678万元）"
    assert format_money("800.00") == "800.00元"
    assert format_money(None) == "未填写"


def test_payload_matches_the_backend_contract():
    payload = filing_payload(SLOTS, channel="rest", conversation_id="c1")
    assert payload["court_code"] == "京0105"
    assert payload["parties"][0] == {"role": "plaintiff", "kind": "person", "name": "张三",
                                     "id_number": "11010519491231002X", "phone": "13800138000"}
    assert payload["claims"] == [{"text": "判令被告归还借款5万元", "amount": "50000.00"}]


def test_idempotency_key_is_stable_per_conversation_and_content():
    payload = filing_payload(SLOTS, channel="rest", conversation_id="c1")
    assert idempotency_key("c1", payload) == idempotency_key("c1", dict(payload))
    assert idempotency_key("c1", payload) != idempotency_key("c2", payload)
    changed = filing_payload({**SLOTS, "amount": "80000.00"}, channel="rest", conversation_id="c1")
    assert idempotency_key("c1", payload) != idempotency_key("c1", changed)


def test_summary_masks_identity_numbers():
    text = filing_summary(SLOTS)
    assert "110***********002X" in text and "138****8000" in text
    assert "11010519491231002X" not in text and "13800138000" not in text
    assert "50,000.00元" in text


SEVERAL = {
    "case_type": "买卖合同纠纷", "court": "北京市海淀区人民法院", "court_code": "京0108",
    "plaintiffs": [{"role": "plaintiff", "kind": "person", "name": "张三", "id_number": "11010519491231002X",
                    "phone": "13800138000", "address": "北京市朝阳区建国路1号"}],
    "plaintiff_name": "北京甲贸易有限公司", "plaintiff_kind": "organisation", "plaintiff_representative": "王五，总经理",
    "plaintiff_phone": "13900139000", "plaintiff_address": "北京市海淀区中关村大街1号",
    "defendants": [{"role": "defendant", "kind": "person", "name": "李四", "address": "北京市海淀区学院路2号"}],
    "defendant_name": "赵六", "defendant_kind": "person", "defendant_address": "北京市海淀区学院路3号",
    "claims": [{"text": "判令被告支付货款8万元", "amount": "80000.00"}, {"text": "诉讼费由被告承担", "amount": None}],
    "amount": "80000.00", "evidence": [{"name": "买卖合同"}, {"name": "送货单"}],
    "facts": "2024年原告向被告供货，被告至今未付货款。", "mediation_consent": True,
    "e_service_consent": True, "e_service_address": "13900139000",
}


def test_several_parties_claims_and_evidence_reach_the_backend():
    payload = filing_payload(SEVERAL, channel="socketio", conversation_id="c9")
    assert [(p["role"], p["name"]) for p in payload["parties"]] == [
        ("plaintiff", "张三"), ("plaintiff", "北京甲贸易有限公司"), ("defendant", "李四"), ("defendant", "赵六")]
    company = payload["parties"][1]
    assert company["kind"] == "organisation" and company["legal_representative"] == "王五"
    assert company["representative_title"] == "总经理" and "id_number" not in company
    assert payload["claims"][1] == {"text": "诉讼费由被告承担", "amount": None}
    assert payload["evidence"] == [{"name": "买卖合同"}, {"name": "送货单"}]
    assert payload["mediation_consent"] is True and payload["e_service_address"] == "13900139000"


def test_a_non_property_case_sends_no_amount():
    payload = filing_payload({**SLOTS, "claims": [{"text": "判决离婚", "amount": None}], "amount": "无"},
                             channel="rest", conversation_id="c1")
    assert payload["amount"] is None and payload["claims"] == [{"text": "判决离婚", "amount": None}]


def test_summary_lists_every_party_claim_and_consent():
    text = filing_summary(SEVERAL)
    for expected in ("原告1：张三", "原告2：北京甲贸易有限公司（单位，法定代表人 王五 总经理", "被告2：赵六",
                     "1. 判令被告支付货款8万元", "2. 诉讼费由被告承担", "（各项请求金额合计）",
                     "证据：买卖合同、送货单", "诉前调解：同意", "电子送达：同意，送达至手机 139****9000"):
        assert expected in text, expected
    assert "13900139000" not in text


async def test_an_unanswered_submission_is_sent_again_with_the_same_key_and_files_once():
    """Backend cut off mid-answer, then a gateway error, then the answer: three tries, one key."""
    from aiohttp import web

    from bot.court_client import CourtClient
    from deploy.stack import free_port

    keys: list[str] = []

    async def filings(request: web.Request) -> web.StreamResponse:
        keys.append(request.headers["Idempotency-Key"])
        if len(keys) == 1:
            request.transport.close()  # the backend died before answering
            return web.Response()
        if len(keys) == 2:
            return web.json_response({"error": "bad_gateway"}, status=502)
        return web.json_response({"id": "LA20261207000001"}, status=201)

    app = web.Application()
    app.router.add_post("/api/v1/filings", filings)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    client, nowhere = CourtClient(f"http://127.0.0.1:{port}"), CourtClient("http://127.0.0.1:9", timeout=2)
    try:
        filing = await client.create_filing("token", {"a": 1}, "key-1", retry_delays=(0.01, 0.01, 0.01))
        refused_after = None
        try:
            await nowhere.create_filing("token", {}, "k", retry_delays=(0.01,))
        except Exception as err:  # nothing listens on port 9: given up after the retries
            refused_after = getattr(err, "status", None)
    finally:
        await client.close()
        await nowhere.close()
        await runner.cleanup()
    assert filing == {"id": "LA20261207000001"}
    assert keys == ["key-1"] * 3
    assert refused_after == 0
