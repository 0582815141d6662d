"""Handoff to a person (转人工): tickets the action server opens, staff answer in the console.

POST /api/v1/tickets                         litigant token; {question} (the conversation is the token's)
GET  /api/v1/tickets                         litigant token; the litigant's own tickets with answers
GET  /api/v1/staff/tickets                   ?status=open|answered&limit=&offset= (every staff role)
POST /api/v1/staff/tickets/{id}/answer       {answer}; clerk or judge

An answer reaches the litigant in the channel they asked from: it is queued as a delivery into
the conversation (court/services/tickets.py, court/services/deliveries.py) and sent at once when Rasa is configured, retried by the
job otherwise. The ticket view says whether it was delivered.

The list shows a question with ID and mobile numbers masked to administrators, whole to clerks
and judges (who must be able to call back); the litigant's own mobile is masked for every role in
the list, like the filing queue.
"""
from __future__ import annotations

from aiohttp import web

from court.api.auth import current_litigant, current_session, current_staff
from court.api.query import query_page
from court.infra.app_keys import SESSIONMAKER, SETTINGS
from court.infra.clock import now
from court.infra.errors import read_json
from court.jobs.conversations import deliver_now
from court.services.staff import REVIEWERS, ROLES
from court.services.tickets import (
    answer_ticket as record_answer, check_status, open_ticket, own_tickets, parse_answer, parse_new_ticket,
    staff_ticket_view, staff_tickets,
)

routes = web.RouteTableDef()
MAX_LIMIT = 200


@routes.post("/api/v1/tickets")
async def create_ticket(request: web.Request) -> web.Response:
    body = await read_json(request)
    async with request.app[SESSIONMAKER]() as session:
        current = await current_session(request, session)
        question = parse_new_ticket(body)
        view = await open_ticket(session, current.litigant, current.conversation_id or f"litigant-{current.litigant.id}",
                                 current.channel, question, now(request.app))
        return web.json_response(view, status=201)


@routes.get("/api/v1/tickets")
async def my_tickets(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        litigant = await current_litigant(request, session)
        tickets = await own_tickets(session, litigant, request.query.get("conversation_id"))
    return web.json_response({"tickets": tickets})


@routes.get("/api/v1/staff/tickets")
async def list_tickets(request: web.Request) -> web.Response:
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, set(ROLES))
        status = check_status(request.query.get("status") or None)
        limit, offset = query_page(request, MAX_LIMIT)
        return web.json_response(await staff_tickets(session, staff, status, limit, offset))


@routes.post("/api/v1/staff/tickets/{ticket_id}/answer")
async def answer_ticket(request: web.Request) -> web.Response:
    body = await read_json(request)
    async with request.app[SESSIONMAKER]() as session:
        staff = await current_staff(request, session, REVIEWERS)
        answer = parse_answer(body)
        ticket_id, delivery_id = await record_answer(session, staff, request.match_info["ticket_id"], answer,
                                                     now(request.app))
    if request.app[SETTINGS].delivery_configured():
        await deliver_now(request.app, delivery_id)
    async with request.app[SESSIONMAKER]() as session:
        return web.json_response(await staff_ticket_view(session, ticket_id, staff))
