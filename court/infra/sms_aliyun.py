"""A production SMS gateway: 阿里云短信服务 (Dysmsapi 2017-05-25) ``SendSms``, an RPC-style call
(court/infra/aliyun_rpc.py signs it) to ``https://dysmsapi.aliyuncs.com/``; Aliyun answers JSON
``{"Code": "OK", "BizId": …, "RequestId": …}``, any other ``Code`` is a failure.

Aliyun sends only approved templates: the wording lives in the template (``TemplateCode``, e.g.
"您的实名认证验证码为${code}，5分钟内有效…"), and only the code travels, as ``TemplateParam``
``{"code": "123456"}`` — taken from the text court/services/identity.py composes.

Configured from the environment (``COURT_SMS_PROVIDER=aliyun``): ``COURT_ALIYUN_SMS_ACCESS_KEY_ID``,
``COURT_ALIYUN_SMS_ACCESS_KEY_SECRET``, ``COURT_ALIYUN_SMS_SIGN_NAME``, ``COURT_ALIYUN_SMS_TEMPLATE``
and ``COURT_ALIYUN_SMS_ENDPOINT`` (default Aliyun's; a test points it at tests/fakes/aliyun.py).
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Mapping, Optional

from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.aliyun_rpc import AliyunError, call, config_from_env, signed_params
from court.infra.sms import SmsError

DEFAULT_ENDPOINT = "https://dysmsapi.aliyuncs.com/"
ENV = {"access_key_id": "COURT_ALIYUN_SMS_ACCESS_KEY_ID", "access_key_secret": "COURT_ALIYUN_SMS_ACCESS_KEY_SECRET",
       "sign_name": "COURT_ALIYUN_SMS_SIGN_NAME", "template_code": "COURT_ALIYUN_SMS_TEMPLATE"}
CODE_IN_TEXT = re.compile(r"验证码为(\d{6})")


@dataclass(frozen=True)
class AliyunSmsGateway:
    access_key_id: str
    access_key_secret: str
    sign_name: str
    template_code: str
    endpoint: str = DEFAULT_ENDPOINT

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Optional["AliyunSmsGateway"]:
        """The gateway when COURT_SMS_PROVIDER=aliyun and every value is set; None otherwise."""
        config = config_from_env(env, "COURT_SMS_PROVIDER", ENV, "COURT_ALIYUN_SMS_ENDPOINT", DEFAULT_ENDPOINT)
        return cls(**config) if config else None

    def request_form(self, phone: str, code: str, at: Optional[datetime] = None) -> dict[str, str]:
        return signed_params(self.access_key_id, self.access_key_secret, "SendSms", "2017-05-25", {
            "PhoneNumbers": phone, "SignName": self.sign_name, "TemplateCode": self.template_code,
            "TemplateParam": json.dumps({"code": code})}, at)

    async def send(self, session: AsyncSession, phone: str, text: str) -> None:
        found = CODE_IN_TEXT.search(text)
        if found is None:
            raise SmsError("only verification codes are sent through the SendSms template")
        try:
            await call(self.endpoint, self.request_form(phone, found.group(1)))
        except AliyunError as err:
            raise SmsError(str(err)) from err
