"""Receiving one uploaded file: streamed multipart parsing, a size limit while streaming, type by content.

Nothing here trusts the client: the file type comes from the bytes (magic numbers, and for DOCX
the ZIP directory), never from the file name or the declared Content-Type; the size limit is
enforced while the body streams in, so a 2 GB upload costs at most `max_bytes` of disk; the file
name is only ever a label (sanitised), the stored file gets a random name.

The body is parsed with python-multipart's streaming `MultipartParser` fed from
`court.infra.body.chunks` (read with deadlines), never `request.post()` (which buffers the whole body in memory).
"""
from __future__ import annotations

import asyncio
import hashlib
import os
import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional
from urllib.parse import unquote

from aiohttp import web
from python_multipart.multipart import MultipartParser, MultipartState, parse_options_header

from court.infra.body import chunks
from court.services.errors import DomainError, InvalidRequest, TooLarge, UnsupportedMediaType


CHUNK = 64 * 1024
# Room for the multipart framing and the small text fields around the file.
FORM_OVERHEAD = 64 * 1024
TEXT_FIELD_MAX = 2048
FILENAME_MAX_CHARS = 100
SNIFF_BYTES = 8


@dataclass(frozen=True)
class FileType:
    """A document type the court accepts (GetPolicy lists these)."""

    code: str
    content_type: str
    extensions: tuple[str, ...]  # the first one is used when the name's extension is wrong
    label: str


PDF = FileType("pdf", "application/pdf", ("pdf",), "PDF 文档")
JPEG = FileType("jpeg", "image/jpeg", ("jpg", "jpeg"), "JPEG 图片")
PNG = FileType("png", "image/png", ("png",), "PNG 图片")
DOCX = FileType(
    "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",), "Word 文档（.docx）"
)
ACCEPTED: tuple[FileType, ...] = (PDF, JPEG, PNG, DOCX)
BY_CONTENT_TYPE = {t.content_type: t for t in ACCEPTED}
_ALL_EXTENSIONS = frozenset(ext for t in ACCEPTED for ext in t.extensions)

ZIP_MAGIC = b"PK\x03\x04"
_MAGIC: tuple[tuple[bytes, FileType], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)

UNSUPPORTED_MESSAGE = "系统无法识别您上传的文件类型。目前仅接受 PDF、JPG、PNG 图片和 Word（.docx）文件，请转换后再上传。"


def unsupported() -> DomainError:
    return UnsupportedMediaType("unsupported_file_type", UNSUPPORTED_MESSAGE, "file")


def too_large(max_bytes: int) -> DomainError:
    return TooLarge("file_too_large", f"文件超过了 {size_label(max_bytes)} 的上限，请压缩或拆分后再上传。", "file")


def size_label(n: int) -> str:
    """20971520 → '20 MB' (for messages and GetPolicy)."""
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KB"
    return f"{n} 字节"


def sniff(head: bytes) -> Optional[FileType]:
    """The type announced by the first bytes; DOCX only as a candidate (see `is_docx`). None: refuse."""
    for magic, ftype in _MAGIC:
        if head.startswith(magic):
            return ftype
    if head.startswith(ZIP_MAGIC):
        return DOCX
    return None


def is_docx(path: Path) -> bool:
    """A ZIP whose directory has `[Content_Types].xml` and a `word/` part; nothing is extracted."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)


_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")


def clean_filename(raw: str, ftype: FileType, limit: int = FILENAME_MAX_CHARS) -> str:
    """A safe display name: no path, no control or bidi characters, Chinese kept, the real type's extension.

    Some clients (aiohttp, HTML5 forms for `"`) percent-encode the name: an ASCII name with %XX
    escapes that decode to UTF-8 is decoded. The extension is made to match the detected type, so
    that a PNG sent as `扫描件.pdf` is offered back as `扫描件.png`.
    """
    name = raw
    if name.isascii() and _PERCENT.search(name):
        try:
            name = unquote(name, encoding="utf-8", errors="strict")
        except UnicodeDecodeError:
            pass
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[\\/]", name)[-1]  # only the last path component: no ../, no C:\
    name = "".join(_visible(ch) for ch in name)
    name = _FORBIDDEN.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if ext.lower() in ftype.extensions:
        ext = ext.lower()
    elif ext.lower() in _ALL_EXTENSIONS or not ext or len(ext) > 8:
        ext = ftype.extensions[0]
    else:  # 合同.v2 → 合同.v2.pdf: keep what the litigant wrote, add the real extension
        stem, ext = name, ftype.extensions[0]
    stem = stem.strip(" .")[:limit].strip(" .")
    if not stem:
        stem = "未命名文件"
    if _WINDOWS_RESERVED.match(stem):
        stem = f"_{stem}"
    return f"{stem}.{ext}"


def _visible(ch: str) -> str:
    """Drop control, format (bidi overrides, zero-width), private and unassigned characters; spaces → ' '."""
    category = unicodedata.category(ch)
    if category.startswith("C") or category in ("Zl", "Zp"):
        return ""
    return " " if category == "Zs" else ch


def decode_header_text(raw: bytes) -> str:
    """Part header bytes as text: UTF-8 (browsers), else GB18030 (older Chinese Windows clients)."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


