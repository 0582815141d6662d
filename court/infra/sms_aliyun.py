"""A production SMS gateway: 阿里云短信服务 (Dysmsapi 2017-05-25) ``SendSms``, RPC style.

The request is a form POST to the endpoint (``https://dysmsapi.aliyuncs.com/``) with the common
parameters and a signature: the parameters sorted by name, each name and value percent-encoded
(RFC 3986, ``~`` kept), joined with ``&``; the string to sign is ``POST&%2F&`` + that string
percent-encoded again; ``Signature`` = Base64(HMAC-SHA1(AccessKeySecret + "&", string)).
Aliyun answers JSON ``{"Code": "OK", "BizId": …, "RequestId": …}``; any other ``Code`` is a failure.

Aliyun sends only approved templates: the wording lives in the template (``TemplateCode``, e.g.
"您的实名认证验证码为${code}，5分钟内有效…"), and only the code travels, as ``TemplateParam``
``{"code": "123456"}`` — taken from the text court/services/identity.py composes.

Configured from the environment (``COURT_SMS_PROVIDER=aliyun``): ``COURT_ALIYUN_SMS_ACCESS_KEY_ID``,
``COURT_ALIYUN_SMS_ACCESS_KEY_SECRET``, ``COURT_ALIYUN_SMS_SIGN_NAME``, ``COURT_ALIYUN_SMS_TEMPLATE``
and ``COURT_ALIYUN_SMS_ENDPOINT`` (default Aliyun's; a test points it at tests/fakes/aliyun_sms.py).
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Mapping, Optional
from urllib.parse import quote

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.sms import SmsError

DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com/"
ENV = {"access_key_id": "COURT_ALIYUN_SMS_ACCESS_KEY_ID", "access_key_secret": "COURT_ALIYUN_SMS_ACCESS_KEY_SECRET",
       "sign_name": "COURT_ALIYUN_SMS_SIGN_NAME", "template_code": "COURT_ALIYUN_SMS_TEMPLATE"}
CODE_IN_TEXT = re.compile(r"验证码为(\d{6})")


def percent(value: str) -> str:
    """Aliyun's percent-encoding: RFC 3986 unreserved characters kept, everything else %XX (UTF-8)."""
    return quote(value, safe="~")


def string_to_sign(method: str, params: Mapping[str, str]) -> str:
    canonical = "&".join(f"{percent(k)}={percent(v)}" for k, v in sorted(params.items()))
    return f"{method}&{percent('/')}&{percent(canonical)}"


def signature(secret: str, method: str, params: Mapping[str, str]) -> str:
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(method, params).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


@dataclass(frozen=True)
class AliyunSmsGateway:
    access_key_id: str
    access_key_secret: str
    sign_name: str
    template_code: str
    endpoint: str = DEFAULT_ENDPOINT
    timeout_s: float = 10.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Optional["AliyunSmsGateway"]:
        """The gateway when COURT_SMS_PROVIDER=aliyun and every value is set; None otherwise."""
        if env.get("COURT_SMS_PROVIDER", "").strip().lower() != "aliyun":
            return None
        values = {field: env.get(name, "").strip() for field, name in ENV.items()}
        if not all(values.values()):
            return None
        return cls(**values, endpoint=env.get("COURT_ALIYUN_SMS_ENDPOINT", "").strip() or DEFAULT_ENDPOINT)

    def request_params(self, phone: str, code: str, at: datetime, nonce: str) -> dict[str, str]:
        params = {
            "AccessKeyId": self.access_key_id, "Action": "SendSms", "Format": "JSON", "RegionId": "cn-hangzhou",
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce, "SignatureVersion": "1.0",
            "Timestamp": at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": "2017-05-25",
            "PhoneNumbers": phone, "SignName": self.sign_name, "TemplateCode": self.template_code,
            "TemplateParam": json.dumps({"code": code}),
        }
        return {**params, "Signature": signature(self.access_key_secret, "POST", params)}

    async def send(self, session: AsyncSession, phone: str, text: str) -> None:
        found = CODE_IN_TEXT.search(text)
        if found is None:
            raise SmsError("only verification codes are sent through the SendSms template")
        params = self.request_params(phone, found.group(1), datetime.now(timezone.utc), uuid.uuid4().hex)
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout_s)) as http:
                async with http.post(self.endpoint, data=params) as resp:
                    answer = await resp.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as err:
            raise SmsError(f"Aliyun SendSms unreachable: {type(err).__name__}") from err
        if not isinstance(answer, dict) or answer.get("Code") != "OK":
            code = answer.get("Code") if isinstance(answer, dict) else None
            raise SmsError(f"Aliyun SendSms refused: {code}")
