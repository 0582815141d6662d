"""Documents API on SQLite and PostgreSQL: upload (streamed), list, download (GetDocument).

Litigants, staff, filings and tokens are made directly through the models (court.api.auth.issue_token),
so these tests depend only on the token format, not on the identity or filing endpoints.
"""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from court.api.auth import issue_token
from court.infra.app_keys import SESSIONMAKER
from court.infra.config import Settings
from court.infra.models import Filing, Litigant, Staff, utcnow
from court.services import documents as documents_module

sys.path.insert(0, str(Path(__file__).parent))
from test_uploads import EXE_BYTES, JPEG_BYTES, PDF_BYTES, docx_bytes, plain_zip_bytes, png_bytes  # noqa: E402

MAX = 64 * 1024
BOUNDARY = "----court-test-boundary-7MA4YWxkTrZu0gW"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """A 64 KB upload limit, so that "too large" needs no 20 MB body."""
    return Settings(dev_mode=True, database_url=db_url, upload_dir=tmp_path / "uploads", upload_max_bytes=MAX, upload_max_files=5)


# --- helpers ------------------------------------------------------------------------------------


async def add_litigant(app, id_number: str = "11010519491231002X", phone: str = "13800138000") -> tuple[int, str]:
    async with app[SESSIONMAKER]() as session:
        litigant = Litigant(name="张三", id_number=id_number, phone=phone, created_at=utcnow())
        session.add(litigant)
        await session.flush()
        token, _ = await issue_token(session, at=utcnow(), litigant=litigant)
        await session.commit()
        return litigant.id, token


async def add_staff(app, username: str = "clerk1", court_code: str | None = "京0105", role: str = "clerk") -> str:
    async with app[SESSIONMAKER]() as session:
        staff = Staff(username=username, display_name="王书记员", password_hash="-", role=role,
                      court_code=court_code, active=True, created_at=utcnow())
        session.add(staff)
        await session.flush()
        token, _ = await issue_token(session, at=utcnow(), staff=staff)
        await session.commit()
        return token


_numbers = iter(range(1, 10_000))


async def add_filing(app, litigant_id: int, status: str = "pending_review", court_code: str = "京0105") -> str:
    number = f"LA20260301{next(_numbers):06d}"
    async with app[SESSIONMAKER]() as session:
        session.add(Filing(number=number, status=status, case_type="民间借贷纠纷", court_code=court_code,
                           court_name="北京市朝阳区人民法院", facts="借款未还。", litigant_id=litigant_id,
                           created_at=utcnow(), updated_at=utcnow()))
        await session.commit()
    return number


def form(file: tuple[str, str, bytes] | None, **fields: str) -> bytes:
    """A multipart/form-data body; `file` is (file name, declared content type, bytes). Names go raw UTF-8."""
    out = b""
    for name, value in fields.items():
        out += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n').encode()
    if file is not None:
        filename, ctype, data = file
        out += (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                f"Content-Type: {ctype}\r\n\r\n").encode() + data + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


def headers(token: str | None) -> dict[str, str]:
    out = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    if token:
        out["Authorization"] = f"Bearer {token}"
    return out


async def upload(client, number: str, token: str | None, file, **fields):
    return await client.post(f"/api/v1/filings/{number}/documents", data=form(file, **fields), headers=headers(token))


def files_on_disk(settings: Settings) -> list[Path]:
    return sorted(p for p in settings.upload_dir.rglob("*") if p.is_file()) if settings.upload_dir.exists() else []


@pytest.fixture
async def owner(client):
    litigant_id, token = await add_litigant(client.app)
    number = await add_filing(client.app, litigant_id)
    return number, token


