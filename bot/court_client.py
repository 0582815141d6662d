"""A small typed async client for the court backend's /api/v1: the action server's only way in."""
from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from typing import Any, Optional
from urllib.parse import quote

import aiohttp

DEFAULT_URL = "http://127.0.0.1:8080"
# A submission the backend may not have answered (unreachable, cut off, restarting: status 0; or a
# gateway's 502/503/504) is sent again with the same Idempotency-Key — at most one filing, and the
# litigant's 确认提交 is not lost to a backend restart (about half a minute of retries).
FILING_RETRY_DELAYS_S = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)
RETRYABLE = {0, 502, 503, 504}

log = logging.getLogger(__name__)


class CourtError(Exception):
    """The backend refused (4xx, with its Chinese message) or could not be reached (status 0)."""

    def __init__(self, status: int, code: str, message: str, field: Optional[str] = None,
                 retry_after: Optional[int] = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.field = status, code, message, field
        self.retry_after = retry_after  # a 429's seconds until the backend allows it again


class SessionExpired(Exception):
    """The litigant's token was refused (401): revoked by a re-verification or a logout, or expired.

    Not a CourtError on purpose: the handlers that turn a refusal into its Chinese message must not
    catch it; the journeys ask for identity again instead (bot/expiry.py)."""


@dataclass(frozen=True)
class Court:
    code: str
    name: str


def _bot_headers() -> Optional[dict[str, str]]:
    key = os.environ.get("COURT_BOT_KEY")
    return {"X-Court-Bot-Key": key} if key else None


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class CourtClient:
    """One aiohttp session per client; `CourtClient.default()` shares one per process."""

    _default: Optional["CourtClient"] = None

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: Optional[aiohttp.ClientSession] = None
        self._categories: Optional[dict[str, str]] = None
        self._draft_saves: dict[str, asyncio.Task] = {}  # token → its latest draft save, still running
        self._expired_saves: set[str] = set()  # tokens whose background draft save met a 401

    @classmethod
    def default(cls) -> "CourtClient":
        if cls._default is None:
            cls._default = cls(os.environ.get("COURT_API_URL", DEFAULT_URL))
        return cls._default

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        try:
            async with self._session.request(method, self.base_url + path, **kwargs) as resp:
                try:
                    body = await resp.json(content_type=None)
                except ValueError:
                    body = None
                if resp.status == 401 and "Authorization" in (kwargs.get("headers") or {}):
                    raise SessionExpired(resp.status)
                if resp.status >= 400:
                    body = body if isinstance(body, dict) else {}
                    retry_after, header = body.get("retry_after"), resp.headers.get("Retry-After", "")
                    if not isinstance(retry_after, int):  # the body's figure, else the header's
                        retry_after = int(header) if header.isdigit() else None
                    raise CourtError(resp.status, body.get("error", "http_error"),
                                     body.get("message", "法院系统暂时无法处理该请求。"), body.get("field"),
                                     retry_after)
                return body
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise CourtError(0, "unreachable", "法院系统暂时无法访问，请稍后再试。") from exc

    async def start_identity(self, name: str, id_number: str, phone: str) -> dict[str, Any]:
        """实名认证, step 1: the backend texts a 6-digit code to the phone; returns its challenge_id.

        The bot key tells the backend that this is the action server, which asks for many
        litigants from one address: it is then limited per phone and ID number, not per address."""
        return await self._request("POST", "/api/v1/identity/verify",
                                   json={"name": name, "id_number": id_number, "phone": phone},
                                   headers=_bot_headers())

    async def confirm_identity(self, challenge_id: str, code: str, conversation_id: Optional[str] = None,
                               channel: Optional[str] = None) -> dict[str, Any]:
        """实名认证, step 2: the code back; returns the litigant's bearer token.

        The token is bound to `conversation_id`, the sender the channel authenticated (issue 9):
        later tickets, filings and notices go there and nowhere else. The backend believes it
        only from the action server, proved by ``$COURT_BOT_KEY`` (development mode without one
        trusts the caller).
        """
        body: dict[str, Any] = {"challenge_id": challenge_id, "code": code}
        if conversation_id:
            body.update(conversation_id=conversation_id, channel=channel)
        return await self._request("POST", "/api/v1/identity/confirm", json=body, headers=_bot_headers())

    async def create_filing(self, token: str, payload: dict[str, Any], idempotency_key: str,
                            retry_delays: tuple[float, ...] = FILING_RETRY_DELAYS_S) -> dict[str, Any]:
        """ReviewFiling: the same key always gives the same filing, so an unanswered attempt is retried."""
        for delay in (*retry_delays, None):
            try:
                return await self._request("POST", "/api/v1/filings", json=payload,
                                           headers={"Idempotency-Key": idempotency_key, **_bearer(token)})
            except CourtError as err:
                if err.status not in RETRYABLE or delay is None:
                    raise
                log.warning("filing not answered (%s %s): the same Idempotency-Key again in %.1f s",
                            err.status, err.code, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")

    async def get_filing(self, token: str, number: str) -> dict[str, Any]:
        """GetFilingStatus: another litigant's number answers exactly like an unknown one (404)."""
        return await self._request("GET", f"/api/v1/filings/{number}", headers=_bearer(token))

    async def get_case_file(self, token: str, number: str) -> dict[str, Any]:
        """The party copy of a filing's 电子卷宗: its catalogue and a signed link (someone else's: 404)."""
        return await self._request("GET", f"/api/v1/filings/{number}/case-file", headers=_bearer(token))

    def public_url(self, url: str) -> str:
        """A backend path as the litigant's browser reaches it (COURT_PUBLIC_BASE_URL, else our base)."""
        if not url.startswith("/"):
            return url
        return (os.environ.get("COURT_PUBLIC_BASE_URL") or self.base_url).rstrip("/") + url

    async def get_case(self, token: str, case_number: str) -> dict[str, Any]:
        """GetCase: parties (masked), fee notices and the timeline; someone else's case is a 404."""
        return await self._request("GET", f"/api/v1/cases/{quote(case_number, safe='')}", headers=_bearer(token))

    async def calculate_fee(self, category: str, amount: Optional[str]) -> dict[str, Any]:
        """GetFeesCalculation: the fee, its legal basis and the steps, computed by the backend."""
        return await self._request("POST", "/api/v1/fees/calculate", json={"category": category, "amount": amount})

    async def case_type_categories(self) -> dict[str, str]:
        """案由 → fee category, from GetPolicy (fetched once per process: it changes with releases only)."""
        if self._categories is None:
            policy = await self._request("GET", "/api/v1/policy")
            self._categories = {c["name"]: c["fee_category"] for c in policy["case_types"]["items"]}
        return self._categories

    async def list_filings(self, token: str) -> list[dict[str, Any]]:
        """GetFilingList: the litigant's own filings, newest first."""
        return (await self._request("GET", "/api/v1/filings", headers=_bearer(token)))["filings"]

    async def cancel_filing(self, token: str, number: str) -> dict[str, Any]:
        """CancelFiling: only before docketing (409 otherwise, with the backend's Chinese reason)."""
        return await self._request("POST", f"/api/v1/filings/{number}/cancel", json={}, headers=_bearer(token))

    async def open_ticket(self, token: str, conversation_id: str, channel: Optional[str], question: str) -> dict[str, Any]:
        """转人工: a ticket staff answer in the console; the answer comes back into this conversation."""
        return await self._request("POST", "/api/v1/tickets", headers=_bearer(token), json={
            "conversation_id": conversation_id, "channel": channel, "question": question})

    async def list_cases(self, token: str) -> list[dict[str, Any]]:
        """GetCaseList: the litigant's docketed cases."""
        return (await self._request("GET", "/api/v1/cases", headers=_bearer(token)))["cases"]

    async def create_payment(self, token: str, fee_notice_id: str) -> dict[str, Any]:
        """A payment order for a fee notice; the backend sets the amount. Repeats return the open order."""
        return await self._request("POST", "/api/v1/payments", json={"fee_notice_id": fee_notice_id},
                                   headers=_bearer(token))

    async def get_payment(self, token: str, order_no: str) -> dict[str, Any]:
        return await self._request("GET", f"/api/v1/payments/{order_no}", headers=_bearer(token))

    async def search_courts(self, fragment: str) -> list[Court]:
        body = await self._request("GET", "/api/v1/courts", params={"q": fragment})
        return [Court(c["code"], c["name"]) for c in body["courts"]]

    # --- drafts (待提交) and the court suggestion, used by the filing form ---

    async def get_draft(self, token: str) -> Optional[dict[str, Any]]:
        """The litigant's unfinished filing kept by the backend, or None."""
        await self.drafts_saved(token)
        try:
            return await self._request("GET", "/api/v1/drafts/current", headers=_bearer(token))
        except CourtError as err:
            if err.status == 404:
                return None
            raise

    async def save_draft(self, token: str, data: dict[str, Any], conversation_id: str,
                         channel: Optional[str]) -> None:
        await self.drafts_saved(token)
        await self._put_draft(token, data, conversation_id, channel)

    async def _put_draft(self, token: str, data: dict[str, Any], conversation_id: str,
                         channel: Optional[str]) -> None:
        await self._request("PUT", "/api/v1/drafts/current", headers=_bearer(token), json={
            "data": data, "conversation_id": conversation_id, "channel": channel})

    def save_draft_soon(self, token: str, data: dict[str, Any], conversation_id: str,
                        channel: Optional[str]) -> None:
        """Save the draft without holding up the turn: the PUT starts now and runs while the answer goes
        out (one backend call fewer on a form turn's path). Saves of one litigant are sent in order, and
        this client's next draft call for that litigant (read, save, delete) waits for them first — a
        submitted filing's draft is deleted after its last save, never before. A failed save is logged
        and the filing goes on, as before (the answers themselves are in Rasa's conversation)."""
        previous = self._draft_saves.get(token)

        async def save() -> None:
            if previous is not None:
                await asyncio.gather(previous, return_exceptions=True)
            try:
                await self._put_draft(token, data, conversation_id, channel)
            except CourtError as err:
                log.warning("draft not saved: %s %s", err.status, err.code)
            except SessionExpired:  # told to the conversation at its next answer (draft_save_expired)
                self._expired_saves.add(token)

        task = asyncio.get_running_loop().create_task(save())
        self._draft_saves[token] = task
        task.add_done_callback(lambda done: self._draft_saves.pop(token, None) if self._draft_saves.get(token) is done
                               else None)

    async def draft_save_expired(self, token: str) -> bool:
        """Whether a draft save started with save_draft_soon() for this token met a revoked or expired
        token (issue 9): the form then asks for identity again instead of going on unsaved."""
        await self.drafts_saved(token)
        if token in self._expired_saves:
            self._expired_saves.discard(token)
            return True
        return False

    async def drafts_saved(self, token: str) -> None:
        """Wait until the litigant's draft saves started with save_draft_soon() are done."""
        task = self._draft_saves.get(token)
        if task is not None:
            await asyncio.gather(task, return_exceptions=True)

    async def delete_draft(self, token: str) -> None:
        await self.drafts_saved(token)
        await self._request("DELETE", "/api/v1/drafts/current", headers=_bearer(token))

    async def suggest_courts(self, case_type: str, *, defendant_places: list[str],
                             plaintiff_places: list[str]) -> dict[str, Any]:
        """Competent courts for the case type and the parties' places, each with its legal basis."""
        params: list[tuple[str, str]] = [("case_type", case_type)]
        params += [("defendant_place", p) for p in defendant_places if p]
        params += [("plaintiff_place", p) for p in plaintiff_places if p]
        return await self._request("GET", "/api/v1/courts/suggest", params=params)

    # --- after filing: 补正 (corrections), evidence uploads and the upload policy ---

    async def resubmit_filing(self, token: str, number: str, payload: dict[str, Any]) -> dict[str, Any]:
        """补正后重新提交 (需补正 → 待审核): facts, claims, parties, evidence and a note; 400/409 in Chinese."""
        return await self._request("POST", f"/api/v1/filings/{quote(number, safe='')}/resubmit", json=payload,
                                   headers=_bearer(token))

    async def list_documents(self, token: str, number: str) -> list[dict[str, Any]]:
        """The documents uploaded to one of the litigant's filings, to confirm an upload arrived."""
        body = await self._request("GET", f"/api/v1/filings/{quote(number, safe='')}/documents",
                                   headers=_bearer(token))
        return body["documents"]

    async def get_policy(self) -> dict[str, Any]:
        """GetPolicy, fresh each time: accepted document types and the size limit follow the backend's settings."""
        return await self._request("GET", "/api/v1/policy")

    async def create_enforcement(self, token: str, payload: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        """申请执行: checked by the backend before it is stored; the same key gives the same application."""
        return await self._request("POST", "/api/v1/enforcements", json=payload,
                                   headers={"Idempotency-Key": idempotency_key, **_bearer(token)})

    async def get_enforcement(self, token: str, number: str) -> dict[str, Any]:
        """An application (ZX…) or enforcement case (执 number) with its steps; anyone else's is a 404."""
        return await self._request("GET", f"/api/v1/enforcements/{quote(number, safe='')}", headers=_bearer(token))
