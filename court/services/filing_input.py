"""Check a submitted filing (ReviewFiling) before anything is written.

Pure: a JSON object in, a `FilingInput` out, or a domain error naming the field and saying in
Chinese what is wrong. The contents follow 民事诉讼法 (2023) art. 124 (起诉状应当记明的事项).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Optional

from court.rules import courts as court_data
from court.rules.idcard import IdNumberError, validate_id_number
from court.rules.phone import PhoneError, normalize_phone
from court.services.fee_relief import parse_relief_request
from court.services.errors import InvalidField, InvalidRequest, reject_unknown_fields
from court.shapes import ORG_FORMS, PARTY_INPUT_KEYS, party_class

MAX_AMOUNT = Decimal("1000000000000")  # 1 万亿元: anything above is a typing mistake, not a claim
ROLES = {"plaintiff", "defendant", "third_party"}
KINDS = {"person", "organisation"}
TOP_FIELDS = {
    "case_type", "court_code", "parties", "claims", "amount", "facts", "mediation_consent",
    "e_service_consent", "e_service_address", "channel", "conversation_id", "evidence", "witnesses",
    "fee_relief",
}
PARTY_FIELDS = set(PARTY_INPUT_KEYS)
CLAIM_FIELDS = {"text", "amount"}
EVIDENCE_FIELDS = ("name", "source", "purpose")
EVIDENCE_MAX = 50


#: One party as the request gives it, checked (sex and birth date filled in from the ID number).
PartyInput = party_class("PartyInput", __name__)


@dataclass
class ClaimInput:
    text: str
    amount: Optional[Decimal] = None


@dataclass
class FilingInput:
    case_type: str
    court_code: str
    court_name: str
    facts: str
    parties: list[PartyInput]
    claims: list[ClaimInput]
    amount: Optional[Decimal]
    mediation_consent: Optional[bool] = None
    e_service_consent: Optional[bool] = None
    e_service_address: Optional[str] = None
    channel: Optional[str] = None
    conversation_id: Optional[str] = None
    # 证据和证据来源 (民事诉讼法 art. 124(四)): [{"name", "source", "purpose"}], stored as given.
    evidence: list[dict[str, Optional[str]]] = field(default_factory=list)
    # 证人姓名和住所 (art. 124(四)): [{"name", "address"}]
    witnesses: list[dict[str, Optional[str]]] = field(default_factory=list)
    # 司法救助 applied for with the filing (《诉讼费用交纳办法》第四十八条), court/services/fee_relief.py
    fee_relief: Optional[dict[str, Any]] = None
    extra: dict[str, Any] = field(default_factory=dict)


def request_hash(body: dict[str, Any]) -> str:
    """A stable digest of a request, to tell a true retry from a different filing under the same key."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _text(obj: dict[str, Any], key: str, label: str, where: str, *, required: bool = True,
          max_len: int = 200) -> Optional[str]:
    value = obj.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidField("missing_field", f"请填写{label}。", where + key)
        return None
    if not isinstance(value, str):
        raise InvalidField("wrong_type", f"{label}应为文字。", where + key)
    value = value.strip()
    if len(value) > max_len:
        raise InvalidField("too_long", f"{label}过长，请控制在{max_len}字以内。", where + key)
    return value


def _bool(obj: dict[str, Any], key: str, label: str) -> Optional[bool]:
    value = obj.get(key)
    if value is not None and not isinstance(value, bool):
        raise InvalidField("wrong_type", f"{label}应为“是”或“否”。", key)
    return value


