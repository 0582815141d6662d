"""What WeChat's servers send to the webhook: signed query strings and message XML (plain or AES).

Shared by the unit tests and the end-to-end tests, so both speak to the channel exactly as
WeChat would — the encryption is wechatpy's own `WeChatCrypto.encrypt_message`.
"""
from __future__ import annotations

import base64
import hashlib
import itertools
import secrets
import time
from typing import Optional

from wechatpy.crypto import WeChatCrypto

ACCOUNT = "gh_0123456789ab"  # the Official Account's original ID (ToUserName)
_msg_ids = itertools.count(int(time.time() * 1000) * 1000)


def next_msg_id() -> int:
    return next(_msg_ids)


def new_aes_key() -> str:
    """A 43-character EncodingAESKey as the Official Account settings page makes one."""
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii").rstrip("=")


def new_openid() -> str:
    return "o" + secrets.token_hex(14)[:27]


def sign(token: str, timestamp: str, nonce: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode("utf-8")).hexdigest()


def signed_params(token: str, **extra: str) -> dict[str, str]:
    """timestamp, nonce and signature, freshly made for each request as WeChat does (retries too)."""
    timestamp, nonce = str(int(time.time())), secrets.token_hex(5)
    return {"signature": sign(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce, **extra}


def text_xml(openid: str, content: str, msg_id: Optional[int] = None, account: str = ACCOUNT) -> str:
    msg_id = next_msg_id() if msg_id is None else msg_id
    return (f"<xml><ToUserName><![CDATA[{account}]]></ToUserName>"
            f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>")


def event_xml(openid: str, event: str = "subscribe", create_time: Optional[int] = None,
              account: str = ACCOUNT) -> str:
    return (f"<xml><ToUserName><![CDATA[{account}]]></ToUserName>"
            f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{create_time or int(time.time())}</CreateTime>"
            f"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{event}]]></Event></xml>")


def image_xml(openid: str, account: str = ACCOUNT) -> str:
    return (f"<xml><ToUserName><![CDATA[{account}]]></ToUserName>"
            f"<FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[image]]></MsgType>"
            f"<PicUrl><![CDATA[http://127.0.0.1/p.jpg]]></PicUrl><MediaId><![CDATA[m1]]></MediaId>"
            f"<MsgId>{next_msg_id()}</MsgId></xml>")


def encrypted(token: str, aes_key: str, appid: str, xml: str) -> tuple[dict[str, str], str]:
    """Safe mode (安全模式): query parameters and body as WeChat posts them."""
    params = signed_params(token)
    envelope = WeChatCrypto(token, aes_key, appid).encrypt_message(xml, params["nonce"], params["timestamp"])
    field = lambda name: envelope.split(f"<{name}><![CDATA[")[1].split("]]>")[0]  # noqa: E731
    # WeChat posts the ciphertext beside ToUserName and puts its signature in the query string.
    body = f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><Encrypt><![CDATA[{field('Encrypt')}]]></Encrypt></xml>"
    return {**params, "encrypt_type": "aes", "msg_signature": field("MsgSignature")}, body
