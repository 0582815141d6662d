"""The generated 民事起诉状 (court/services/complaint.py): its text, line breaking, and the PDF read back with pypdf.

The font is the one the backend would use (`make pdf-font` installs it; COURT_PDF_FONT overrides):
these tests fail, rather than skip, without it, because then every filing would go without its PDF.
"""
from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from court.services import complaint
from court.services.complaint import ComplaintData, PartyData

ALICE = PartyData("plaintiff", "person", "张三", id_number="11010519491231002X", phone="13800138000",
                  address="北京市朝阳区建国路1号")
BOB = PartyData("defendant", "person", "李四", id_number="440524188001010014")
ACME = PartyData("defendant", "organisation", "北京某某科技有限公司", address="北京市海淀区中关村大街1号",
                 legal_representative="王五", representative_title="总经理")


def sample(**changes) -> ComplaintData:
    values = dict(
        court_name="北京市朝阳区人民法院", case_type="民间借贷纠纷", parties=(BOB, ALICE, ACME),
        claims=(("判令被告偿还借款本金", Decimal("50000")), ("判令被告承担本案诉讼费用", None)),
        amount=Decimal("50000.00"),
        facts="2025年3月1日，被告向原告借款五万元，约定一年内归还。\n到期后原告多次催讨，被告至今未还。",
        evidence=({"name": "借条", "source": "原告持有", "purpose": "证明借款事实"},),
        signed_on=date(2026, 11, 28),
    )
    values.update(changes)
    return ComplaintData(**values)


@pytest.fixture(scope="module")
def font() -> Path:
    found = complaint.find_font(tuple(complaint.font_candidates()))
    assert found is not None, "no CJK font for the complaint PDF: run `make pdf-font` or set COURT_PDF_FONT"
    return found


def pdf_text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def flat(text: str) -> str:
    """The text without line breaks and spaces: what wraps across lines is found whole."""
    return re.sub(r"\s+", "", text)


# --- the text ---------------------------------------------------------------------------------


def test_amounts_and_dates_in_the_usual_chinese_form():
    assert complaint.yuan(Decimal("50000")) == "50,000.00元"
    assert complaint.yuan(Decimal("1234567.8")) == "1,234,567.80元"
    assert complaint.yuan(Decimal("0.05")) == "0.05元"
    assert complaint.chinese_date(date(2026, 11, 28)) == "2026年11月28日"
    assert complaint.chinese_date(date(2027, 1, 5)) == "2027年1月5日"


def test_a_person_is_described_with_sex_and_birth_date_from_the_id_number():
    # GB 11643-1999: 19491231 is the birth date, the 17th digit 2 (even) means 女.
    assert complaint.party_lines(ALICE) == [
        "原告：张三，女，1949年12月31日出生，住址：北京市朝阳区建国路1号，公民身份号码：11010519491231002X，"
        "联系电话：13800138000。"
    ]
    assert complaint.party_lines(BOB) == ["被告：李四，男，1880年1月1日出生，公民身份号码：440524188001010014。"]
    assert complaint.party_lines(PartyData("third_party", "person", "赵六")) == ["第三人：赵六。"]


def test_an_organisation_names_its_legal_representative_and_title():
    assert complaint.party_lines(ACME) == [
        "被告：北京某某科技有限公司，住所地：北京市海淀区中关村大街1号。",
        "法定代表人：王五，总经理。",
    ]
    bare = PartyData("plaintiff", "organisation", "某公司", phone="13900139000", legal_representative="钱七")
    assert complaint.party_lines(bare) == ["原告：某公司，联系电话：13900139000。", "法定代表人：钱七。"]


def test_claims_are_numbered_with_their_amounts_once():
    lines = complaint.claim_lines([("判令被告偿还借款", Decimal("50000")), ("判令被告支付利息3,000.50元", Decimal("3000.50")),
                                   ("判令被告承担诉讼费", None)])
    assert lines == ["1. 判令被告偿还借款（50,000.00元）", "2. 判令被告支付利息3,000.50元", "3. 判令被告承担诉讼费"]


