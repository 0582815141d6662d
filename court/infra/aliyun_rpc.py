"""Aliyun's RPC-style API calls (短信 Dysmsapi, 号码百科 Dytnsapi…): common parameters, signature, POST.

The signature: the parameters sorted by name, each name and value percent-encoded (RFC 3986,
``~`` kept), joined with ``&``; the string to sign is ``POST&%2F&`` + that string percent-encoded
again; ``Signature`` = Base64(HMAC-SHA1(AccessKeySecret + "&", string)). Aliyun answers JSON with
``Code`` "OK" on success. Used by court/infra/sms_aliyun.py and court/infra/identity_aliyun.py;
the fakes in tests/fakes check requests with the same functions.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import uuid
from datetime import datetime, timezone
from typing import Any, Mapping, Optional
from urllib.parse import quote

import aiohttp


class AliyunError(Exception):
    """Aliyun could not be reached or refused (`code`: Aliyun's error code, None when unreachable)."""

    def __init__(self, message: str, code: Optional[str] = None) -> None:
        super().__init__(message)
        self.code = code


def config_from_env(env: Mapping[str, str], switch: str, names: Mapping[str, str], endpoint_name: str,
                    default_endpoint: str) -> Optional[dict[str, str]]:
    """An adapter's settings when `switch` (COURT_SMS_PROVIDER…) is "aliyun" and every variable of
    `names` (field → variable) is set; None otherwise. The endpoint defaults to Aliyun's."""
    if env.get(switch, "").strip().lower() != "aliyun":
        return None
    values = {field: env.get(name, "").strip() for field, name in names.items()}
    if not all(values.values()):
        return None
    return {**values, "endpoint": env.get(endpoint_name, "").strip() or default_endpoint}


def percent(value: str) -> str:
    """Aliyun's percent-encoding: RFC 3986 unreserved characters kept, everything else %XX (UTF-8)."""
    return quote(value, safe="~")


def string_to_sign(method: str, params: Mapping[str, str]) -> str:
    canonical = "&".join(f"{percent(k)}={percent(v)}" for k, v in sorted(params.items()))
    return f"{method}&{percent('/')}&{percent(canonical)}"


def signature(secret: str, method: str, params: Mapping[str, str]) -> str:
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(method, params).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signed_params(key_id: str, secret: str, action: str, version: str, params: Mapping[str, str],
                  at: Optional[datetime] = None, nonce: Optional[str] = None) -> dict[str, str]:
    """The form of one call: the common parameters, the action's own, and the signature."""
    stamp = (at or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    common = {"AccessKeyId": key_id, "Action": action, "Format": "JSON", "RegionId": "cn-hangzhou",
              "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce or uuid.uuid4().hex,
              "SignatureVersion": "1.0", "Timestamp": stamp, "Version": version}
    form = {**common, **params}
    return {**form, "Signature": signature(secret, "POST", form)}


async def call(endpoint: str, form: Mapping[str, str], timeout_s: float = 10.0) -> dict[str, Any]:
    """POST the signed form; Aliyun's JSON answer when its Code is OK, else :class:`AliyunError`."""
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout_s)) as http:
            async with http.post(endpoint, data=dict(form)) as resp:
                answer = await resp.json(content_type=None)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as err:
        raise AliyunError(f"{form.get('Action')} unreachable: {type(err).__name__}") from err
    if not isinstance(answer, dict) or answer.get("Code") != "OK":
        code = answer.get("Code") if isinstance(answer, dict) else None
        raise AliyunError(f"{form.get('Action')} refused: {code}", code)
    return answer
