"""The case file as one PDF: each item rendered once and stored, then a catalogue and page numbers.

Why two steps: an item's pages never change once it exists, so they are rendered the first time
the file is read (``render_pending``, outside any transaction; the row is updated only if no one
else stored it meanwhile) and kept as a file of their own. Assembling a copy (``assemble``) then only
renders the catalogue (卷宗目录) and the page-number stamps, and concatenates the stored item PDFs
with pypdf — earlier items are never re-rendered.

Items become pages with well-kept libraries: a text the court wrote (a notice, a receipt, a review
record) is laid out by fpdf2 with the complaint's CJK font and line breaking
(court/services/complaint.py); a JPEG or PNG is placed on an A4 page by fpdf2 (Pillow reads it); an
uploaded PDF is kept as it is (pypdf reads it); a Word file or a PDF that cannot be read gets one page
saying where the original is. Every page of the assembled file is stamped top right
「卷宗第 N 页 共 M 页」 (the complaint keeps its own page footer).
"""
from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import math
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from court.infra.config import Settings
from court.infra.models import CaseFileItem, Document, Filing
from court.infra.uploads import discard, place
from court.services import case_file, complaint
from court.services.case_file import FULL, catalogue
from court.services.complaint_files import _write_temp, font_for
from court.services.documents import incoming_dir, stored_path
from court.services.errors import Unavailable
from court.services.filings import case_numbers_of
from court.services.period import CHINA_TZ, china_date

log = logging.getLogger(__name__)

CATALOGUE_ROWS = 20  # rows per catalogue page: the catalogue's page count is known before it is laid out
A4_MM = (210.0, 297.0)
IMAGE_TYPES = {"image/jpeg", "image/png"}
NO_FONT = "电子卷宗暂时无法生成（服务器未安装中文字体），请稍后再试或联系法院。"
COPY_LABELS = {"party": "当事人阅卷副本（不含法院内部材料）", "full": "完整卷宗（法院内部）"}


@dataclass(frozen=True)
class Head:
    """What the catalogue page says about the file."""

    filing_number: str
    case_number: Optional[str]
    court_name: str
    case_type: str
    copy: str
    generated_at: datetime


def _font(settings: Settings) -> Path:
    font = font_for(settings)
    if font is None:
        raise Unavailable("no_font", NO_FONT)
    return font


def _new_pdf(font: Path) -> Any:
    from fpdf import FPDF

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_creator("court backend")
    pdf.set_margins(complaint.MARGIN_MM, complaint.MARGIN_MM, complaint.MARGIN_MM)
    pdf.set_auto_page_break(True, margin=complaint.MARGIN_MM)
    pdf.add_font("cjk", fname=str(font))
    return pdf