def parse_amount(value: Any, where: str) -> Optional[Decimal]:
    """A money amount as a decimal string (or integer); floats are refused to avoid binary rounding."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidField("wrong_type", "金额请以字符串形式提交，例如 \"50000.00\"。", where)
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidField("invalid_amount", "金额格式不正确。", where) from None
    if not amount.is_finite() or amount <= 0:
        raise InvalidField("invalid_amount", "金额应大于零。", where)
    if amount > MAX_AMOUNT:
        raise InvalidField("invalid_amount", "金额过大，请核对后再提交。", where)
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidField("invalid_amount", "金额最多保留两位小数（精确到分）。", where)
    return amount.quantize(Decimal("0.01"))


def _party(raw: Any, i: int) -> PartyInput:
    where = f"parties[{i}]."
    if not isinstance(raw, dict):
        raise InvalidField("wrong_type", "当事人信息格式不正确。", f"parties[{i}]")
    reject_unknown_fields(raw, PARTY_FIELDS, where=where)
    role = raw.get("role")
    if not isinstance(role, str) or role not in ROLES:  # a JSON object or list is not hashable
        raise InvalidField("invalid_role", "当事人身份应为原告、被告或第三人。", where + "role")
    kind = raw.get("kind", "person")
    if not isinstance(kind, str) or kind not in KINDS:
        raise InvalidField("invalid_kind", "当事人类型应为自然人或单位。", where + "kind")
    party = PartyInput(role=role, kind=kind, name=_text(raw, "name", "当事人姓名或名称", where, max_len=100))  # type: ignore[arg-type]
    party.address = _text(raw, "address", "住所地", where, required=False)
    if kind == "organisation":
        org_form = raw.get("org_form") or "legal_person"
        if org_form not in ORG_FORMS:
            raise InvalidField("invalid_org_form", "单位类型应为法人（legal_person）或其他组织（other）。", where + "org_form")
        head = "法定代表人" if org_form == "legal_person" else "主要负责人"  # 民诉法解释第五十二条
        party.org_form = org_form
        party.legal_representative = _text(raw, "legal_representative", head, where, required=role == "plaintiff", max_len=50)
        party.representative_title = _text(raw, "representative_title", f"{head}职务", where, required=False, max_len=50)
    else:
        party.ethnicity = _ethnicity(raw, where)
        party.occupation = _text(raw, "occupation", "职业或工作单位", where, required=False, max_len=100)
        party.legal_agent = _text(raw, "legal_agent", "法定代理人", where, required=False, max_len=50)
        party.legal_agent_relation = _text(raw, "legal_agent_relation", "法定代理人与当事人的关系", where,
                                           required=False, max_len=20)
        if party.legal_agent_relation and not party.legal_agent:
            raise InvalidField("missing_field", "请填写法定代理人的姓名。", where + "legal_agent")
    party.agent = _text(raw, "agent", "委托诉讼代理人", where, required=False, max_len=50)
    party.agent_detail = _text(raw, "agent_detail", "委托诉讼代理人的单位或与当事人的关系", where, required=False, max_len=100)
    if party.agent_detail and not party.agent:
        raise InvalidField("missing_field", "请填写委托诉讼代理人的姓名。", where + "agent")
    id_number = _text(raw, "id_number", "身份证号码", where, required=False, max_len=40)
    if id_number is not None:
        try:
            check = validate_id_number(id_number)
        except IdNumberError as err:
            raise InvalidField(err.code, err.message, where + "id_number") from None
        party.id_number, party.sex, party.birth_date = check.number, check.sex, check.birth_date.isoformat()
    elif kind == "person" and role == "plaintiff":
        raise InvalidField("missing_field", "请填写原告的身份证号码。", where + "id_number")
    phone = _text(raw, "phone", "手机号码", where, required=False, max_len=40)
    if phone is not None:
        try:
            party.phone = normalize_phone(phone)
        except PhoneError as err:
            raise InvalidField(err.code, err.message, where + "phone") from None
    elif role == "plaintiff":
        raise InvalidField("missing_field", "请填写原告的联系电话。", where + "phone")
    if role == "defendant" and not identifiable(party):
        raise InvalidField("unclear_defendant", f"仅有被告“{party.name}”的名称还不足以与他人相区别，请至少再提供其住所、"
                           "身份证号码、联系电话或工作单位之一（民诉法解释第二百零九条）。", where + "address")
    return party


ETHNICITY_MAX = 10  # the longest of the 56 names is 4 characters (塔吉克族); "族" and some slack


def _ethnicity(raw: dict[str, Any], where: str) -> Optional[str]:
    """民族 as written (汉族; 汉 → 汉族): Chinese characters only, a short word."""
    value = _text(raw, "ethnicity", "民族", where, required=False, max_len=ETHNICITY_MAX)
    if value is None:
        return None
    if not all("\u4e00" <= ch <= "\u9fff" for ch in value):
        raise InvalidField("invalid_ethnicity", "民族请用汉字填写，例如“汉族”。", where + "ethnicity")
    return value if value.endswith("族") else value + "族"


def identifiable(party: Any) -> bool:
    """解释第二百零九条: a defendant's name plus 住所 or other details that tell them apart from others."""
    return bool(party.address or party.id_number or party.phone or getattr(party, "occupation", None)
                or (party.kind == "organisation" and party.legal_representative))


def parse_parties(parties_raw: Any) -> list[PartyInput]:
    """The parties (also used when a filing is corrected, 补正): a plaintiff and a clear defendant (art. 122)."""
    if not isinstance(parties_raw, list) or not parties_raw or len(parties_raw) > 50:
        raise InvalidField("missing_field", "请填写当事人信息。", "parties")
    parties = [_party(p, i) for i, p in enumerate(parties_raw)]
    if not any(p.role == "plaintiff" for p in parties):
        raise InvalidField("missing_plaintiff", "请至少填写一名原告。", "parties")
    if not any(p.role == "defendant" for p in parties):
        raise InvalidField("missing_defendant", "请至少填写一名明确的被告（民事诉讼法第一百二十二条）。", "parties")
    return parties


