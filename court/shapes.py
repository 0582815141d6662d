"""The shape of a party, declared once (民事诉讼法 (2023) art. 124(一)(二): who the parties are —
name, sex, date of birth, 民族, 职业/工作单位, 住所 and contact for a person; name, address and legal
representative (or 主要负责人) with title for an organisation; their 法定代理人 and 委托诉讼代理人).

Everything else is derived from :data:`PARTY`: the request's and the complaint's dataclasses
(court/services/filing_input.py ``PartyInput``, court/services/complaint.py ``PartyData``), the
keys of a party in the filing's JSON (court/services/filings.py), the party columns of the
PostgreSQL insert, the keys the Rasa side sends back on resubmission
(forms/correction_items.py), and the tests that hold the model's columns and the OpenAPI
document to it. Adding a field means: a line here, its column in court/infra/models.py with a
migration, and its place in the forms.

Standard library only, and Python 3.10: the Rasa action server imports it too, like court.rules.
"""
from __future__ import annotations

from dataclasses import dataclass, field, make_dataclass
from typing import Optional


@dataclass(frozen=True)
class PartyField:
    name: str
    required: bool = False  # every party has it (role, kind, name)
    accepted: bool = True  # the litigant sends it; False: derived from the ID number (sex, birth date)


PARTY: tuple[PartyField, ...] = (
    PartyField("role", required=True),  # plaintiff | defendant | third_party
    PartyField("kind", required=True),  # person | organisation
    PartyField("name", required=True),
    PartyField("id_number"),
    PartyField("phone"),
    PartyField("sex", accepted=False),
    PartyField("birth_date", accepted=False),  # ISO date
    PartyField("address"),
    PartyField("legal_representative"),
    PartyField("representative_title"),
    # 2016 最高人民法院《民事诉讼文书样式》民事起诉状: a person's 民族 and 职业/工作单位; an organisation's
    # form (``other``: 其他组织, which names its 主要负责人 instead of a 法定代表人, 民诉法解释第五十二条)
    PartyField("ethnicity"),
    PartyField("occupation"),
    PartyField("org_form"),  # legal_person (default) | other
    # 法定代理人 (民事诉讼法 art. 60: the guardian of a minor or of a person without capacity) and
    # 委托诉讼代理人 (art. 61), each with a line saying who they are (e.g. 父亲; 某律师事务所律师)
    PartyField("legal_agent"),
    PartyField("legal_agent_relation"),
    PartyField("agent"),
    PartyField("agent_detail"),
)

#: 其他组织 (民诉法解释第五十二条) name a 主要负责人 where a 法人 names its 法定代表人 (art. 124(二)).
ORG_FORMS: tuple[str, ...] = ("legal_person", "other")

#: A party's keys in the filing's JSON, in this order.
PARTY_KEYS: tuple[str, ...] = tuple(f.name for f in PARTY)
#: What a request may send for a party (creation and resubmission).
PARTY_INPUT_KEYS: tuple[str, ...] = tuple(f.name for f in PARTY if f.accepted)


def party_class(name: str, module: str, *, frozen: bool = False) -> type:
    """A dataclass with one attribute per declared field (text; optional ones default to None)."""
    fields = [(f.name, str) if f.required else (f.name, Optional[str], field(default=None)) for f in PARTY]
    cls = make_dataclass(name, fields, frozen=frozen)
    cls.__module__ = module  # where it is named, for repr and pickling (make_dataclass's module= is 3.12+)
    return cls