# --- uploads ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, declared, data, content_type, stored_name", [
    ("起诉状.pdf", "application/pdf", PDF_BYTES, "application/pdf", "起诉状.pdf"),
    ("借条.jpg", "image/jpeg", JPEG_BYTES, "image/jpeg", "借条.jpg"),
    ("转账记录.png", "image/png", png_bytes(8, 8), "image/png", "转账记录.png"),
    ("证据目录.docx", DOCX_TYPE, docx_bytes(), DOCX_TYPE, "证据目录.docx"),
])
async def test_upload_and_download_each_type(client, db_rows, settings, owner, name, declared, data, content_type,
                                             stored_name):
    number, token = owner
    resp = await upload(client, number, token, (name, declared, data), kind="evidence", description="借款  凭证")
    assert resp.status == 201, await resp.text()
    doc = await resp.json()
    sha = hashlib.sha256(data).hexdigest()
    assert doc["content_type"] == content_type and doc["filename"] == stored_name
    assert doc["size"] == len(data) and doc["sha256"] == sha
    assert doc["kind"] == "evidence" and doc["kind_label"] == "证据材料" and doc["description"] == "借款 凭证"

    rows = await db_rows("SELECT public_id, filename, content_type, size, sha256, storage_path FROM documents")
    assert [r[:5] for r in rows] == [(doc["id"], stored_name, content_type, len(data), sha)]
    stored = settings.upload_dir / rows[0][5]
    assert files_on_disk(settings) == [stored] and stored.read_bytes() == data
    assert name not in rows[0][5]  # stored under a random name
    events = await db_rows("SELECT action, actor FROM events")
    assert events == [("document_uploaded", events[0][1])] and events[0][1].startswith("litigant:")

    got = await client.get(doc["download_url"], headers={"Authorization": f"Bearer {token}"})
    assert got.status == 200
    body = await got.read()
    assert body == data and hashlib.sha256(body).hexdigest() == sha
    assert got.headers["Content-Type"] == content_type
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    disposition = got.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert unquote(disposition.split("filename*=UTF-8''", 1)[1]) == stored_name


async def test_exe_renamed_pdf_is_refused_and_nothing_is_kept(client, db_rows, settings, owner):
    number, token = owner
    resp = await upload(client, number, token, ("起诉状.pdf", "application/pdf", EXE_BYTES))
    assert resp.status == 415
    body = await resp.json()
    assert body["error"] == "unsupported_file_type" and "PDF" in body["message"]
    assert await db_rows("SELECT count(*) FROM documents") == [(0,)]
    assert await db_rows("SELECT count(*) FROM events") == [(0,)]
    assert files_on_disk(settings) == []


async def test_zip_that_is_not_a_word_document_is_refused(client, db_rows, settings, owner):
    number, token = owner
    resp = await upload(client, number, token, ("合同.docx", DOCX_TYPE, plain_zip_bytes()))
    assert resp.status == 415
    assert files_on_disk(settings) == [] and await db_rows("SELECT count(*) FROM documents") == [(0,)]


async def test_png_declared_as_pdf_is_stored_as_png(client, owner):
    number, token = owner
    resp = await upload(client, number, token, ("扫描件.pdf", "application/pdf", png_bytes()))
    assert resp.status == 201
    doc = await resp.json()
    assert doc["content_type"] == "image/png" and doc["filename"] == "扫描件.png"
    got = await client.get(doc["download_url"], headers={"Authorization": f"Bearer {token}"})
    assert got.headers["Content-Type"] == "image/png"


async def test_oversize_declared_length_is_refused_without_a_trace(client, db_rows, settings, owner):
    number, token = owner
    big = PDF_BYTES + b"0" * (2 * MAX)
    resp = await upload(client, number, token, ("大文件.pdf", "application/pdf", big))
    assert resp.status == 413
    assert (await resp.json())["error"] == "file_too_large"
    assert files_on_disk(settings) == []
    assert await db_rows("SELECT count(*) FROM documents") == [(0,)]


