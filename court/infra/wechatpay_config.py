"""Where the WeChat Pay APIv3 provider's settings come from, and what production still lacks of them.

In infra (not beside the provider in court/services/payments/wechatpay.py) so that
court/infra/profile.py can name a missing piece before anything serves. Every variable of
:data:`ENV` is needed with ``COURT_PAYMENT_PROVIDER=wechatpay``; ``COURT_WECHATPAY_API_BASE``
defaults to WeChat Pay's own host (the production profile points it at tests/fakes/wechatpay.py).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

from court.infra.config import Settings

NAME = "wechatpay"
API_BASE = "https://api.mch.weixin.qq.com"
API_BASE_ENV = "COURT_WECHATPAY_API_BASE"
# Field → environment variable.
ENV = {
    "mchid": "COURT_WECHATPAY_MCHID",  # 商户号
    "appid": "COURT_WECHATPAY_APPID",  # the AppID bound to the merchant (公众号/小程序/移动应用)
    "merchant_serial": "COURT_WECHATPAY_MERCHANT_SERIAL",  # 商户API证书序列号 (serial_no of Authorization)
    "private_key_path": "COURT_WECHATPAY_PRIVATE_KEY",  # apiclient_key.pem: the merchant's RSA 2048 key
    "platform_key_path": "COURT_WECHATPAY_PLATFORM_PUBLIC_KEY",  # 微信支付公钥 pub_key.pem
    "platform_key_id": "COURT_WECHATPAY_PLATFORM_PUBLIC_KEY_ID",  # PUB_KEY_ID_…, sent as Wechatpay-Serial
    "apiv3_key": "COURT_WECHATPAY_APIV3_KEY",  # APIv3密钥: 32 ASCII characters
    "notify_url": "COURT_WECHATPAY_NOTIFY_URL",  # https://<court>/api/v1/payments/notify, reachable by WeChat
}


@dataclass(frozen=True)
class WeChatPayConfig:
    mchid: str
    appid: str
    merchant_serial: str
    private_key_path: str
    platform_key_path: str
    platform_key_id: str
    apiv3_key: str
    notify_url: str
    api_base: str = API_BASE

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Optional["WeChatPayConfig"]:
        """The configuration when every variable of :data:`ENV` is set; None otherwise."""
        if missing_env(env):
            return None
        values = {field: env[name].strip() for field, name in ENV.items()}
        return cls(**values, api_base=(env.get(API_BASE_ENV, "").strip() or API_BASE).rstrip("/"))


def missing_env(env: Mapping[str, str] = os.environ) -> list[str]:
    """The variables of :data:`ENV` that are unset or blank."""
    return [name for name in ENV.values() if not env.get(name, "").strip()]


def payment_gaps(settings: Settings, env: Mapping[str, str] = os.environ) -> list[str]:
    """What the payment configuration lacks for production, each named by its variable."""
    if settings.extra.get("payment_provider") is not None:  # a test's provider object
        return []
    if settings.payment_provider != NAME:
        return [f"a real payment provider (COURT_PAYMENT_PROVIDER=wechatpay with COURT_WECHATPAY_*, not "
                f"{settings.payment_provider!r}): the development provider — the HMAC secret "
                "COURT_PAYMENT_DEV_SECRET and the page /dev/pay/{order_no} — only runs with COURT_DEV_MODE=1"]
    gaps = [f"{name} (COURT_PAYMENT_PROVIDER=wechatpay)" for name in missing_env(env)]
    for name in (ENV["private_key_path"], ENV["platform_key_path"]):
        path = env.get(name, "").strip()
        if path and not Path(path).is_file():
            gaps.append(f"{name}: no such file {path}")
    key = env.get(ENV["apiv3_key"], "").strip()
    if key and (len(key) != 32 or not key.isascii()):
        gaps.append(f"{ENV['apiv3_key']} must be the 32-character APIv3 key")
    return gaps
