"""court/infra/uploads.py without a server: content sniffing, DOCX check, file names, the streaming form sink.

Also the tiny *real* files the API tests upload (a PDF, a PNG, a JPEG, a DOCX): `sample_files()`.
"""
from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from python_multipart.multipart import MultipartParser, MultipartState

from court.infra.errors import status_of
from court.infra.uploads import (
    DOCX, JPEG, PDF, PNG, FormSink, clean_filename, decode_header_text, is_docx, size_label, sniff,
)
from court.services.documents import content_disposition
from court.services.errors import DomainError

# --- tiny real files --------------------------------------------------------------------------

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

# A 1x1 grey baseline JPEG, built by hand: JFIF, one quantisation table, one-code Huffman tables,
# a single block whose DC difference is 0 followed by EOB (decodes to grey 128).
JPEG_BYTES = bytes.fromhex(
    "FFD8" "FFE000104A46494600010100000100010000"
    "FFDB004300" + "01" * 64
    + "FFC0000B080001000101011100"
    "FFC4001400" "01" + "00" * 15 + "00"
    "FFC4001410" "01" + "00" * 15 + "00"
    "FFDA0008010100003F00" "3F" "FFD9"
)

EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 50 + b"This program cannot be run in DOS mode."


def png_bytes(width: int = 1, height: int = 1) -> bytes:
    """A real RGB PNG (signature, IHDR, IDAT, IEND with CRCs)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def docx_bytes(text: str = "起诉状") -> bytes:
    """A minimal Word document: [Content_Types].xml, the package relationship and word/document.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>'))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'))
        z.writestr("word/document.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>'))
    return out.getvalue()


def plain_zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("readme.txt", "not a word document")
    return out.getvalue()


# --- sniffing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("data, expected", [
    (PDF_BYTES, PDF), (JPEG_BYTES, JPEG), (png_bytes(), PNG), (docx_bytes(), DOCX),
    (EXE_BYTES, None), (b"<html><body>", None), (b"", None), (b"%PD", None), (b"GIF89a", None),
])
def test_sniff_by_magic_bytes(data: bytes, expected) -> None:
    assert sniff(data[:8]) is expected


def test_docx_needs_content_types_and_a_word_part(tmp_path: Path) -> None:
    good, plain, broken = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    good.write_bytes(docx_bytes())
    plain.write_bytes(plain_zip_bytes())
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    assert is_docx(good)
    assert not is_docx(plain)  # a ZIP, but not a Word document
    assert not is_docx(broken)


# --- file names -------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, ftype, expected", [
    ("起诉状.pdf", PDF, "起诉状.pdf"),
    ("../../etc/passwd", PDF, "passwd.pdf"),
    ("..\\..\\windows\\system32\\起诉状.pdf", PDF, "起诉状.pdf"),
    ("C:\\Users\\张三\\Desktop\\借条.JPG", JPEG, "借条.jpg"),
    ("/var/www/html/shell.php", PNG, "shell.php.png"),
    ("证据\u202egnp.exe", PNG, "证据gnp.exe.png"),  # RIGHT-TO-LEFT OVERRIDE removed
    ("a\x00b\r\nc\t.pdf", PDF, "abc.pdf"),
    ("..", PDF, "未命名文件.pdf"),
    ("", DOCX, "未命名文件.docx"),
    ("   .hidden.pdf  ", PDF, "hidden.pdf"),
    ("扫描件.pdf", PNG, "扫描件.png"),  # the real type's extension
    ("照片.jpeg", JPEG, "照片.jpeg"),
    ("合同 第2版", DOCX, "合同 第2版.docx"),
    ('a<b>c:"d"|e?f*.pdf', PDF, "a_b_c__d__e_f_.pdf"),
    ("CON.pdf", PDF, "_CON.pdf"),
    ("%E8%AF%81%E6%8D%AE.png", PNG, "证据.png"),  # percent-encoded by the client (aiohttp does this)
    ("100%.pdf", PDF, "100%.pdf"),
])
def test_clean_filename(raw: str, ftype, expected: str) -> None:
    assert clean_filename(raw, ftype) == expected


def test_clean_filename_limits_the_length_and_keeps_chinese() -> None:
    name = clean_filename("证" * 300 + ".pdf", PDF)
    assert name == "证" * 100 + ".pdf"