def test_evidence_lines_and_the_empty_list():
    assert complaint.evidence_lines([{"name": "借条", "source": "原告持有", "purpose": "证明借款事实"},
                                     {"name": "转账记录", "source": None, "purpose": None}]) == [
        "1. 借条，来源：原告持有，证明目的：证明借款事实。", "2. 转账记录。"]
    assert complaint.evidence_lines([]) == [complaint.NO_EVIDENCE]


def test_blocks_follow_the_usual_order_plaintiffs_first():
    texts = [b.text for b in complaint.blocks(sample())]
    assert texts[0] == "民事起诉状"
    assert texts[1].startswith("原告：张三") and texts[2].startswith("被告：李四") and texts[3].startswith("被告：北京某某")
    order = ["诉讼请求：", "事实与理由：", "证据和证据来源，证人姓名和住所：", "此致", "北京市朝阳区人民法院",
             "附：本起诉状副本2份", "起诉人（签名）：张三", "2026年11月28日"]
    positions = [texts.index(t) for t in order]
    assert positions == sorted(positions)
    assert texts[-3:] == ["附：本起诉状副本2份", "起诉人（签名）：张三", "2026年11月28日"]


def test_every_plaintiff_signs():
    two = sample(parties=(ALICE, BOB, PartyData("plaintiff", "organisation", "某公司", legal_representative="钱七")))
    assert complaint.signers(two.parties) == "张三、某公司"


# --- line breaking ----------------------------------------------------------------------------


def measure(text: str) -> float:
    return float(len(text))  # one unit per character: easy to reason about


def test_lines_never_start_with_closing_punctuation_nor_split_numbers():
    lines = complaint.wrap("原告张三，公民身份号码11010519491231002X，住址北京。", 24, measure)
    assert lines == ["原告张三，公民身份号码", "11010519491231002X，住址北京。"]
    lines = complaint.wrap("金额为人民币50,000.00元，利息另计。", 10, measure)
    assert lines == ["金额为人民币", "50,000.00", "元，利息另计。"]


def test_a_piece_longer_than_a_line_is_cut_and_nothing_is_lost():
    text = "甲" * 5 + "A" * 30 + "乙"
    lines = complaint.wrap(text, 10, measure)
    assert "".join(lines) == text
    assert all(measure(line) <= 10 for line in lines)


def test_the_first_line_keeps_its_indent():
    lines = complaint.wrap("到期后原告多次催讨，被告至今未还。" * 3, 20, measure, complaint.INDENT)
    assert lines[0].startswith(complaint.INDENT) and not lines[1].startswith("\u3000")


def test_opening_brackets_stay_with_what_follows():
    lines = complaint.wrap("一二三四五六七八（九十）", 8, measure)
    assert lines[0] == "一二三四五六七八" and lines[1] == "（九十）"


# --- the PDF ----------------------------------------------------------------------------------


def test_the_pdf_holds_the_chinese_text_and_embeds_the_font(font):
    data = complaint.render(sample(), font)
    assert data.startswith(b"%PDF-")
    text, pages = pdf_text(data)
    assert pages == 1
    whole = flat(text)
    for expected in ["民事起诉状", "原告：张三，女，1949年12月31日出生", "11010519491231002X", "13800138000",
                     "被告：李四，男", "被告：北京某某科技有限公司", "法定代表人：王五，总经理", "诉讼请求：",
                     "1.判令被告偿还借款本金（50,000.00元）", "2.判令被告承担本案诉讼费用", "诉讼标的额：50,000.00元",
                     "事实与理由：", "被告至今未还", "证据和证据来源，证人姓名和住所：",
                     "1.借条，来源：原告持有，证明目的：证明借款事实。",
                     "此致", "北京市朝阳区人民法院", "附：本起诉状副本2份", "起诉人（签名）：张三", "2026年11月28日"]:
        assert expected in whole, expected
    # Embedded (TrueType outlines: /FontFile2), subset, not merely referenced by name.
    reader = PdfReader(io.BytesIO(data))
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    descriptors = [d["/FontDescriptor"] for f in fonts for d in (f.get("/DescendantFonts") or [])]
    descriptors = [d.get_object() for d in descriptors]
    assert descriptors and all("/FontFile2" in d or "/FontFile3" in d for d in descriptors)
    embedded = descriptors[0].get("/FontFile2") or descriptors[0].get("/FontFile3")
    assert len(embedded.get_object().get_data()) > 1000
    assert len(data) < 400_000  # subset: the font file itself is ~20 MB