async def test_oversize_stream_is_cut_at_the_limit(client, db_rows, settings, owner):
    """Chunked, no Content-Length: the limit is enforced while streaming and the partial file deleted."""
    number, token = owner
    body = form(("大文件.pdf", "application/pdf", PDF_BYTES + b"0" * (MAX + 1)))

    async def chunks():
        for i in range(0, len(body), 8192):
            yield body[i:i + 8192]

    resp = await client.post(f"/api/v1/filings/{number}/documents", data=chunks(), headers=headers(token))
    assert resp.status == 413
    assert files_on_disk(settings) == []
    assert await db_rows("SELECT count(*) FROM documents") == [(0,)]


async def test_exactly_the_limit_is_accepted(client, owner):
    number, token = owner
    data = PDF_BYTES + b"0" * (MAX - len(PDF_BYTES))
    resp = await upload(client, number, token, ("刚好.pdf", "application/pdf", data))
    assert resp.status == 201 and (await resp.json())["size"] == MAX


@pytest.mark.parametrize("raw, expected", [
    ("../../../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\Windows\\System32\\起诉状.pdf", "起诉状.pdf"),
    ("/tmp/evil\u202efdp.exe", "evilfdp.exe.pdf"),
    ("....", "未命名文件.pdf"),
])
async def test_path_traversal_names_are_sanitised(client, db_rows, settings, owner, raw, expected):
    number, token = owner
    resp = await upload(client, number, token, (raw, "application/pdf", PDF_BYTES))
    assert resp.status == 201
    assert (await resp.json())["filename"] == expected
    (storage_path,) = (await db_rows("SELECT storage_path FROM documents"))[0]
    stored = (settings.upload_dir / storage_path).resolve()
    assert settings.upload_dir.resolve() in stored.parents
    assert [p.name for p in files_on_disk(settings)] == [stored.name]


async def test_another_litigants_filing_is_404(client, db_rows, settings, owner):
    number, _token = owner
    _other_id, other_token = await add_litigant(client.app, "440524188001010014", "13900139000")
    resp = await upload(client, number, other_token, ("a.pdf", "application/pdf", PDF_BYTES))
    assert resp.status == 404
    listed = await client.get(f"/api/v1/filings/{number}/documents", headers={"Authorization": f"Bearer {other_token}"})
    assert listed.status == 404
    assert files_on_disk(settings) == [] and await db_rows("SELECT count(*) FROM documents") == [(0,)]


async def test_no_token_is_401_and_unknown_filing_404(client, owner):
    number, token = owner
    assert (await upload(client, number, None, ("a.pdf", "application/pdf", PDF_BYTES))).status == 401
    assert (await upload(client, "LA20990101999999", token, ("a.pdf", "application/pdf", PDF_BYTES))).status == 404


