"""The 民事起诉状 made from a filing: its text (pure), its PDF layout (pure), and which CJK font to embed.

Why: a litigant who files through the chat never wrote a complaint; the court still needs one
in the usual form (民事诉讼法 (2023) art. 124). Everything here is computed from the filing's
data, so the same filing always reads the same; storing the bytes is court/services/complaint_files.py.

Layout of the 民事起诉状 of the 2016 最高人民法院《民事诉讼文书样式》: title; one block per 原告 / 被告 /
第三人 (art. 124(一)(二)): a person with name, sex and birth date (from the ID number, GB 11643-1999
§5.2–5.3), 民族, 职业或工作单位, address, ID number, phone, then their 法定代理人; an organisation with
name, address, phone and its 法定代表人 (a 其他组织: 主要负责人) with title; each party's 委托诉讼代理人;
诉讼请求 numbered (art. 124(三)); 事实与理由 (art. 124(三)); 证据和证据来源，证人姓名和住所 (art. 124(四));
此致 / the court; 附：本起诉状副本 N 份 (one copy per defendant, art. 123: 按照被告人数提出副本);
起诉人（签名） (the plaintiffs) and the date in Chinese.

The font is embedded (subset) so that the PDF reads the same on any machine. fpdf2 embeds
TrueType outlines (TTF, and TTC by index); the defaults below are Debian packages with TrueType
outlines (`make pdf-font` installs the first). CFF-based OpenType (Noto CJK .ttc/.otf) is not
in the list: its outlines would need a /FontFile3 path that is not tested here.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

from court.shapes import PARTY_KEYS, party_class

log = logging.getLogger(__name__)

FILENAME = "起诉状.pdf"
DESCRIPTION = "起诉状（根据立案信息生成）"
TITLE = "民事起诉状"

# First found wins. AR PL UMing is a Ming (宋体-like) face, the usual face of court papers.
DEFAULT_FONTS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/arphic/uming.ttc",  # Debian fonts-arphic-uming
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # Debian fonts-wqy-zenhei
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # Debian fonts-wqy-microhei
)
FONT_ENV = "COURT_PDF_FONT"

ROLE_LABELS = {"plaintiff": "原告", "defendant": "被告", "third_party": "第三人"}
NO_EVIDENCE = "暂未列明，将另行提交。"

# --- which font ---------------------------------------------------------------------------------


def font_candidates(configured: Optional[str] = None) -> list[str]:
    """$COURT_PDF_FONT (one path, or several separated by ':') before the default list."""
    configured = os.environ.get(FONT_ENV) if configured is None else configured
    first = [p.strip() for p in (configured or "").split(os.pathsep) if p.strip()]
    return first + [p for p in DEFAULT_FONTS if p not in first]


@lru_cache(maxsize=8)
def find_font(candidates: tuple[str, ...]) -> Optional[Path]:
    """The first candidate that is a readable TrueType file or collection; None (and a warning) if none is.

    Cached per candidate list: the check runs once per process, not once per filing.
    """
    for candidate in candidates:
        path = Path(candidate)
        try:
            with path.open("rb") as handle:
                magic = handle.read(4)
        except OSError:
            continue
        if magic in (b"\x00\x01\x00\x00", b"true", b"ttcf"):
            return path
        log.warning("PDF font %s is not a TrueType font or collection; skipped", path)
    log.warning("no CJK font for the complaint PDF (tried %s; set %s or run `make pdf-font`): "
                "filings are stored without a generated 起诉状", ", ".join(candidates) or "nothing", FONT_ENV)
    return None


# --- the text, pure -------------------------------------------------------------------------------


#: One party as the complaint shows it.
PartyData = party_class("PartyData", __name__, frozen=True)


@dataclass(frozen=True)
class ComplaintData:
    """A snapshot of what the complaint shows: made in the request's thread, rendered in another."""

    court_name: str
    case_type: str
    parties: tuple[PartyData, ...]
    claims: tuple[tuple[str, Optional[Decimal]], ...]
    amount: Optional[Decimal]
    facts: str
    evidence: tuple[dict[str, Optional[str]], ...]
    signed_on: date
    witnesses: tuple[dict[str, Optional[str]], ...] = ()




