"""Finding 7: a request body was waited for as long as the client kept the connection open (one
byte a minute held a handler and a temp file for ever), and a client that hung up mid-body left a
traceback and a 500 in the log. Now a body that stalls (here 1 s without a byte) or crawls
(here 3 s in all) is answered 408 in Chinese and the connection is closed; a disconnect is logged
as such at INFO, with no traceback, and leaves no temp file. Raw sockets against the real server."""
from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import replace

import pytest
from aiohttp import web

from authflow import counts, has_chinese
from test_documents_api import BOUNDARY, add_filing, add_litigant, files_on_disk

from court.app import create_app

WAIT = 30  # far beyond the server's deadlines: only reached when the server never answers


@pytest.fixture
def settings(settings):
    return replace(settings, body_idle_timeout_s=1.0, body_total_timeout_s=3.0)


def _head(path: str, length: int, ctype: str = "application/json", token: str | None = None) -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return (f"POST {path} HTTP/1.1\r\nHost: court\r\nContent-Type: {ctype}\r\n{auth}"
            f"Content-Length: {length}\r\n\r\n").encode()


def _answer(raw: bytes) -> tuple[int, dict]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


async def test_a_stalled_body_is_cut_off_with_408(client, db_rows) -> None:
    reader, writer = await asyncio.wait_for(asyncio.open_connection(client.host, client.port), WAIT)
    writer.write(_head("/api/v1/identity/verify", 200) + b'{"name": "')
    await writer.drain()
    raw = await asyncio.wait_for(reader.read(), WAIT)  # read() ends only when the server closes
    status, body = _answer(raw)
    assert status == 408 and body["error"] == "body_timeout" and has_chinese(body["message"])
    assert await counts(db_rows, "identity_challenges", "sms_outbox") == {"identity_challenges": 0, "sms_outbox": 0}
    writer.close()


async def test_a_crawling_body_is_cut_off_with_408(client) -> None:
    reader, writer = await asyncio.wait_for(asyncio.open_connection(client.host, client.port), WAIT)
    writer.write(_head("/api/v1/identity/verify", 10_000))
    reply = asyncio.create_task(reader.read())  # ends only when the server closes
    sent = 0
    while not reply.done() and sent < WAIT * 5:  # a byte every 0.2 s: never idle for 1 s
        try:
            writer.write(b" ")
            await writer.drain()
        except ConnectionError:
            break
        sent += 1
        await asyncio.wait([reply], timeout=0.2)
    try:
        raw = await asyncio.wait_for(reply, WAIT)
    except ConnectionResetError:
        # The server closed while our last bytes were unread in its buffer: the kernel then resets
        # the connection, and the 408 it had sent may be lost with it. Cut off either way.
        raw = None
    if raw:  # b"": closed without an answer, the same as a reset
        status, body = _answer(raw)
        assert status == 408 and body["error"] == "body_timeout"
    assert sent < WAIT * 5  # cut off long before the body was complete (about 3 s of it here)
    writer.close()


@pytest.fixture(params=["run_app", "test_server"])
async def server_address(request, client, settings):
    """(host, port) of the backend: as `python -m court serve` runs it (aiohttp's default: the handler
    sees the disconnect as ConnectionResetError), or aiohttp's test server (which cancels the handler)."""
    if request.param == "test_server":
        yield client.host, client.port
        return
    runner = web.AppRunner(create_app(settings))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield "127.0.0.1", runner.addresses[0][1]
    await runner.cleanup()


async def test_a_client_that_hangs_up_mid_upload_is_logged_as_such(client, settings, server_address, caplog) -> None:
    caplog.set_level(logging.INFO)
    litigant_id, token = await add_litigant(client.app)
    number = await add_filing(client.app, litigant_id)
    part = (f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n").encode() + b"0" * 5000
    _reader, writer = await asyncio.wait_for(asyncio.open_connection(*server_address), WAIT)
    writer.write(_head(f"/api/v1/filings/{number}/documents", 100_000,
                       f"multipart/form-data; boundary={BOUNDARY}", token) + part)
    await writer.drain()
    await asyncio.sleep(0.2)  # the handler is reading the body now
    writer.transport.abort()  # a dropped connection
    for _ in range(WAIT * 20):
        if any("client disconnected" in r.getMessage() for r in caplog.records):
            break
        await asyncio.sleep(0.05)
    messages = [r.getMessage() for r in caplog.records]
    assert any("client disconnected during POST" in m for m in messages), messages
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info], messages
    assert files_on_disk(settings) == []  # the partial temp file is gone
    assert (await client.get("/health")).status == 200  # the server serves on
