"""A fake Aliyun RPC endpoint on loopback for tests and the production profile: checks the common
parameters, the HMAC-SHA1 signature, the timestamp window and the nonce exactly as Aliyun does
(court/infra/aliyun_rpc.py), then answers two actions the way Aliyun documents them:

* ``SendSms`` (短信服务 Dysmsapi 2017-05-25): keeps what it "sent" in ``messages`` (phone, sign
  name, template, parameters) — where a test reads the code a litigant would receive;
* ``ThreeElementsVerification`` (号码百科 Dytnsapi 2020-02-17, 运营商三要素核验): answers
  ``Data.IsConsistent`` 1 when (Name, CertCode, InputNumber) is in ``registry``, else 0.

    python -m tests.fakes.aliyun --port N --key-id ID --key-secret SECRET [--registry people.json]
"""
from __future__ import annotations

import argparse
import hmac
import json
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Optional

from aiohttp import web

from court.infra.aliyun_rpc import signature

COMMON = ("AccessKeyId", "Action", "Format", "SignatureMethod", "SignatureNonce", "SignatureVersion",
          "Timestamp", "Version", "Signature")
ACTIONS = {"SendSms": ("2017-05-25", ("PhoneNumbers", "SignName", "TemplateCode")),
           "ThreeElementsVerification": ("2020-02-17", ("AuthCode", "InputNumber", "CertCode", "Name"))}


class FakeAliyun:
    def __init__(self, key_id: str, key_secret: str, registry: Optional[set[tuple[str, str, str]]] = None) -> None:
        self.key_id, self.key_secret = key_id, key_secret
        self.messages: list[dict[str, Any]] = []
        self.registry = registry or set()  # (name, id_number, phone) that belong together
        self.nonces: set[str] = set()
        self.fail_with: Optional[str] = None  # e.g. "isv.BUSINESS_LIMIT_CONTROL"

    @staticmethod
    def _answer(code: str, status: int = 200, **extra: Any) -> web.Response:
        return web.json_response({"Code": code, "Message": code, "RequestId": uuid.uuid4().hex, **extra},
                                 status=status)

    def _refusal(self, method: str, params: dict[str, str]) -> Optional[web.Response]:
        if any(not params.get(name) for name in COMMON):
            return self._answer("MissingParameter", 400)
        if params["AccessKeyId"] != self.key_id:
            return self._answer("InvalidAccessKeyId.NotFound", 404)
        given = params.pop("Signature")
        if not hmac.compare_digest(given, signature(self.key_secret, method, params)):
            return self._answer("SignatureDoesNotMatch", 400)
        stamp = datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        if abs(datetime.now(timezone.utc) - stamp) > timedelta(minutes=15):
            return self._answer("InvalidTimeStamp.Expired", 400)
        if params["SignatureNonce"] in self.nonces:
            return self._answer("SignatureNonceUsed", 400)
        self.nonces.add(params["SignatureNonce"])
        version, required = ACTIONS.get(params["Action"], (None, ()))
        if version is None or params["Version"] != version:
            return self._answer("InvalidAction.NotFound", 404)
        if any(not params.get(name) for name in required):
            return self._answer("MissingParameter", 400)
        if self.fail_with:
            return self._answer(self.fail_with)
        return None

    async def handle(self, request: web.Request) -> web.Response:
        form = await request.post() if request.method == "POST" else request.query
        params = {k: str(v) for k, v in form.items()}
        refusal = self._refusal(request.method, params)
        if refusal is not None:
            return refusal
        if params["Action"] == "SendSms":
            self.messages.append({"phone": params["PhoneNumbers"], "sign_name": params["SignName"],
                                  "template": params["TemplateCode"],
                                  "params": json.loads(params.get("TemplateParam") or "{}")})
            return self._answer("OK", BizId=uuid.uuid4().hex[:20])
        consistent = (params["Name"], params["CertCode"], params["InputNumber"]) in self.registry
        return self._answer("OK", Data={"IsConsistent": 1 if consistent else 0, "BasicCarrier": "中国移动"})

    async def sent(self, _request: web.Request) -> web.Response:
        """GET /_sent: the messages, for a harness in another process."""
        return web.json_response(self.messages)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/", self.handle)
        app.router.add_get("/_sent", self.sent)
        return app


def load_registry(path: Path) -> set[tuple[str, str, str]]:
    """The development registry's shape (court/data/identity_registry.json)."""
    people = json.loads(path.read_text(encoding="utf-8"))["people"]
    return {(p["name"], p["id_number"], p["phone"]) for p in people}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fakes.aliyun")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key-id", required=True)
    parser.add_argument("--key-secret", required=True)
    parser.add_argument("--registry", type=Path, default=None)
    args = parser.parse_args()
    registry = load_registry(args.registry) if args.registry else set()
    web.run_app(FakeAliyun(args.key_id, args.key_secret, registry).app(), host="127.0.0.1", port=args.port,
                print=None)


if __name__ == "__main__":
    main()
