"""A fake 阿里云短信 SendSms endpoint (Dysmsapi 2017-05-25, RPC style) for tests and the production
profile: checks the common parameters and the HMAC-SHA1 signature exactly as Aliyun does, answers
Aliyun's JSON, and keeps what it "sent" (`messages`: phone, sign name, template, parameters).

    python -m tests.fakes.aliyun_sms --port N --key-id ID --key-secret SECRET
"""
from __future__ import annotations

import argparse
import hmac
import json
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from aiohttp import web

from court.infra.sms_aliyun import signature

REQUIRED = ("AccessKeyId", "Action", "Format", "SignatureMethod", "SignatureNonce", "SignatureVersion",
            "Timestamp", "Version", "PhoneNumbers", "SignName", "TemplateCode", "Signature")


class FakeAliyunSms:
    def __init__(self, key_id: str, key_secret: str) -> None:
        self.key_id, self.key_secret = key_id, key_secret
        self.messages: list[dict[str, Any]] = []
        self.nonces: set[str] = set()
        self.fail_with: str | None = None  # e.g. "isv.BUSINESS_LIMIT_CONTROL"

    def _error(self, code: str, status: int = 400) -> web.Response:
        return web.json_response({"Code": code, "Message": code, "RequestId": uuid.uuid4().hex}, status=status)

    async def handle(self, request: web.Request) -> web.Response:
        form = dict(await request.post()) if request.method == "POST" else dict(request.query)
        params = {k: str(v) for k, v in form.items()}
        if any(not params.get(name) for name in REQUIRED):
            return self._error("MissingParameter")
        if params["AccessKeyId"] != self.key_id:
            return self._error("InvalidAccessKeyId.NotFound", 404)
        given = params.pop("Signature")
        if not hmac.compare_digest(given, signature(self.key_secret, request.method, params)):
            return self._error("SignatureDoesNotMatch")
        stamp = datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        if abs(datetime.now(timezone.utc) - stamp) > timedelta(minutes=15):
            return self._error("InvalidTimeStamp.Expired")
        if params["SignatureNonce"] in self.nonces:
            return self._error("SignatureNonceUsed")
        self.nonces.add(params["SignatureNonce"])
        if params["Action"] != "SendSms" or params["Version"] != "2017-05-25":
            return self._error("InvalidAction.NotFound", 404)
        if self.fail_with:
            return web.json_response({"Code": self.fail_with, "Message": "fake refusal", "RequestId": uuid.uuid4().hex})
        self.messages.append({"phone": params["PhoneNumbers"], "sign_name": params["SignName"],
                              "template": params["TemplateCode"],
                              "params": json.loads(params.get("TemplateParam") or "{}")})
        return web.json_response({"Code": "OK", "Message": "OK", "BizId": uuid.uuid4().hex[:20],
                                  "RequestId": uuid.uuid4().hex})

    async def sent(self, _request: web.Request) -> web.Response:
        """GET /_sent: what was sent (for a test harness in another process)."""
        return web.json_response(self.messages)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/", self.handle)
        app.router.add_get("/_sent", self.sent)
        return app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fakes.aliyun_sms")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key-id", required=True)
    parser.add_argument("--key-secret", required=True)
    args = parser.parse_args()
    web.run_app(FakeAliyunSms(args.key_id, args.key_secret).app(), host="127.0.0.1", port=args.port, print=None)


if __name__ == "__main__":
    main()
