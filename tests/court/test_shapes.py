"""A party's shape is declared once (court/shapes.py); everything that lists a party's fields is
held to the declaration here, so a field added there and forgotten elsewhere fails a test."""
from __future__ import annotations

import dataclasses

from court.api import openapi
from court.infra.models import Party
from court.services.complaint import PartyData
from court.services.filing_input import PARTY_FIELDS, PartyInput
from court.shapes import PARTY, PARTY_INPUT_KEYS, PARTY_KEYS


def _schema(name: str) -> dict:
    return openapi.spec()["components"]["schemas"][name]


def test_the_openapi_party_lists_exactly_the_declared_fields() -> None:
    assert set(_schema("Party")["properties"]) == set(PARTY_KEYS)
    assert set(_schema("PartyRequest")["properties"]) == set(PARTY_INPUT_KEYS)


def test_the_view_always_has_every_field_and_the_declared_ones_are_never_null() -> None:
    view = _schema("Party")
    assert set(view["required"]) == set(PARTY_KEYS)
    never_null = {f.name for f in PARTY if f.required}
    assert never_null == {"role", "kind", "name"}
    assert not any(view["properties"][name].get("nullable") for name in never_null)


def test_the_parties_table_has_a_column_per_declared_field() -> None:
    columns = {c.name for c in Party.__table__.columns} - {"id", "filing_id", "position"}
    assert columns == set(PARTY_KEYS)


def test_the_request_and_complaint_dataclasses_follow_the_declaration() -> None:
    for cls in (PartyInput, PartyData):
        assert tuple(f.name for f in dataclasses.fields(cls)) == PARTY_KEYS
    assert PARTY_FIELDS == set(PARTY_INPUT_KEYS)
    assert set(PARTY_KEYS) - set(PARTY_INPUT_KEYS) == {"sex", "birth_date"}  # derived from the ID number
