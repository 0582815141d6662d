"""The production profile runs the backend as production does — COURT_DEV_MODE=0, no development
gateway, strong secrets — with SMS, identity and payments through the providers' real protocols
(loopback fakes here: tests/fakes/aliyun.py, tests/fakes/wechatpay.py, started by the profile).

What could fail: a profile that still set COURT_DEV_MODE=1 would serve /dev/pay and write codes to
the outbox; a backend that kept the dev payment provider would answer a pay_url on /dev/pay and
never place the order with WeChat Pay; a notification answered twice would pay twice.
"""
from __future__ import annotations

import os
import subprocess

import pytest
import requests

from bench.turns import identity
from deploy.profiles import ProductionStack
from deploy.stack import COURT_PYTHON, ROOT, free_port
from prodkit import Chat, sent_codes, staff_token

pytestmark = pytest.mark.e2e


def api(prod: ProductionStack, method: str, path: str, token: str | None = None, **kw) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.request(method, f"{prod.backend_url}/api/v1{path}", headers=headers, timeout=30, **kw)


def test_the_backend_runs_without_a_development_gateway(prod: ProductionStack) -> None:
    env = prod.backend_env()
    assert env["COURT_DEV_MODE"] == "0" and len(env["COURT_SECRET_KEY"]) >= 32 and len(env["COURT_BOT_KEY"]) >= 32
    assert (env["COURT_SMS_PROVIDER"], env["COURT_IDENTITY_PROVIDER"], env["COURT_PAYMENT_PROVIDER"]) == (
        "aliyun", "aliyun", "wechatpay")
    for method in ("GET", "POST"):
        assert requests.request(method, f"{prod.backend_url}/dev/pay/PAY20260101000000ABCDEF01",
                                timeout=10).status_code == 404
    assert "DEVELOPMENT MODE" not in prod.tail("backend", 10_000)

    id_number, phone = identity()
    resp = api(prod, "POST", "/identity/verify", json={"name": "王小明", "id_number": id_number, "phone": phone})
    assert resp.status_code == 202, resp.text
    (code,) = sent_codes(prod, phone)  # through the operator's SendSms...
    assert not Chat(prod).db("SELECT count(*) FROM sms_outbox WHERE phone = ?", phone)[0][0]  # ...not the outbox
    assert code not in prod.tail("backend", 10_000)


@pytest.mark.parametrize("change, named", [
    ({"COURT_DEV_MODE": "0", "COURT_PAYMENT_PROVIDER": "dev"}, "COURT_PAYMENT_PROVIDER=wechatpay"),
    ({"COURT_SECRET_KEY": "changeme"}, "COURT_SECRET_KEY"),
    ({"COURT_WECHATPAY_APIV3_KEY": ""}, "COURT_WECHATPAY_APIV3_KEY"),
    ({"COURT_SMS_PROVIDER": ""}, "SMS gateway"),
])
def test_the_profiles_backend_with_one_piece_unsafe_exits_naming_it(prod: ProductionStack, change, named) -> None:
    """The profile's own environment, one thing made unsafe: `court serve` refuses with status 2 and names
    only that (court/infra/profile.py's own tests cover each check; this is the profile's wiring)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURT_")}
    env.update({**prod.backend_env(), **change, "PYTHONPATH": str(ROOT)})
    done = subprocess.run([str(COURT_PYTHON), "-m", "court", "serve", "--port", str(free_port())], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr[-2000:]
    refusal = done.stderr.split("; fix: ", 1)[1]
    assert named in refusal and refusal.count("; ") == 0, refusal  # exactly one piece missing


def test_a_fee_is_paid_through_wechat_pay_once(prod: ProductionStack, admin_token: str) -> None:
    id_number, phone = identity()
    verify = api(prod, "POST", "/identity/verify", json={"name": "王小明", "id_number": id_number, "phone": phone})
    assert verify.status_code == 202, verify.text
    confirm = api(prod, "POST", "/identity/confirm", json={"challenge_id": verify.json()["challenge_id"],
                                                           "code": sent_codes(prod, phone)[-1]})
    assert confirm.status_code == 200, confirm.text
    litigant = confirm.json()["token"]
    filing = api(prod, "POST", "/filings", litigant, json={
        "case_type": "民间借贷纠纷", "court_code": "京0105",
        "parties": [{"role": "plaintiff", "kind": "person", "name": "王小明", "id_number": id_number, "phone": phone},
                    {"role": "defendant", "kind": "organisation", "name": "北京某某科技有限公司",
                     "legal_representative": "李四"}],
        "claims": [{"text": "判令被告归还借款5万元", "amount": "50000"}],
        "facts": "2023年3月被告向原告借款5万元，约定半年归还，至今未还。"})
    assert filing.status_code == 201, filing.text
    clerk = staff_token(prod, f"clerk{id_number[-6:]}", "书记员", "clerk", "Clerk-pass-2026", court="京0105")
    accepted = api(prod, "POST", f"/staff/filings/{filing.json()['id']}/review", clerk, json={"decision": "accept"})
    assert accepted.status_code == 200, accepted.text
    (notice,) = accepted.json()["case"]["fee_notices"]

    order = api(prod, "POST", "/payments", litigant, json={"fee_notice_id": notice["id"]})
    assert order.status_code == 201, order.text
    order = order.json()
    assert order["provider"] == "wechatpay" and order["pay_url"].startswith("weixin://wxpay/bizpayurl?pr=")
    assert order["amount"] == notice["amount"] == "1050.00"

    paid = requests.post(f"{prod.fakes.wechatpay_url}/_pay/{order['order_no']}", timeout=60).json()
    assert paid == {"status": 200, "body": {"code": "SUCCESS", "message": "成功"}}
    assert api(prod, "GET", f"/payments/{order['order_no']}", litigant).json()["status"] == "paid"

    # WeChat Pay retries a notification it thinks was lost: the very same one again changes nothing.
    sent = requests.get(f"{prod.fakes.wechatpay_url}/_notifications", timeout=10).json()[-1]
    again = requests.post(f"{prod.backend_url}/api/v1/payments/notify", data=sent["sent"].encode(),
                          headers=sent["headers"], timeout=30)
    assert again.status_code == 200 and again.json()["code"] == "SUCCESS"
    chat = Chat(prod)
    assert chat.db("SELECT status FROM payments WHERE order_no = ?", order["order_no"]) == [("paid",)]
    assert chat.db("SELECT count(*) FROM events WHERE action = 'fee_paid' AND CAST(detail AS TEXT) LIKE ?",
                   f"%{order['order_no']}%") == [(1,)]