@dataclass
class Upload:
    """The received file (in a temp file, fsynced) and the text fields beside it."""

    temp_path: Path
    size: int
    sha256: str
    file_type: FileType
    filename: str
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    name: str = ""
    is_file: bool = False
    value: bytearray = field(default_factory=bytearray)


class FormSink:
    """Receives python-multipart's callbacks; writes the `file` part to disk, checking as it goes.

    Raising a DomainError from a callback aborts parsing at once (the caller deletes the temp file).
    """

    def __init__(self, *, file_field: str, text_fields: tuple[str, ...], max_bytes: int, temp_path: Path,
                 over_limit: Optional[DomainError] = None) -> None:
        self.file_field, self.text_fields, self.max_bytes = file_field, text_fields, max_bytes
        self.over_limit = over_limit or too_large(max_bytes)
        self.temp_path = temp_path
        self.fields: dict[str, str] = {}
        self.raw_filename: Optional[str] = None
        self.size = 0
        self.hash = hashlib.sha256()
        self.head = b""
        self.file_type: Optional[FileType] = None
        self.file_seen = False
        self._file = None
        self._part: Optional[_Part] = None
        self._hname = bytearray()
        self._hvalue = bytearray()

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": lambda d, s, e: self._hname.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self._hvalue.extend(d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self._part = _Part()

    def _header_end(self) -> None:
        assert self._part is not None
        self._part.headers[bytes(self._hname).strip().lower()] = bytes(self._hvalue).strip()
        self._hname.clear()
        self._hvalue.clear()

    def _headers_finished(self) -> None:
        part = self._part
        assert part is not None
        disposition, options = parse_options_header(part.headers.get(b"content-disposition", b""))
        if disposition != b"form-data" or b"name" not in options:
            raise InvalidRequest("malformed_multipart", "上传内容的格式不正确，请重新选择文件后上传。")
        part.name = decode_header_text(options[b"name"])
        if part.name == self.file_field:
            if self.file_seen:
                raise InvalidRequest("duplicate_field", "每次请只上传一个文件。", self.file_field)
            self.file_seen = True
            part.is_file = True
            self.raw_filename = decode_header_text(options.get(b"filename", b""))
            self._file = open(self.temp_path, "xb")
        elif part.name in self.text_fields:
            if part.name in self.fields:
                raise InvalidRequest("duplicate_field", f"字段“{part.name}”只能填写一次。", part.name)
        else:
            raise InvalidRequest("unknown_field", f"不支持的字段“{part.name[:40]}”，请删除后重试。", part.name[:40])

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        part = self._part
        assert part is not None
        if not part.is_file:
            part.value.extend(data[start:end])
            if len(part.value) > TEXT_FIELD_MAX:
                raise InvalidRequest("field_too_long", f"字段“{part.name}”的内容过长。", part.name)
            return
        chunk = data[start:end]
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise self.over_limit
        if self.file_type is None:
            self.head += chunk[: SNIFF_BYTES - len(self.head)]
            if len(self.head) >= SNIFF_BYTES:
                self._sniff()
        self.hash.update(chunk)
        self._file.write(chunk)

    def _sniff(self) -> None:
        self.file_type = sniff(self.head)
        if self.file_type is None:
            raise unsupported()  # early: no need to receive the rest of an .exe

    def _part_end(self) -> None:
        part = self._part
        assert part is not None
        if part.is_file:
            if self.size == 0:
                raise InvalidRequest("empty_file", "您上传的文件是空的，请检查后重新上传。", self.file_field)
            if self.file_type is None:
                self._sniff()
        else:
            try:
                self.fields[part.name] = part.value.decode("utf-8")
            except UnicodeDecodeError:
                raise InvalidRequest("invalid_encoding", f"字段“{part.name}”应为 UTF-8 文本。", part.name) from None
        self._part = None

    def flush_and_close(self) -> None:
        """Make the bytes durable before the file is renamed into place."""
        if self._file is not None and not self._file.closed:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()

    def close(self) -> None:
        if self._file is not None and not self._file.closed:
            self._file.close()


