"""A production identity provider: 阿里云号码百科 (Dytnsapi 2020-02-17) ``ThreeElementsVerification``,
运营商三要素核验 — the carrier says whether the name and ID number are the subscriber's of the mobile.

An RPC-style call (court/infra/aliyun_rpc.py) with ``AuthCode`` (the authorisation code Aliyun
issues for the approved use), ``InputNumber`` (the mobile), ``CertCode`` (the ID number), ``Name``
and ``Mask`` NORMAL; the answer's ``Data.IsConsistent`` is 1 when the three belong together
(0: they do not; 2: the carrier has no record). Aliyun's ``RequestId`` is kept as the reference.

Configured from the environment (``COURT_IDENTITY_PROVIDER=aliyun``): ``COURT_ALIYUN_ID_ACCESS_KEY_ID``,
``COURT_ALIYUN_ID_ACCESS_KEY_SECRET``, ``COURT_ALIYUN_ID_AUTH_CODE`` and ``COURT_ALIYUN_ID_ENDPOINT``
(default Aliyun's; a test points it at tests/fakes/aliyun.py).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Mapping, Optional

from court.infra.aliyun_rpc import AliyunError, call, config_from_env, signed_params
from court.infra.identity_provider import ProviderUnavailable

DEFAULT_ENDPOINT = "https://dytnsapi.aliyuncs.com/"
ENV = {"access_key_id": "COURT_ALIYUN_ID_ACCESS_KEY_ID", "access_key_secret": "COURT_ALIYUN_ID_ACCESS_KEY_SECRET",
       "auth_code": "COURT_ALIYUN_ID_AUTH_CODE"}


@dataclass(frozen=True)
class AliyunThreeElements:
    access_key_id: str
    access_key_secret: str
    auth_code: str
    endpoint: str = DEFAULT_ENDPOINT

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Optional["AliyunThreeElements"]:
        """The provider when COURT_IDENTITY_PROVIDER=aliyun and every value is set; None otherwise."""
        config = config_from_env(env, "COURT_IDENTITY_PROVIDER", ENV, "COURT_ALIYUN_ID_ENDPOINT", DEFAULT_ENDPOINT)
        return cls(**config) if config else None

    async def confirm(self, name: str, id_number: str, phone: str) -> Optional[str]:
        form = signed_params(self.access_key_id, self.access_key_secret, "ThreeElementsVerification", "2020-02-17",
                             {"AuthCode": self.auth_code, "InputNumber": phone, "CertCode": id_number,
                              "Name": name, "Mask": "NORMAL"})
        try:
            answer = await call(self.endpoint, form)
        except AliyunError as err:
            raise ProviderUnavailable(str(err)) from err
        data = answer.get("Data")
        consistent = isinstance(data, dict) and str(data.get("IsConsistent")) == "1"
        return f"aliyun:{answer.get('RequestId', '')}"[:64] if consistent else None