def test_many_claims_and_long_facts_flow_over_several_pages(font):
    claims = tuple((f"判令被告偿还第{i}笔借款", Decimal(1000 * i)) for i in range(1, 61))
    facts = "被告于2025年多次向原告借款，均未按约归还，原告多次催讨无果。" * 40
    data = complaint.render(sample(claims=claims, facts=facts), font)
    text, pages = pdf_text(data)
    assert pages >= 3
    whole = flat(text)
    assert "60.判令被告偿还第60笔借款（60,000.00元）" in whole
    assert f"共{pages}页" in whole and "第1页" in whole
    assert whole.rstrip().endswith(f"2026年11月28日第{pages}页共{pages}页")


def test_rare_characters_in_names_do_not_break_the_layout(font):
    odd = PartyData("plaintiff", "person", "王𠀀喆", id_number="11010519491231002X", phone="13800138000")
    data = complaint.render(sample(parties=(odd, BOB)), font)
    assert data.startswith(b"%PDF-")


def _no_dates(pdf: bytes) -> bytes:
    return re.sub(rb"/CreationDate \([^)]*\)|/ID \[[^\]]*\]", b"", pdf)


def test_the_font_parsed_once_serves_one_complaint_after_another(font):
    """The cached parse (court/services/complaint_font.py) is not cut down by the documents it served."""
    from court.services.complaint_font import parsed_font

    other = sample(parties=(PartyData("plaintiff", "person", "欧阳靖瑶", id_number="11010519491231002X"), ACME),
                   facts="丁丂七丄丅丆万丈三上下丌不与丏丐丑丒专且丕世丗丘丙业丛东丝丞丢。Invoice No. A-17/2025.")
    parsed_font.cache_clear()
    fresh = complaint.render(other, font)  # the first document of a freshly parsed font
    for _ in range(2):
        complaint.render(sample(), font)
    again = complaint.render(other, font)
    assert _no_dates(again) == _no_dates(fresh)
    assert "欧阳靖瑶" in flat(pdf_text(again)[0]) and "丞丢" in flat(pdf_text(again)[0])
    assert "张三" not in flat(pdf_text(again)[0])


def test_no_font_found_is_none_and_a_warning(caplog, tmp_path):
    not_a_font = tmp_path / "readme.ttf"
    not_a_font.write_text("hello")
    assert complaint.find_font((str(tmp_path / "missing.ttf"), str(not_a_font))) is None
    assert "no CJK font" in caplog.text


def test_the_configured_font_comes_first(monkeypatch):
    monkeypatch.setenv(complaint.FONT_ENV, "/opt/fonts/a.ttf:/opt/fonts/b.ttc")
    assert complaint.font_candidates()[:3] == ["/opt/fonts/a.ttf", "/opt/fonts/b.ttc", complaint.DEFAULT_FONTS[0]]
    monkeypatch.delenv(complaint.FONT_ENV)
    assert complaint.font_candidates() == list(complaint.DEFAULT_FONTS)


# --- every element of the 2016 样式 (民事诉讼法 art. 124), read back from the PDF -----------------------

MINOR = PartyData("plaintiff", "person", "张小明", id_number="110105201203150011", phone="13800138001",
                  address="北京市朝阳区建国路1号", ethnicity="汉族", occupation="学生", legal_agent="张大明",
                  legal_agent_relation="父亲", agent="周律", agent_detail="北京某某律师事务所律师")
