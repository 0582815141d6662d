"""Faults on demand for the production-profile tests: a loopback TCP relay that can be cut, and a
private Redis that can be restarted.

The shared PostgreSQL and RabbitMQ of the machine serve other runs too, so they are never stopped.
Instead the stack under test reaches each of them through a :class:`Relay`; ``cut()`` does what a
restart or an outage does to the stack — every open connection is reset and new ones are refused —
and ``restore()`` lets connections through again. Redis is a server of the test's own
(:class:`PrivateRedis`), restarted for real: its locks are gone after, as after a real restart.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from typing import Callable, Optional

from deploy.stack import free_port


class Relay:
    """127.0.0.1:`port` → `target`, in a thread of its own; `cut()` / `restore()` the service.

    ``trap(marker, on_reply)``: the next connection whose client sends bytes containing `marker` has
    its reply swallowed — when the server's first answer bytes arrive, `on_reply()` runs and both
    sides are reset, so the client never hears an answer the server did give.
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, int(target_port))
        self.port = free_port()
        self.connections = 0
        self._open: set[asyncio.StreamWriter] = set()
        self._server: Optional[asyncio.AbstractServer] = None
        self._loop = asyncio.new_event_loop()
        self._trap: Optional[tuple[bytes, Callable[[], None]]] = None
        self.trapped = threading.Event()
        threading.Thread(target=self._loop.run_forever, daemon=True).start()
        self.restore()

    def _call(self, coro) -> None:
        asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    def restore(self) -> None:
        async def listen() -> None:
            if self._server is None:
                self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port, reuse_address=True)
        self._call(listen())

    def cut(self) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()
                await self._server.wait_closed()
                self._server = None
            for writer in list(self._open):
                writer.transport.abort()  # a reset, as when the server process goes away
            self._open.clear()
        self._call(close())

    def trap(self, marker: bytes, on_reply: Callable[[], None]) -> None:
        self.trapped.clear()
        self._trap = (marker, on_reply)

    def close(self) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.connections += 1
        pair = {writer, up_writer}
        self._open |= pair
        armed = asyncio.Event()

        async def pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter, upstream: bool) -> None:
            try:
                while data := await src.read(65536):
                    if upstream and self._trap and self._trap[0] in data:
                        armed.set()
                    if not upstream and armed.is_set() and self._trap:
                        on_reply, self._trap = self._trap[1], None
                        on_reply()
                        self.trapped.set()
                        break
                    dst.write(data)
                    await dst.drain()
            except (OSError, asyncio.CancelledError):
                pass
            finally:
                for w in pair:
                    w.transport.abort()
                self._open -= pair

        await asyncio.gather(pump(reader, up_writer, True), pump(up_reader, writer, False))


class PrivateRedis:
    """`redis-server` of the test's own on a free port, without persistence (as the machine's)."""

    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.proc: Optional[subprocess.Popen] = None

    def start(self) -> None:
        self.proc = subprocess.Popen([self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
                                      "--appendonly", "no"], stdout=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"redis-server did not listen on {self.port}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)  # a crash: nothing saved, every lock gone
            self.proc.wait(10)

    def restart(self) -> None:
        self.stop()
        self.start()