def _objects(raw: Any, field: str, limit: int, not_a_list: str, too_many: str, not_an_object: str,
             keys: tuple[str, ...]) -> list[tuple[str, dict[str, Any]]]:
    """A list of objects with known keys, each with its place in the request ("evidence[0].")."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise InvalidRequest("wrong_type", not_a_list, field)
    if len(raw) > limit:
        raise InvalidField("too_many_items", too_many, field)
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise InvalidRequest("wrong_type", not_an_object, f"{field}[{i}]")
        reject_unknown_fields(item, set(keys), where=f"{field}[{i}].")
        out.append((f"{field}[{i}].", item))
    return out


def parse_evidence(raw: Any) -> list[dict[str, Optional[str]]]:
    """证据和证据来源 (民事诉讼法 art. 124(四)): at most 50 items, each a name (≤100) with source and purpose (≤200).

    None (not given) is an empty list: evidence may also be listed later, or only uploaded.
    """
    items = []
    for where, item in _objects(raw, "evidence", EVIDENCE_MAX, "证据清单格式不正确，应为列表。",
                                f"证据清单最多填写{EVIDENCE_MAX}项，请合并同类证据后再提交。",
                                "每项证据应包括证据名称、来源和证明目的。", EVIDENCE_FIELDS):
        for key in EVIDENCE_FIELDS:
            if item.get(key) is not None and not isinstance(item[key], str):
                raise InvalidRequest("wrong_type", f"{_EVIDENCE_LABELS[key]}应为文字。", where + key)
        items.append({
            "name": _text(item, "name", "证据名称", where, max_len=100),
            "source": _text(item, "source", "证据来源", where, required=False, max_len=200),
            "purpose": _text(item, "purpose", "证明目的", where, required=False, max_len=200),
        })
    return items


_EVIDENCE_LABELS = {"name": "证据名称", "source": "证据来源", "purpose": "证明目的"}
WITNESS_FIELDS = ("name", "address")
WITNESS_MAX = 20


def parse_witnesses(raw: Any) -> list[dict[str, Optional[str]]]:
    """证人姓名和住所 (民事诉讼法 art. 124(四)): at most 20, each a name (≤50) and an address (≤200)."""
    return [{"name": _text(item, "name", "证人姓名", where, max_len=50),
             "address": _text(item, "address", "证人住所", where, required=False)}
            for where, item in _objects(raw, "witnesses", WITNESS_MAX, "证人名单格式不正确，应为列表。",
                                        f"证人最多填写{WITNESS_MAX}名。", "每名证人应包括姓名和住所。", WITNESS_FIELDS)]


def parse_claims(claims_raw: Any) -> list[ClaimInput]:
    """The 诉讼请求 list (also used when a filing is corrected, 补正)."""
    if not isinstance(claims_raw, list) or not claims_raw or len(claims_raw) > 50:
        raise InvalidField("missing_field", "请填写具体的诉讼请求。", "claims")
    claims = []
    for i, raw in enumerate(claims_raw):
        if not isinstance(raw, dict):
            raise InvalidField("wrong_type", "诉讼请求格式不正确。", f"claims[{i}]")
        reject_unknown_fields(raw, CLAIM_FIELDS, where=f"claims[{i}].")
        text = _text(raw, "text", "诉讼请求", f"claims[{i}].", max_len=1000)
        claims.append(ClaimInput(text=text, amount=parse_amount(raw.get("amount"), f"claims[{i}].amount")))  # type: ignore[arg-type]
    return claims


def claims_total(claims: list[ClaimInput]) -> Optional[Decimal]:
    """The amount in dispute derived from the claims' amounts, or None when no claim has one."""
    if not any(c.amount for c in claims):
        return None
    return sum((c.amount for c in claims if c.amount), Decimal("0.00"))


def text_field(obj: dict[str, Any], key: str, label: str, *, required: bool = True,
               max_len: int = 200) -> Optional[str]:
    """A top-level text field, checked like the filing's own (for other request bodies)."""
    return _text(obj, key, label, "", required=required, max_len=max_len)


def parse_filing(body: dict[str, Any]) -> FilingInput:
    """Validate a filing request; raises a domain error on the first problem found."""
    reject_unknown_fields(body, TOP_FIELDS)
    case_type = _text(body, "case_type", "案由", "", max_len=64)
    court_code = _text(body, "court_code", "受理法院", "", max_len=16)
    court = court_data.court_by_code(court_code)  # type: ignore[arg-type]
    if court is None:
        raise InvalidField("unknown_court", "未找到该法院，请核对法院名称。", "court_code")
    parties = parse_parties(body.get("parties"))
    claims = parse_claims(body.get("claims"))
    amount = parse_amount(body.get("amount"), "amount")
    if amount is None:
        amount = claims_total(claims)
    return FilingInput(
        case_type=case_type,  # type: ignore[arg-type]
        court_code=court.code,
        court_name=court.name,
        facts=_text(body, "facts", "事实与理由", "", max_len=20000),  # type: ignore[arg-type]
        parties=parties,
        claims=claims,
        amount=amount,
        mediation_consent=_bool(body, "mediation_consent", "是否同意诉前调解"),
        e_service_consent=_bool(body, "e_service_consent", "是否同意电子送达"),
        e_service_address=_text(body, "e_service_address", "电子送达地址", "", required=False),
        channel=_text(body, "channel", "渠道", "", required=False, max_len=32),
        conversation_id=_text(body, "conversation_id", "会话编号", "", required=False, max_len=128),
        evidence=parse_evidence(body.get("evidence")),
        witnesses=parse_witnesses(body.get("witnesses")),
        fee_relief=parse_relief_request(body.get("fee_relief"), all(p.kind == "person" for p in parties
                                                                    if p.role == "plaintiff")),
    )