def complaint_data(filing: Any, signed_on: date) -> ComplaintData:
    """From a Filing row or a FilingInput (both have these attributes) and the date it is signed."""
    return ComplaintData(
        court_name=filing.court_name,
        case_type=filing.case_type,
        parties=tuple(PartyData(**{k: getattr(p, k, None) for k in PARTY_KEYS}) for p in filing.parties),
        claims=tuple((c.text, c.amount) for c in filing.claims),
        amount=filing.amount,
        facts=filing.facts,
        evidence=tuple(dict(e) for e in (filing.evidence or [])),
        signed_on=signed_on,
        witnesses=tuple(dict(w) for w in (getattr(filing, "witnesses", None) or [])),
    )


def yuan(amount: Decimal) -> str:
    """Decimal("50000") → "50,000.00元" (exact; never through float)."""
    return f"{amount.quantize(Decimal('0.01')):,.2f}元"


def chinese_date(day: date) -> str:
    """date(2026, 11, 28) → "2026年11月28日"."""
    return f"{day.year}年{day.month}月{day.day}日"


def _sex_and_birth(p: PartyData) -> tuple[Optional[str], Optional[str]]:
    """Stored sex and birth date, else read from the ID number (GB 11643-1999 §5.2, §5.3)."""
    sex, birth = p.sex, p.birth_date
    if (sex is None or birth is None) and p.id_number:
        from court.rules.idcard import IdNumberError, validate_id_number
        try:
            check = validate_id_number(p.id_number)
        except IdNumberError:
            return sex, birth
        sex, birth = sex or check.sex, birth or check.birth_date.isoformat()
    return sex, birth


def party_lines(p: PartyData) -> list[str]:
    """One party's block (民事诉讼法 art. 124(一)(二), 2016 样式); what is not known is left out, not made up."""
    role = ROLE_LABELS.get(p.role, p.role)
    if p.kind == "organisation":
        parts = [p.name]
        if p.address:
            parts.append(f"住所地：{p.address}")
        if p.phone:
            parts.append(f"联系电话：{p.phone}")
        lines = [f"{role}：{'，'.join(parts)}。"]
        if p.legal_representative:
            head = "主要负责人" if p.org_form == "other" else "法定代表人"  # 民诉法解释第五十二条
            title = f"，{p.representative_title}" if p.representative_title else ""
            lines.append(f"{head}：{p.legal_representative}{title}。")
        return lines + _agent_lines(p)
    parts = [p.name]
    sex, birth = _sex_and_birth(p)
    if sex:
        parts.append(sex)
    if birth:
        parts.append(f"{chinese_date(date.fromisoformat(birth))}出生")
    if p.ethnicity:
        parts.append(p.ethnicity)
    if p.occupation:
        parts.append(p.occupation)
    if p.address:
        parts.append(f"住址：{p.address}")
    if p.id_number:
        parts.append(f"公民身份号码：{p.id_number}")
    if p.phone:
        parts.append(f"联系电话：{p.phone}")
    lines = [f"{role}：{'，'.join(parts)}。"]
    if p.legal_agent:  # 民事诉讼法 art. 60: a minor's or incapacitated person's guardian acts for them
        relation = f"，系{p.name}的{p.legal_agent_relation}" if p.legal_agent_relation else ""
        lines.append(f"法定代理人：{p.legal_agent}{relation}。")
    return lines + _agent_lines(p)


def _agent_lines(p: PartyData) -> list[str]:
    """委托诉讼代理人 (民事诉讼法 art. 61), with their firm or relation when given."""
    if not p.agent:
        return []
    detail = f"，{p.agent_detail}" if p.agent_detail else ""
    return [f"委托诉讼代理人：{p.agent}{detail}。"]


def claim_lines(claims: Sequence[tuple[str, Optional[Decimal]]]) -> list[str]:
    """"1. 判令被告偿还借款（50,000.00元）" — the amount added unless the text already states it."""
    lines = []
    for i, (text, amount) in enumerate(claims, 1):
        line = f"{i}. {text}"
        if amount is not None and yuan(amount) not in text:
            line += f"（{yuan(amount)}）"
        lines.append(line)
    return lines


