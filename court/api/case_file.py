"""The electronic case file (电子卷宗): a litigant's copy by signed link, the court's whole file.

GET /api/v1/filings/{number}/case-file            litigant token, own filing: the party copy's
                                                  catalogue and a signed link (7 days) to its PDF
GET /api/v1/case-files/{number}/download          ?expires=&sig= (no token): the party copy's PDF
GET /api/v1/staff/filings/{number}/case-file      every staff role, their court: the full catalogue
GET /api/v1/staff/filings/{number}/case-file.pdf  the full file's PDF (audited: it shows ID numbers)

Someone else's filing answers the same 404 as an unknown number; an altered or expired link 403.
"""
from __future__ import annotations

from aiohttp import web

from court.api.auth import current_litigant, current_staff, server_secret
from court.infra import signed_links
from court.infra.app_keys import SESSIONMAKER, SETTINGS
from court.infra.clock import now
from court.services.case_file import FULL, PARTY, catalogue_json
from court.services.case_file_pdf import Head, build_copy, catalogue_of, filename, ready
from court.services.documents import content_disposition, filing_by_number
from court.services.errors import NotFound
from court.services.filings import NOT_FOUND_MESSAGE, own_filing
from court.services.review import staff_filing
from court.services.staff import ROLES
from court.services.staff_audit import CASE_FILE, record_access

routes = web.RouteTableDef()


@routes.get("/api/v1/filings/{number}/case-file")
async def party_catalogue(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        filing = await own_filing(session, request.match_info["number"], litigant)
        items, head = await ready(session, settings, filing, PARTY, now(request.app))
    rows, total = catalogue_of(items)
    link = signed_links.case_file_path(server_secret(request.app), head.filing_number, now(request.app),
                                       settings.public_base_url)
    return web.json_response(catalogue_json(filing, head.case_number, PARTY, rows, total, link))


@routes.get("/api/v1/case-files/{number}/download")
async def party_download(request: web.Request) -> web.Response:
    number = request.match_info["number"].strip().upper()
    signed_links.check(server_secret(request.app), number, request.query.get("expires"), request.query.get("sig"),
                       now(request.app), signed_links.CASE_FILE)
    settings = request.app[SETTINGS]
    async with request.app[SESSIONMAKER]() as session:
        filing = await filing_by_number(session, number)
        if filing is None:
            raise NotFound("not_found", NOT_FOUND_MESSAGE)
        items, head = await ready(session, settings, filing, PARTY, now(request.app))
        pdf = await build_copy(session, settings, head, items)
    return pdf_response(pdf, head)


@routes.get("/api/v1/staff/filings/{number}/case-file")
async def staff_catalogue(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, set(ROLES))
        filing = await staff_filing(session, request.match_info["number"], staff)
        items, head = await ready(session, request.app[SETTINGS], filing, FULL, now(request.app))
    rows, total = catalogue_of(items)
    return web.json_response(catalogue_json(filing, head.case_number, FULL, rows, total,
                                            f"/api/v1/staff/filings/{head.filing_number}/case-file.pdf"))


@routes.get("/api/v1/staff/filings/{number}/case-file.pdf")
async def staff_download(request: web.Request) -> web.Response:
    settings = request.app[SETTINGS]
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, set(ROLES))
        filing = await staff_filing(session, request.match_info["number"], staff)
        items, head = await ready(session, settings, filing, FULL, now(request.app))
        pdf = await build_copy(session, settings, head, items)
        await record_access(session, staff, CASE_FILE, head.filing_number, now(request.app))
    return pdf_response(pdf, head)


def pdf_response(pdf: bytes, head: Head) -> web.Response:
    return web.Response(body=pdf, headers={
        "Content-Type": "application/pdf",
        "Content-Disposition": content_disposition(filename(head)),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
    })