WORKER = PartyData("defendant", "person", "刘某", address="河北省廊坊市广阳区新华路3号", ethnicity="回族",
                   occupation="廊坊某某物流有限公司司机")
SHOP = PartyData("defendant", "organisation", "朝阳区某某便利店", address="北京市朝阳区望京街5号",
                 legal_representative="孙某", representative_title="经营者", org_form="other")
WITNESSES = ({"name": "吴某", "address": "北京市朝阳区东三环中路7号"}, {"name": "郑某", "address": None})


def test_a_person_reads_sex_birth_ethnicity_occupation_address_id_and_contact_in_the_sample_order():
    assert complaint.party_lines(MINOR) == [
        "原告：张小明，男，2012年3月15日出生，汉族，学生，住址：北京市朝阳区建国路1号，公民身份号码：110105201203150011，"
        "联系电话：13800138001。",
        "法定代理人：张大明，系张小明的父亲。",
        "委托诉讼代理人：周律，北京某某律师事务所律师。",
    ]
    # a defendant known only by what the plaintiff knows: nothing made up for the rest
    assert complaint.party_lines(WORKER) == ["被告：刘某，回族，廊坊某某物流有限公司司机，住址：河北省廊坊市广阳区新华路3号。"]


def test_another_organisation_names_its_principal_not_a_legal_representative():
    assert complaint.party_lines(SHOP) == ["被告：朝阳区某某便利店，住所地：北京市朝阳区望京街5号。", "主要负责人：孙某，经营者。"]
    assert complaint.party_lines(ACME)[1].startswith("法定代表人：")


def test_witnesses_copies_and_the_signature_line():
    assert complaint.witness_lines(WITNESSES) == ["证人：吴某，住址：北京市朝阳区东三环中路7号。", "证人：郑某。"]
    assert complaint.copies((ALICE, BOB, ACME, SHOP)) == 3
    assert complaint.copies((ALICE, BOB)) == 1
    company = PartyData("plaintiff", "organisation", "某公司", legal_representative="钱七")
    assert complaint.signature_label((company, BOB)) == "起诉人（签名或者盖章）"
    assert complaint.signature_label((ALICE, BOB)) == "起诉人（签名）"


def test_the_pdf_carries_every_element_of_the_sample(font):
    data = sample(parties=(MINOR, WORKER, SHOP, BOB), witnesses=WITNESSES)
    whole = flat(pdf_text(complaint.render(data, font))[0])
    for expected in [
        "民事起诉状",
        # 原告: 性别, 出生日期, 民族, 职业, 住所, 身份证, 联系方式; 法定代理人; 委托诉讼代理人
        "原告：张小明，男，2012年3月15日出生，汉族，学生，住址：北京市朝阳区建国路1号，公民身份号码：110105201203150011，"
        "联系电话：13800138001。",
        "法定代理人：张大明，系张小明的父亲。", "委托诉讼代理人：周律，北京某某律师事务所律师。",
        # 被告: what is known, enough to tell them apart (解释第二百零九条); 其他组织 with its 主要负责人
        "被告：刘某，回族，廊坊某某物流有限公司司机，住址：河北省廊坊市广阳区新华路3号。",
        "被告：朝阳区某某便利店，住所地：北京市朝阳区望京街5号。", "主要负责人：孙某，经营者。",
        "被告：李四，男，1880年1月1日出生",
        "诉讼请求：", "事实与理由：", "证据和证据来源，证人姓名和住所：", "1.借条，来源：原告持有，证明目的：证明借款事实。",
        "证人：吴某，住址：北京市朝阳区东三环中路7号。", "证人：郑某。",
        "此致北京市朝阳区人民法院附：本起诉状副本3份起诉人（签名）：张小明2026年11月28日",
    ]:
        assert flat(expected) in whole, expected