def evidence_lines(evidence: Iterable[dict[str, Optional[str]]]) -> list[str]:
    """"1. 借条，来源：原告持有，证明目的：证明借款事实。" (民事诉讼法 art. 124(四))."""
    lines = []
    for i, item in enumerate(evidence, 1):
        parts = [item.get("name") or ""]
        if item.get("source"):
            parts.append(f"来源：{item['source']}")
        if item.get("purpose"):
            parts.append(f"证明目的：{item['purpose']}")
        lines.append(f"{i}. {'，'.join(parts)}。")
    return lines or [NO_EVIDENCE]


def witness_lines(witnesses: Iterable[dict[str, Optional[str]]]) -> list[str]:
    """"证人：王某，住址：北京市朝阳区……。" (民事诉讼法 art. 124(四): 证人姓名和住所)."""
    lines = []
    for w in witnesses:
        address = f"，住址：{w['address']}" if w.get("address") else ""
        lines.append(f"证人：{w.get('name') or ''}{address}。")
    return lines


def signers(parties: Iterable[PartyData]) -> str:
    """起诉人: the plaintiffs, in the order filed."""
    return "、".join(p.name for p in parties if p.role == "plaintiff")


def signature_label(parties: Iterable[PartyData]) -> str:
    """起诉人（签名）; an organisation signs and seals (2016 样式, 法人、其他组织提起民事诉讼用)."""
    plaintiffs = [p for p in parties if p.role == "plaintiff"]
    return "起诉人（签名或者盖章）" if any(p.kind == "organisation" for p in plaintiffs) else "起诉人（签名）"


def copies(parties: Iterable[PartyData]) -> int:
    """民事诉讼法 art. 123: the complaint is filed with copies by the number of defendants."""
    return sum(1 for p in parties if p.role == "defendant")


@dataclass(frozen=True)
class Block:
    """One piece of the page: `style` is title, heading, para (indented), item, plain or right."""

    style: str
    text: str


def blocks(data: ComplaintData) -> list[Block]:
    """The complaint as a list of styled paragraphs, top to bottom (the whole text, no layout)."""
    out = [Block("title", TITLE)]
    order = {"plaintiff": 0, "defendant": 1, "third_party": 2}
    for party in sorted(data.parties, key=lambda p: order.get(p.role, 3)):  # stable: filed order within a role
        out += [Block("plain", line) for line in party_lines(party)]
    out.append(Block("plain", f"案由：{data.case_type}"))
    out.append(Block("heading", "诉讼请求："))
    out += [Block("item", line) for line in claim_lines(data.claims)]
    if data.amount is not None:
        out.append(Block("item", f"诉讼标的额：{yuan(data.amount)}"))
    out.append(Block("heading", "事实与理由："))
    out += [Block("para", para.strip()) for para in data.facts.splitlines() if para.strip()]
    out.append(Block("heading", "证据和证据来源，证人姓名和住所："))
    out += [Block("item", line) for line in evidence_lines(data.evidence)]
    out += [Block("item", line) for line in witness_lines(data.witnesses)]
    out.append(Block("para", "此致"))
    out.append(Block("plain", data.court_name))
    out.append(Block("plain", f"附：本起诉状副本{copies(data.parties)}份"))  # the 样式's order: before the signature
    out.append(Block("right", f"{signature_label(data.parties)}：{signers(data.parties)}"))
    out.append(Block("right", chinese_date(data.signed_on)))
    return out


# --- line breaking, pure ------------------------------------------------------------------------

# Chinese line breaking (禁则): these never start a line, those never end one.
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉’”%‰,.;:?!)]}…—·")
NO_LINE_END = frozenset("（《「『【〔〈‘“([{")