def _lines(pdf: Any, text: str, *, size: float = complaint.BODY_PT, align: str = "L") -> None:
    from fpdf.enums import XPos, YPos

    pdf.set_font("cjk", size=size)
    for para in text.split("\n"):
        for line in complaint.wrap(para, pdf.epw, pdf.get_string_width):
            pdf.cell(pdf.epw, complaint.LINE_MM, line, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _heading(pdf: Any, item: CaseFileItem) -> None:
    _lines(pdf, item.title, size=16, align="C")
    pdf.ln(2)
    _lines(pdf, f"来源：{item.source}　日期：{china_date(item.at).isoformat()}", size=10, align="C")
    pdf.ln(4)


# --- one item, rendered once (pure: bytes in, bytes out) -------------------------------------------


def render_text(item: CaseFileItem, font: Path) -> bytes:
    """A notice, receipt or record the court wrote: title, source and date, then the text."""
    pdf = _new_pdf(font)
    pdf.add_page()
    _heading(pdf, item)
    _lines(pdf, item.body or "")
    return bytes(pdf.output())


def render_image(item: CaseFileItem, image: bytes, font: Path) -> bytes:
    """A JPEG or PNG on one A4 page, scaled to fit under the item's heading, proportions kept."""
    pdf = _new_pdf(font)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    _heading(pdf, item)
    top = pdf.get_y()
    pdf.image(io.BytesIO(image), x=pdf.l_margin, y=top, w=pdf.epw, h=A4_MM[1] - complaint.MARGIN_MM - top,
              keep_aspect_ratio=True)
    return bytes(pdf.output())


def render_placeholder(item: CaseFileItem, why: str, font: Path) -> bytes:
    """One page for a file that cannot become pages (a Word file, an unreadable PDF)."""
    pdf = _new_pdf(font)
    pdf.add_page()
    _heading(pdf, item)
    _lines(pdf, why)
    return bytes(pdf.output())


def readable_pdf(data: bytes) -> bool:
    """A PDF pypdf can open and count the pages of (an encrypted one only with an empty password)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            return False
        return len(reader.pages) > 0
    except Exception:  # a malformed upload: any parser error means "not readable"
        return False


def render_item(item: CaseFileItem, doc: Optional[Document], data: Optional[bytes], font: Path) -> bytes:
    """The item's own pages."""
    if doc is None:
        return render_text(item, font)
    if data is None:
        return render_placeholder(item, "该材料的文件暂时无法读取，请联系法院。", font)
    if doc.content_type in IMAGE_TYPES:
        try:
            return render_image(item, data, font)
        except Exception:
            log.exception("case file item %s: image could not be placed", item.ref)
    elif doc.content_type == "application/pdf" and readable_pdf(data):
        return data
    return render_placeholder(item, f"本材料为{doc.filename}（{doc.content_type}），无法转换为页面；"
                                    f"原件可在“材料列表”中下载。SHA-256：{doc.sha256}", font)


def page_count(data: bytes) -> int:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt("")
    return len(reader.pages)


# --- storing rendered items -------------------------------------------------------------------


def _read(path: Path) -> Optional[bytes]:
    try:
        return path.read_bytes()
    except OSError:
        return None


async def render_pending(session: AsyncSession, settings: Settings, filing_id: int) -> int:
    """Render and store every item of the filing without pages yet; the number newly stored. Commits.

    The render runs in a thread with no transaction open; the row is then set only where it is
    still empty, so two readers rendering at once store one file (the other is removed).
    """
    pending = list((await session.execute(select(CaseFileItem).where(
        CaseFileItem.filing_id == filing_id, CaseFileItem.storage_path.is_(None)).order_by(CaseFileItem.seq))).scalars())
    if not pending:
        return 0
    font = _font(settings)
    docs = {d.public_id: d for d in (await session.execute(select(Document).where(
        Document.public_id.in_([i.document_id for i in pending if i.document_id])))).scalars()}
    await session.commit()  # nothing held while rendering
    stored = 0
    for item in pending:
        doc = docs.get(item.document_id) if item.document_id else None
        data = None
        if doc is not None:
            try:
                data = await asyncio.to_thread(_read, stored_path(settings, doc.storage_path))
            except ValueError:
                data = None
        pdf = await asyncio.to_thread(render_item, item, doc, data, font)
        pages = await asyncio.to_thread(page_count, pdf)
        temp = await asyncio.to_thread(_write_temp, incoming_dir(settings), pdf)
        key = secrets.token_hex(16)
        storage = f"casefile/{key[:2]}/{key}.pdf"
        final = settings.upload_dir / storage
        await asyncio.to_thread(place, temp, final)
        try:
            result = await session.execute(
                update(CaseFileItem).where(CaseFileItem.id == item.id, CaseFileItem.storage_path.is_(None))
                .values(storage_path=storage, pages=pages, sha256=hashlib.sha256(pdf).hexdigest())
                .execution_options(synchronize_session=False))
            await session.commit()
        except BaseException:
            discard(final)
            raise
        if result.rowcount == 0:
            discard(final)  # someone else stored it first
        else:
            stored += 1
    return stored


# --- assembling a copy ------------------------------------------------------------------------


def catalogue_pages(count: int) -> int:
    return max(1, math.ceil(count / CATALOGUE_ROWS))


def stamp_text(page: int, total: int) -> str:
    return f"卷宗第 {page} 页 共 {total} 页"


def _front(head: Head, rows: list[dict[str, Any]], sizes: list[tuple[float, float]], font: Path) -> bytes:
    """The catalogue pages followed by one transparent stamp page per item page (sizes in points).

    One fpdf2 document, so the font is parsed once per assembly.
    """
    from fpdf.enums import XPos, YPos

    total = len(sizes)
    n_cat = catalogue_pages(len(rows))
    pdf = _new_pdf(font)
    pdf.set_auto_page_break(False)
    widths = (12, 74, 22, 30, 22)  # 序号 题名 日期 来源 页码: 160 mm = A4 less the margins
    for page_no in range(n_cat):
        pdf.add_page()
        _stamp(pdf, page_no + 1, total, A4_MM[0])
        pdf.set_y(complaint.MARGIN_MM)
        _lines(pdf, "卷宗目录", size=18, align="C")
        head_lines = [f"立案申请号：{head.filing_number}" + (f"　案号：{head.case_number}" if head.case_number else ""),
                      f"法院：{head.court_name}　案由：{head.case_type}",
                      f"{COPY_LABELS[head.copy]}　生成时间：{head.generated_at.astimezone(CHINA_TZ):%Y-%m-%d %H:%M}"]
        _lines(pdf, "\n".join(head_lines), size=9)
        pdf.ln(2)
        pdf.set_font("cjk", size=10)
        for text, w in zip(("序号", "题名", "日期", "来源", "页码"), widths):
            pdf.cell(w, 8, text, border=1, align="C")
        pdf.ln(8)
        pdf.set_font("cjk", size=9)
        for row in rows[page_no * CATALOGUE_ROWS:(page_no + 1) * CATALOGUE_ROWS]:
            pages = (f"{row['page_from']}" if row["page_from"] == row["page_to"]
                     else f"{row['page_from']}-{row['page_to']}")
            cells = (str(row["no"]), row["title"], row["date"], row["source"], pages)
            for text, w in zip(cells, widths):
                pdf.cell(w, 8, _fit(pdf, text, w - 2), border=1, align="L" if w >= 30 else "C")
            pdf.ln(8)
        pdf.set_xy(pdf.l_margin, pdf.get_y() + 2)
        if page_no == n_cat - 1:
            pdf.cell(0, 6, f"共 {len(rows)} 件，{total} 页。", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for index, (w_pt, h_pt) in enumerate(sizes[n_cat:], start=n_cat + 1):
        pdf.add_page(format=(w_pt * 25.4 / 72, h_pt * 25.4 / 72))
        _stamp(pdf, index, total, w_pt * 25.4 / 72)
    return bytes(pdf.output())


def _fit(pdf: Any, text: str, width: float) -> str:
    """The text, cut with … to fit one catalogue cell."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _stamp(pdf: Any, page: int, total: int, page_width_mm: float) -> None:
    pdf.set_font("cjk", size=9)
    pdf.set_xy(page_width_mm - 70, 8)
    pdf.cell(60, 6, stamp_text(page, total), align="R")


def assemble(head: Head, items: list[CaseFileItem], item_pdfs: list[bytes], font: Path) -> bytes:
    """The copy: catalogue, then each item's stored pages, every page stamped 卷宗第 N 页 共 M 页."""
    from pypdf import PdfReader, PdfWriter

    readers = [PdfReader(io.BytesIO(data)) for data in item_pdfs]
    for reader in readers:
        if reader.is_encrypted:
            reader.decrypt("")
    n_cat = catalogue_pages(len(items))
    rows = catalogue(items, first_page=n_cat + 1)
    writer = PdfWriter()
    sizes: list[tuple[float, float]] = [(595.28, 841.89)] * n_cat
    for reader in readers:
        writer.append(reader)
    for page in writer.pages:
        page.transfer_rotation_to_content()
        sizes.append((float(page.mediabox.width), float(page.mediabox.height)))
    front = PdfReader(io.BytesIO(_front(head, rows, sizes, font)))
    for i, page in enumerate(writer.pages):
        page.merge_translated_page(front.pages[n_cat + i], float(page.mediabox.left), float(page.mediabox.bottom))
    for i in range(n_cat):
        writer.insert_page(front.pages[i], index=i)
    writer.add_metadata({"/Title": f"电子卷宗 {head.case_number or head.filing_number}", "/Creator": "court backend"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


async def build_copy(session: AsyncSession, settings: Settings, head: Head, items: list[CaseFileItem]) -> bytes:
    """Read the stored item PDFs and assemble the copy (in a thread)."""
    font = _font(settings)
    paths = [stored_path(settings, i.storage_path) for i in items if i.storage_path]
    if len(paths) != len(items):
        raise Unavailable("case_file_pending", "电子卷宗正在生成，请稍后再试。")
    datas = [await asyncio.to_thread(_read, p) for p in paths]
    if any(d is None for d in datas):
        log.error("case file of %s: a stored item file is missing", head.filing_number)
        raise Unavailable("case_file_missing", "电子卷宗的部分材料暂时无法读取，请联系法院。")
    return await asyncio.to_thread(assemble, head, items, [d for d in datas if d is not None], font)


async def ready(session: AsyncSession, settings: Settings, filing: Filing, copy: str,
                at: datetime) -> tuple[list[CaseFileItem], Head]:
    """File anything missing (committed), render what has no pages yet, and read the copy's items."""
    await case_file.sync(session, filing.id)
    await session.commit()
    await render_pending(session, settings, filing.id)
    items = await case_file.items_of(session, filing.id, copy)
    case_number = (await case_numbers_of(session, [filing.id])).get(filing.id)
    await session.commit()  # no transaction (on SQLite: no writer lock) held while the copy is assembled
    return items, Head(filing_number=filing.number or "", case_number=case_number, court_name=filing.court_name,
                       case_type=filing.case_type, copy=copy, generated_at=at)


def catalogue_of(items: list[CaseFileItem]) -> tuple[list[dict[str, Any]], int]:
    """The catalogue rows as they appear in the assembled copy, and its total page count."""
    n_cat = catalogue_pages(len(items))
    return catalogue(items, first_page=n_cat + 1), n_cat + sum(i.pages or 0 for i in items)


def filename(head: Head) -> str:
    return f"电子卷宗-{head.filing_number}{'' if head.copy == FULL else '-当事人副本'}.pdf"