def boundary_of(request: web.Request) -> bytes:
    """The multipart boundary, or 415 when the body is not multipart/form-data."""
    ctype, options = parse_options_header(request.headers.get("Content-Type", ""))
    boundary = options.get(b"boundary", b"")
    if ctype != b"multipart/form-data" or not (1 <= len(boundary) <= 70):
        raise UnsupportedMediaType("unsupported_media_type", "请以 multipart/form-data 格式上传文件（文件字段名为 file）。")
    return boundary


async def receive_file(
    request: web.Request,
    *,
    temp_dir: Path,
    max_bytes: int,
    file_field: str = "file",
    text_fields: tuple[str, ...] = (),
    over_limit: Optional[DomainError] = None,
) -> Upload:
    """Stream the multipart body into a temp file in `temp_dir`; refuse as early as the bytes allow.

    `over_limit` is the refusal for more than `max_bytes` (default: the per-file message); a caller
    whose limit is what is left of a quota says so.

    On any refusal (or a dropped connection) the partial temp file is deleted before the error
    leaves. On success the caller owns `Upload.temp_path` (rename it into place, or delete it).
    """
    boundary = boundary_of(request)
    over_limit = over_limit or too_large(max_bytes)
    if request.content_length is not None and request.content_length > max_bytes + FORM_OVERHEAD:
        raise over_limit
    temp_dir.mkdir(parents=True, exist_ok=True)
    temp_path = temp_dir / f"{secrets.token_hex(16)}.part"
    sink = FormSink(file_field=file_field, text_fields=text_fields, max_bytes=max_bytes, temp_path=temp_path,
                    over_limit=over_limit)
    parser = MultipartParser(boundary, sink.callbacks())
    received = 0
    try:
        async for chunk in chunks(request, CHUNK):  # 408 for a stalled or crawling client
            received += len(chunk)
            if received > max_bytes + FORM_OVERHEAD:
                raise over_limit
            parser.write(chunk)
            if parser.state == MultipartState.END:
                break
        if parser.state != MultipartState.END:
            raise InvalidRequest("malformed_multipart", "上传内容不完整，请检查网络后重新上传。")
        if not sink.file_seen:
            raise InvalidRequest("missing_field", "请选择要上传的文件（字段 file）。", file_field)
        await asyncio.to_thread(sink.flush_and_close)
        assert sink.file_type is not None
        if sink.file_type is DOCX and not await asyncio.to_thread(is_docx, temp_path):
            raise unsupported()
        return Upload(
            temp_path=temp_path,
            size=sink.size,
            sha256=sink.hash.hexdigest(),
            file_type=sink.file_type,
            filename=clean_filename(sink.raw_filename or "", sink.file_type),
            fields=sink.fields,
        )
    except BaseException:
        sink.close()
        discard(temp_path)
        raise


def discard(path: Path) -> None:
    """Delete a file if it is there (a partial upload, or a placed file whose transaction failed)."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def place(temp_path: Path, final_path: Path) -> None:
    """Atomically give a durable temp file its final name (same filesystem), never replacing a file.

    A hard link then unlink is atomic and fails if the name exists (os.replace would silently
    overwrite another document); where hard links are not supported, fall back to a rename.
    """
    final_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(temp_path, final_path)
    except FileExistsError:
        raise
    except OSError:
        if final_path.exists():
            raise FileExistsError(final_path) from None
        os.replace(temp_path, final_path)
    else:
        temp_path.unlink()
    _fsync_dir(final_path.parent)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # not possible on every platform; the rename itself is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
