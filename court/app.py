"""Application factory: routes (court/api), the error middleware, the database engine and the
background jobs (court/jobs) for the app's lifetime."""
from __future__ import annotations

from typing import AsyncIterator

from aiohttp import web

from court.api import (
    case_file, cases, conversation_notices, courts, dashboard, documents, drafts, enforcements, fee_relief, fee_service,
    fees, filings, identity, nlu_inbox, openapi, payments, policy, site, staff, tickets, transcripts,
)
from court.infra.app_keys import ENGINE, MAX_JSON_BYTES, SESSIONMAKER, SETTINGS
from court.infra.config import Settings
from court.infra.db import make_engine, make_sessionmaker
from court.infra.errors import error_middleware
from court.infra.profile import check_on_startup
from court.jobs.complaint_renders import complaint_render_job
from court.jobs.conversations import conversations_job
from court.jobs.deadlines import deadline_job
from court.jobs.sweeper import sweeper_job
from court.jobs.transcript_broker import transcript_broker_job

API_MODULES = [courts, fees, filings, openapi, documents, policy, payments, identity, staff, cases,
               transcripts, tickets, conversation_notices, site, drafts, fee_service, dashboard, nlu_inbox,
               fee_relief, enforcements, case_file]


async def _database(app: web.Application) -> AsyncIterator[None]:
    engine = make_engine(app[SETTINGS].database_url)
    app[ENGINE] = engine
    app[SESSIONMAKER] = make_sessionmaker(engine)
    yield
    await engine.dispose()


async def health(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def create_app(settings: Settings | None = None) -> web.Application:
    settings = settings or Settings.from_env()
    app = web.Application(middlewares=[error_middleware], client_max_size=settings.max_json_bytes)
    app[SETTINGS] = settings
    app[MAX_JSON_BYTES] = settings.max_json_bytes
    app.cleanup_ctx.append(_database)
    app.cleanup_ctx.append(deadline_job)  # after _database: it needs the sessionmaker
    app.cleanup_ctx.append(sweeper_job)  # orphaned uploads, expired drafts and challenges
    app.cleanup_ctx.append(conversations_job)  # Rasa events → transcripts; court messages → conversations
    app.cleanup_ctx.append(complaint_render_job)  # the 起诉状 rendered after the filing is answered
    app.cleanup_ctx.append(transcript_broker_job)  # the same from RabbitMQ, when COURT_RASA_EVENTS_AMQP_URL is set
    app.on_startup.append(check_on_startup)  # production refuses dev gateways and missing keys
    app.on_startup.append(payments.check_provider)  # no dev payment secret outside dev mode
    app.router.add_get("/health", health)
    for module in API_MODULES:
        app.router.add_routes(module.routes)
    return app