def test_header_text_utf8_then_gb18030() -> None:
    assert decode_header_text("起诉状.pdf".encode()) == "起诉状.pdf"
    assert decode_header_text("起诉状.pdf".encode("gbk")) == "起诉状.pdf"


def test_content_disposition_has_ascii_fallback_and_rfc5987_name() -> None:
    assert content_disposition("起诉状.pdf") == (
        "attachment; filename=\"document.pdf\"; filename*=UTF-8''%E8%B5%B7%E8%AF%89%E7%8A%B6.pdf"
    )
    assert content_disposition('evidence "1".png') == (
        "attachment; filename=\"evidence 1.png\"; filename*=UTF-8''evidence%20%221%22.png"
    )


def test_size_label() -> None:
    assert size_label(20 * 1024 * 1024) == "20 MB"
    assert size_label(64 * 1024) == "64 KB"
    assert size_label(1000) == "1000 字节"


# --- the streaming sink -----------------------------------------------------------------------


def multipart(parts: list[tuple[str, str | None, bytes]], boundary: str = "XyZ") -> bytes:
    out = b""
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
        out += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode()
        if filename is not None:
            out += b"Content-Type: application/octet-stream\r\n"
        out += b"\r\n" + data + b"\r\n"
    return out + f"--{boundary}--\r\n".encode()


def feed(body: bytes, tmp_path: Path, step: int, max_bytes: int = 1024 * 1024) -> FormSink:
    sink = FormSink(file_field="file", text_fields=("kind", "description"), max_bytes=max_bytes,
                    temp_path=tmp_path / "t.part")
    parser = MultipartParser(b"XyZ", sink.callbacks())
    try:
        for i in range(0, len(body), step):
            parser.write(body[i:i + step])
        assert parser.state == MultipartState.END
        sink.flush_and_close()
    finally:
        sink.close()
    return sink


@pytest.mark.parametrize("step", [1, 7, 4096])
def test_sink_writes_the_file_whatever_the_chunking(tmp_path: Path, step: int) -> None:
    data = png_bytes(40, 40)
    body = multipart([("kind", None, b"lead"), ("file", "图.png", data), ("description", None, "借条".encode())])
    sink = feed(body, tmp_path, step)
    assert (tmp_path / "t.part").read_bytes() == data
    assert sink.size == len(data) and sink.hash.hexdigest() == hashlib.sha256(data).hexdigest()
    assert sink.file_type is PNG and sink.raw_filename == "图.png"
    assert sink.fields == {"kind": "lead", "description": "借条"}


def test_sink_stops_at_the_limit(tmp_path: Path) -> None:
    body = multipart([("file", "a.pdf", PDF_BYTES + b"0" * 5000)])
    with pytest.raises(DomainError) as err:
        feed(body, tmp_path, 1024, max_bytes=4096)
    assert status_of(err.value) == 413


def test_sink_refuses_an_executable_after_its_first_bytes(tmp_path: Path) -> None:
    body = multipart([("file", "a.pdf", EXE_BYTES + b"\x00" * 100_000)])
    sink = FormSink(file_field="file", text_fields=(), max_bytes=1 << 20, temp_path=tmp_path / "t.part")
    parser = MultipartParser(b"XyZ", sink.callbacks())
    with pytest.raises(DomainError) as err:
        for i in range(0, len(body), 512):
            parser.write(body[i:i + 512])
    sink.close()
    assert status_of(err.value) == 415
    assert sink.size < 2048  # refused long before the end


@pytest.mark.parametrize("parts, code", [
    ([("file", "a.pdf", PDF_BYTES), ("file", "b.pdf", PDF_BYTES)], "duplicate_field"),
    ([("amount", None, b"1"), ("file", "a.pdf", PDF_BYTES)], "unknown_field"),
    ([("file", "a.pdf", b"")], "empty_file"),
    ([("kind", None, b"x" * 5000), ("file", "a.pdf", PDF_BYTES)], "field_too_long"),
])
def test_sink_refusals(tmp_path: Path, parts, code: str) -> None:
    with pytest.raises(DomainError) as err:
        feed(multipart(parts), tmp_path, 4096)
    assert err.value.code == code and status_of(err.value) == 400
