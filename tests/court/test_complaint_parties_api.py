"""The complaint's every element through the API (2016 样式, 民事诉讼法 art. 124): stored, read back,
printed in the generated PDF; a defendant known by a name alone is refused (解释第二百零九条)."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from authflow import bearer, filing_body, verify_litigant
from court.jobs.complaint_renders import render_pending

PARTIES = [
    {"role": "plaintiff", "kind": "person", "name": "张三", "id_number": "11010519491231002X",
     "phone": "13800138000", "address": "北京市朝阳区建国路1号", "ethnicity": "汉", "occupation": "退休职工",
     "agent": "周律", "agent_detail": "北京某某律师事务所律师"},
    {"role": "plaintiff", "kind": "person", "name": "张小明", "id_number": "110105201203150011",
     "phone": "13800138001", "address": "北京市朝阳区建国路1号", "ethnicity": "汉族", "occupation": "学生",
     "legal_agent": "张大明", "legal_agent_relation": "父亲"},
    {"role": "defendant", "kind": "person", "name": "刘某", "address": "河北省廊坊市广阳区新华路3号",
     "ethnicity": "回族", "occupation": "廊坊某某物流有限公司司机"},
    {"role": "defendant", "kind": "organisation", "name": "朝阳区某某便利店", "org_form": "other",
     "legal_representative": "孙某", "representative_title": "经营者", "address": "北京市朝阳区望京街5号"},
]
WITNESSES = [{"name": "吴某", "address": "北京市朝阳区东三环中路7号"}]


@pytest.fixture
async def token(client, db_rows) -> str:
    return await verify_litigant(client, db_rows, conversation="c-1", channel="rest")


async def test_every_element_is_stored_read_back_and_printed(client, db_rows, token):
    resp = await client.post("/api/v1/filings", json=filing_body(parties=PARTIES, witnesses=WITNESSES),
                             headers=bearer(token))
    assert resp.status == 201, await resp.text()
    body = await (await client.get(f"/api/v1/filings/{(await resp.json())['id']}", headers=bearer(token))).json()
    adult, minor, worker, shop = body["parties"]
    assert (adult["sex"], adult["birth_date"], adult["ethnicity"], adult["occupation"]) == ("女", "1949-12-31", "汉族", "退休职工")
    assert (adult["agent"], adult["agent_detail"]) == ("周律", "北京某某律师事务所律师")
    assert (minor["legal_agent"], minor["legal_agent_relation"]) == ("张大明", "父亲")
    assert worker["sex"] is None and worker["occupation"] == "廊坊某某物流有限公司司机"
    assert shop["org_form"] == "other" and shop["ethnicity"] is None
    assert body["witnesses"] == [{"name": "吴某", "address": "北京市朝阳区东三环中路7号"}]
    assert await db_rows("SELECT ethnicity, legal_agent FROM parties ORDER BY position") == [
        ("汉族", None), ("汉族", "张大明"), ("回族", None), (None, None)]

    assert await render_pending(client.app) == 1  # the complaint worker's pass (rendered after the answer)
    pdf = await client.get(f"/api/v1/filings/{body['id']}/complaint", headers=bearer(token))
    reader = PdfReader(io.BytesIO(await pdf.read()))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    for expected in ["原告：张三，女，1949年12月31日出生，汉族，退休职工，住址：北京市朝阳区建国路1号",
                     "委托诉讼代理人：周律，北京某某律师事务所律师。", "法定代理人：张大明，系张小明的父亲。",
                     "被告：刘某，回族，廊坊某某物流有限公司司机，住址：河北省廊坊市广阳区新华路3号。",
                     "主要负责人：孙某，经营者。", "证人：吴某，住址：北京市朝阳区东三环中路7号。",
                     "附：本起诉状副本2份", "起诉人（签名）：张三、张小明"]:
        assert expected in text, expected


@pytest.mark.parametrize("party, field", [
    # 解释第二百零九条: a name alone does not tell a defendant apart from others
    ({"role": "defendant", "kind": "person", "name": "李四"}, "parties[1].address"),
    ({"role": "defendant", "kind": "organisation", "name": "某公司"}, "parties[1].address"),
    ({"role": "defendant", "kind": "organisation", "name": "某店", "org_form": "个体", "address": "北京市朝阳区"},
     "parties[1].org_form"),
    ({"role": "defendant", "kind": "person", "name": "李四", "address": "北京市朝阳区", "ethnicity": "Han"},
     "parties[1].ethnicity"),
    ({"role": "defendant", "kind": "person", "name": "李四", "address": "北京市朝阳区", "agent_detail": "律师"},
     "parties[1].agent"),
    ({"role": "defendant", "kind": "person", "name": "李四", "address": "北京市朝阳区", "legal_agent_relation": "父亲"},
     "parties[1].legal_agent"),
])
async def test_an_unclear_defendant_or_bad_detail_is_refused_and_nothing_is_written(client, db_rows, token, party, field):
    parties = [filing_body()["parties"][0], party]
    resp = await client.post("/api/v1/filings", json=filing_body(parties=parties), headers=bearer(token))
    answer = await resp.json()
    assert resp.status == 422 and answer["field"] == field, answer
    assert re.search(r"[\u4e00-\u9fff]", answer["message"])
    assert await db_rows("SELECT count(*) FROM filings") == [(0,)]


async def test_a_defendant_known_by_name_and_phone_is_enough(client, token):
    parties = [filing_body()["parties"][0], {"role": "defendant", "kind": "person", "name": "李四", "phone": "13900139000",
                                             "ethnicity": None, "occupation": None}]
    resp = await client.post("/api/v1/filings", json=filing_body(parties=parties), headers=bearer(token))
    assert resp.status == 201, await resp.text()


async def test_bad_witnesses_are_refused(client, token):
    for witnesses, status, field in (("吴某", 400, "witnesses"), ([{"name": ""}], 422, "witnesses[0].name"),
                                     ([{"name": "吴某", "phone": "1"}], 400, "witnesses[0].phone")):
        resp = await client.post("/api/v1/filings", json=filing_body(witnesses=witnesses), headers=bearer(token))
        assert resp.status == status and (await resp.json())["field"] == field
