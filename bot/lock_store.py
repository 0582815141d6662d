"""Rasa's Redis lock store with each change of a conversation's lock made atomically.

Rasa 3.6's RedisLockStore reads a conversation's ticket lock, changes it in Python and writes it
back. Two replicas taking a ticket for the same conversation at the same moment (a double-tapped
确认提交 reaching both) both read the same lock, both write "ticket 0", and both run at once: one
turn's events are then lost from the tracker store (tests/production/test_faults.py saw it;
RasaHQ/rasa#9213 — the atomic store is Rasa Pro only). Here every read-change-write of a lock is
one Redis transaction (WATCH the key, MULTI/EXEC, retried if another replica changed it between):
tickets are unique and the lock is never overwritten with a stale copy. Same keys, same JSON,
so replicas of either kind still understand each other's locks.

endpoints.production.yml: ``lock_store: type: bot.lock_store.AtomicRedisLockStore``.
"""
from __future__ import annotations

import json
from typing import Any, Callable, Optional

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

Change = Callable[[Optional[TicketLock]], tuple[Optional[TicketLock], Any]]


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        """Built by Rasa from the endpoint config (a custom type), or like RedisLockStore."""
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs}
        super().__init__(**kwargs)

    def _change(self, conversation_id: str, change: Change) -> Any:
        """Apply `change` (old lock → new lock or None to delete, result) in one transaction."""
        key = self.key_prefix + conversation_id
        outcome: dict[str, Any] = {}

        def run(pipe: Any) -> None:
            raw = pipe.get(key)
            lock = TicketLock.from_dict(json.loads(raw)) if raw else None
            new, outcome["result"] = change(lock)
            pipe.multi()
            if new is None:
                pipe.delete(key)
            else:
                pipe.set(key, new.dumps())

        self.red.transaction(run, key)
        return outcome["result"]

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def issue(lock: Optional[TicketLock]) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, issue)
        except Exception as err:  # as Rasa's own: the turn fails with a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{err}") from err

    def update_lock(self, conversation_id: str) -> None:
        def expire(lock: Optional[TicketLock]) -> tuple[Optional[TicketLock], None]:
            if lock:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, expire)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock: Optional[TicketLock]) -> tuple[Optional[TicketLock], None]:
            if lock:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Remove the ticket, and the lock with it if no one else waits — in one step."""
        def finish(lock: Optional[TicketLock]) -> tuple[Optional[TicketLock], None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, finish)