async def test_documents_are_readable_by_owner_and_staff_of_the_court_only(client, owner):
    number, token = owner
    doc = await (await upload(client, number, token, ("起诉状.pdf", "application/pdf", PDF_BYTES), kind="lead")).json()
    other_id, other_token = await add_litigant(client.app, "440524188001010014", "13900139000")
    clerk = await add_staff(client.app, "clerk1", "京0105")
    elsewhere = await add_staff(client.app, "clerk2", "京0108")
    admin = await add_staff(client.app, "admin1", None, role="admin")

    def auth(t: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {t}"}

    assert (await client.get(doc["download_url"], headers=auth(other_token))).status == 404
    assert (await client.get(doc["download_url"], headers=auth(elsewhere))).status == 404
    assert (await client.get(doc["download_url"])).status == 401
    for t in (clerk, admin):
        got = await client.get(doc["download_url"], headers=auth(t))
        assert got.status == 200 and await got.read() == PDF_BYTES
    listed = await client.get(f"/api/v1/filings/{number}/documents", headers=auth(clerk))
    assert listed.status == 200
    assert [d["id"] for d in (await listed.json())["documents"]] == [doc["id"]]
    assert (await client.get("/api/v1/documents/" + "0" * 32, headers=auth(token))).status == 404


async def test_list_in_upload_order(client, owner):
    number, token = owner
    first = await (await upload(client, number, token, ("起诉状.pdf", "application/pdf", PDF_BYTES), kind="lead")).json()
    second = await (await upload(client, number, token, ("借条.jpg", "image/jpeg", JPEG_BYTES))).json()
    listed = await client.get(f"/api/v1/filings/{number.lower()}/documents", headers={"Authorization": f"Bearer {token}"})
    body = await listed.json()
    assert body["filing"] == number
    assert [(d["id"], d["kind"]) for d in body["documents"]] == [(first["id"], "lead"), (second["id"], "evidence")]


async def test_refusals_leave_no_file(client, db_rows, settings, owner):
    number, token = owner
    cases = [
        (form(("a.pdf", "application/pdf", PDF_BYTES), kind="judgment"), 400, "invalid_kind"),
        (form(None, kind="evidence"), 400, "missing_field"),
        (form(("a.pdf", "application/pdf", PDF_BYTES), amount="1"), 400, "unknown_field"),
        (form(("a.pdf", "application/pdf", PDF_BYTES))[:-40], 400, "malformed_multipart"),  # cut short
        (form(("a.pdf", "application/pdf", b"")), 400, "empty_file"),
    ]
    for body, status, code in cases:
        resp = await client.post(f"/api/v1/filings/{number}/documents", data=body, headers=headers(token))
        assert (resp.status, (await resp.json())["error"]) == (status, code)
    resp = await client.post(f"/api/v1/filings/{number}/documents", json={"file": "x"},
                             headers={"Authorization": f"Bearer {token}"})
    assert resp.status == 415
    assert files_on_disk(settings) == [] and await db_rows("SELECT count(*) FROM documents") == [(0,)]


async def test_one_lead_document_and_closed_filings(client, db_rows, owner):
    number, token = owner
    assert (await upload(client, number, token, ("起诉状.pdf", "application/pdf", PDF_BYTES), kind="lead")).status == 201
    again = await upload(client, number, token, ("起诉状2.pdf", "application/pdf", PDF_BYTES), kind="lead")
    assert again.status == 409 and (await again.json())["error"] == "lead_exists"
    assert (await upload(client, number, token, ("更正.pdf", "application/pdf", PDF_BYTES), kind="correction")).status == 201

    litigant_id = (await db_rows(f"SELECT litigant_id FROM filings WHERE number = '{number}'"))[0][0]
    withdrawn = await add_filing(client.app, litigant_id, status="withdrawn")
    resp = await upload(client, withdrawn, token, ("a.pdf", "application/pdf", PDF_BYTES))
    assert resp.status == 409 and (await resp.json())["error"] == "filing_closed"


async def test_too_many_documents(client, owner):
    number, token = owner
    for i in range(5):
        assert (await upload(client, number, token, (f"{i}.pdf", "application/pdf", PDF_BYTES))).status == 201
    resp = await upload(client, number, token, ("6.pdf", "application/pdf", PDF_BYTES))
    assert resp.status == 409 and (await resp.json())["error"] == "too_many_documents"


async def test_file_is_removed_when_the_transaction_fails(client, db_rows, settings, owner, monkeypatch):
    """A row that cannot be committed (here: a colliding public id) leaves the first document intact, no orphan."""
    number, token = owner
    monkeypatch.setattr(documents_module, "new_public_id", lambda: "f" * 32)
    assert (await upload(client, number, token, ("一.pdf", "application/pdf", PDF_BYTES))).status == 201
    before = files_on_disk(settings)
    resp = await upload(client, number, token, ("二.png", "image/png", png_bytes()))
    assert resp.status == 500
    assert files_on_disk(settings) == before and before[0].read_bytes() == PDF_BYTES
    assert await db_rows("SELECT count(*) FROM documents") == [(1,)]
    assert await db_rows("SELECT count(*) FROM events") == [(1,)]