def units(text: str) -> list[str]:
    """Pieces that stay on one line: one CJK character, or a run of Latin letters and digits (an ID
    number, an amount such as 50,000.00元's digits), with closing punctuation kept after its piece and
    opening punctuation before the next."""
    out: list[str] = []
    pending = ""  # opening punctuation waiting for the next piece
    for ch in text:
        if not pending and out and _latin(ch) and _latin(out[-1][-1]):
            out[-1] += ch
        elif ch in NO_LINE_START and out:
            out[-1] += ch
        elif ch in NO_LINE_END:
            pending += ch
        else:
            out.append(pending + ch)
            pending = ""
    if pending:
        out.append(pending)
    return out


def _latin(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".,-/:@_%")


def wrap(text: str, width: float, measure: Any, first_indent: str = "") -> list[str]:
    """Greedy lines no wider than `width` by `measure(str) -> float`; a piece wider than a line is cut.

    Widths add up piece by piece (no kerning without text shaping), each piece measured once.
    """
    cache: dict[str, float] = {}

    def w(piece: str) -> float:
        if piece not in cache:
            cache[piece] = measure(piece)
        return cache[piece]

    lines: list[str] = []
    line, used = first_indent, w(first_indent) if first_indent else 0.0
    for unit in units(text):
        size = w(unit)
        if used + size <= width:
            line, used = line + unit, used + size
            continue
        if not _blank(line):
            lines.append(line)
            line, used = "", 0.0
        if used + size <= width:
            line, used = line + unit, used + size
            continue
        for ch in unit:  # longer than a whole line: cut it by characters
            if used + w(ch) > width and not _blank(line):
                lines.append(line)
                line, used = "", 0.0
            line, used = line + ch, used + w(ch)
    if line or not lines:
        lines.append(line)
    return lines


def _blank(line: str) -> bool:
    return not line.strip("\u3000 ")


# --- the layout ---------------------------------------------------------------------------------

BODY_PT = 12
TITLE_PT = 20
LINE_MM = 7.5
MARGIN_MM = 25
INDENT = "\u3000\u3000"  # two ideographic spaces, the usual first-line indent


def render(data: ComplaintData, font: Path) -> bytes:
    """The PDF: A4, the CJK font embedded (subset); long text wraps, pages follow as needed."""
    from fpdf import FPDF
    from fpdf.enums import TextMode, XPos, YPos

    from court.services.complaint_font import parsed_font

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "BDF NOT subset": bitmaps dropped, fine

    class _Pdf(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("cjk", size=9)
            self.cell(0, 8, f"第 {self.page_no()} 页 共 {{nb}} 页", align="C")

    pdf = _Pdf(format="A4", unit="mm")
    pdf.set_title(TITLE)
    pdf.set_creator("court backend")
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(True, margin=MARGIN_MM)
    parsed_font(font).attach(pdf, "cjk")  # parsed once per process (court/services/complaint_font.py)
    pdf.add_page()
    width = pdf.epw

    def lines(text: str, *, align: str = "L", indent: str = "") -> None:
        for line in wrap(text, width, pdf.get_string_width, indent):
            pdf.cell(width, LINE_MM, line, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    for block in blocks(data):
        if block.style == "title":
            pdf.set_font("cjk", size=TITLE_PT)
            with _bold(pdf, TextMode):
                pdf.cell(width, 16, block.text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(4)
            continue
        pdf.set_font("cjk", size=BODY_PT)
        if block.style == "heading":
            pdf.ln(2)
            with _bold(pdf, TextMode):
                lines(block.text)
        elif block.style == "para":
            lines(block.text, indent=INDENT)
        elif block.style == "right":
            if block.text.startswith("起诉人"):
                pdf.ln(6)
            lines(block.text, align="R")
        else:  # plain, item
            lines(block.text)
    return bytes(pdf.output())


class _bold:
    """Faux bold (fill and stroke) for the title and headings: the fonts have no bold face."""

    def __init__(self, pdf: Any, text_mode: Any) -> None:
        self.pdf, self.mode = pdf, text_mode

    def __enter__(self) -> None:
        self.pdf.set_line_width(0.15)
        self.pdf.text_mode = self.mode.FILL_STROKE

    def __exit__(self, *_exc: Any) -> None:
        self.pdf.text_mode = self.mode.FILL
