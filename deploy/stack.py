"""Start and stop the whole stack — court backend, action server, Rasa — as child processes.

Used by `make run` / `make shell` (python -m deploy) and by the end-to-end tests, so that what the
tests exercise is exactly what a developer runs. Standard library only.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

ROOT = Path(__file__).resolve().parent.parent
RASA_BIN = ROOT / ".venv" / "bin"
COURT_PYTHON = ROOT / ".venv-court" / "bin" / "python"
MODEL = ROOT / "models" / "assistant.tar.gz"


def _ephemeral_range() -> tuple[int, int]:
    """The kernel's range for outgoing connections' local ports (Linux; its default elsewhere)."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A free port below the ephemeral range. A port from bind(0) is ephemeral: an outgoing connection
    (to PostgreSQL, Redis, RabbitMQ) may take it before the server it was chosen for binds, and a Rasa
    replica binds only after a minute of loading (test-prod failed so once: errno 98 on the replica)."""
    low, _ = _ephemeral_range()
    rng = secrets.SystemRandom()
    for _ in range(200):
        port = rng.randrange(max(1024, low - 12000), low)
        if port_free(port):
            return port
    with socket.socket() as s:  # nothing free below the range: fall back to the kernel's choice
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


# The SMS limits of the embedded profile (development gateway only; production keeps the real ones): every
# test litigant asks from 127.0.0.1 and test litigants share ID numbers, so those are lifted; one mobile
# number keeps a limit, higher than production's 5 an hour, that a developer can still meet
# (tests/e2e/test_dialogue.py reads it from here).
EMBEDDED_SMS_LIMITS = {"COURT_SMS_PER_ADDRESS_HOUR": "100000", "COURT_SMS_PER_ADDRESS_DAY": "100000",
                       "COURT_SMS_PER_ID_HOUR": "100000", "COURT_SMS_PER_ID_DAY": "100000",
                       "COURT_SMS_PER_PHONE_HOUR": "20", "COURT_SMS_PER_PHONE_DAY": "40"}


class PortTaken(RuntimeError):
    """A port the stack needs is in use: the message says which and, when it can tell, by what."""


def port_owner(port: int) -> Optional[str]:
    """'pid 1234 (rasa run …)' of the process listening on TCP `port`, from /proc; None if unknown.

    Linux only (this machine, the CI); elsewhere the port is named without its owner.
    """
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table, encoding="ascii") as f:
            for line in f.readlines()[1:]:
                cols = line.split()
                if cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                    inodes.add(cols[9])
    if not inodes:
        return None
    wanted = {f"socket:[{inode}]" for inode in inodes}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        if wanted & set(_open_files(pid)):
            with contextlib.suppress(OSError), open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
                return f"pid {pid} ({cmd[:120]})"
            return f"pid {pid}"
    return None


def _open_files(pid: str) -> Iterator[str]:
    """What the process's descriptors point at; ones closed meanwhile, or not ours to see, skipped."""
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                yield os.readlink(f"/proc/{pid}/fd/{fd}")


def check_ports_free(ports: dict[str, int]) -> None:
    """Raise PortTaken naming the first port in use and its owner, before anything is started.

    A server that cannot bind would otherwise die or hang at start (nginx), saying nothing useful.
    """
    for name, port in ports.items():
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                continue
            except OSError:
                pass
        owner = port_owner(port)
        raise PortTaken(f"端口 {port}（{name}）已被占用" + (f"：{owner}" if owner else "")
                        + "。请先停止该进程，或换用其他端口。")


def _unblock_stop_signals() -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """SIGINT/SIGTERM held back (main thread only) so that a Ctrl-C cannot cut a step in half."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@dataclass
class Ports:
    backend: int = 8080
    actions: int = 5055
    rasa: int = 5005

    @classmethod
    def free(cls) -> "Ports":
        return cls(free_port(), free_port(), free_port())


@dataclass
class Stack:
    """The running processes; `stop()` ends them all (also on Ctrl-C in `python -m deploy run`)."""

    ports: Ports
    var_dir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    logs: dict[str, Path] = field(default_factory=dict)
    extra_env: dict[str, str] = field(default_factory=dict)
    # Rasa's HTTP API (trackers hold litigant tokens) is closed without this; the backend uses it
    # to deliver court messages into conversations.
    api_token: str = field(default_factory=lambda: secrets.token_hex(24))  # e.g. LOG_LEVEL=DEBUG for Rasa in tests
    # Rasa's --jwt-secret: the backend authenticates with a short-lived JWT in the Authorization
    # header (court/infra/rasa_client.py), never with ?token= in a URL that access logs keep.
    jwt_secret: str = field(default_factory=lambda: secrets.token_hex(32))
    # Rasa through deploy/rasa_main.py (the action-answer check with a cached validator); False only to measure without.
    rasa_speedups: bool = True
    # The embedded tracker store (bot/tracker_store.py); None: Rasa's own InMemoryTrackerStore (to measure without).
    tracker_store: Optional[str] = "bot.tracker_store.CountingInMemoryTrackerStore"
    # Where the action server reaches the backend, if not directly (the fault tests put a relay there).
    actions_backend_url: Optional[str] = None

    @property
    def backend_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.backend}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.rasa}"

    @property
    def database_url(self) -> str:
        return f"sqlite+aiosqlite:///{self.var_dir / 'court.db'}"

    @property
    def rasa_events_db(self) -> Path:
        return self.var_dir / "rasa_events.db"

    def _spawn(self, name: str, args: list[str], env: dict[str, str], to_log: bool) -> None:
        log_path = self.var_dir / f"{name}.log"
        self.logs[name] = log_path
        out = open(log_path, "ab") if to_log else None
        # Each server leads a session of its own (a terminal's Ctrl-C reaches only us, and we stop
        # it whole by its process group); COURT_STACK_DIR says whose it is (`ps e`, the tests).
        with signals_deferred():  # a signal between the fork and the bookkeeping would lose the child
            self.processes[name] = subprocess.Popen(
                args, cwd=ROOT, env={**os.environ, **env, "COURT_STACK_DIR": str(self.var_dir)}, stdout=out,
                stderr=subprocess.STDOUT if out else None, start_new_session=True,
                preexec_fn=_unblock_stop_signals,  # the mask is inherited: the server must hear SIGTERM
            )

    def endpoints_file(self) -> Path:
        path = self.var_dir / "endpoints.yml"
        path.write_text(
            "action_endpoint:\n"
            f'  url: "http://127.0.0.1:{self.ports.actions}/webhook"\n'
            "  enable_selective_domain: true\n"
            # Rasa's in-memory store without a second load of the conversation per turn (bot/tracker_store.py).
            + (f"tracker_store:\n  type: {self.tracker_store}\n" if self.tracker_store else "")
            # Rasa's SQL event broker's table in its own database file (the court database has an
            # `events` table of its own), written from a thread (bot/brokers.py: no commit on a
            # turn's path); the backend ingests it into transcripts (court/jobs/transcript_ingest.py).
            + "event_broker:\n"
            "  type: bot.brokers.QueuedSQLEventBroker\n"
            "  dialect: sqlite\n"
            f'  db: "{self.rasa_events_db}"\n',
            encoding="utf-8",
        )
        return path

    def backend_env(self) -> dict[str, str]:
        """The backend's settings (court/infra/config.py); a profile overrides them (deploy/profiles.py)."""
        return {"COURT_DATABASE_URL": self.database_url,
                "COURT_DEV_MODE": "1",  # no real SMS operator or payment provider here: dev gateways
                "COURT_UPLOAD_DIR": str(self.var_dir / "uploads"),
                **EMBEDDED_SMS_LIMITS,  # court/services/limits.py
                # transcripts from Rasa's event broker; deliveries and the page's socket.io URL
                "COURT_RASA_EVENTS_URL": f"sqlite+aiosqlite:///{self.rasa_events_db}",
                "COURT_RASA_URL": self.rasa_url, "COURT_RASA_JWT_SECRET": self.jwt_secret}

    def start_backend(self, to_log: bool = True) -> None:
        self._spawn("backend", [str(COURT_PYTHON), "-m", "court", "serve", "--port", str(self.ports.backend)],
                    self.backend_env(), to_log)

    def actions_env(self) -> dict[str, str]:
        """The action server's settings (a profile adds the bot key the backend checks)."""
        return {"COURT_API_URL": self.actions_backend_url or self.backend_url, "PYTHONPATH": str(ROOT)}

    def start_actions(self, to_log: bool = True) -> None:
        self._spawn("actions", [str(RASA_BIN / "rasa"), "run", "actions", "--port", str(self.ports.actions),
                                "--actions", "bot.action_server", "--logging-config-file", "logging.yml"],
                    self.actions_env(), to_log)

    def start_rasa(self, model: Path = MODEL, to_log: bool = True, *, name: str = "rasa",
                   port: Optional[int] = None, endpoints: Optional[Path] = None,
                   env: Optional[dict[str, str]] = None) -> None:
        """One Rasa server (a profile starts several: name, port, endpoints file and env per replica)."""
        rasa = [str(RASA_BIN / "python"), "-m", "deploy.rasa_main"] if self.rasa_speedups else [str(RASA_BIN / "rasa")]
        self._spawn(name, [*rasa, "run", "--enable-api", "--cors", "*",
                           "-i", "127.0.0.1", "--port", str(port or self.ports.rasa), "--model", str(model),
                           "--endpoints", str(endpoints or self.endpoints_file()), "--credentials", "credentials.yml",
                           "--logging-config-file", "logging.yml", "--auth-token", self.api_token,
                           "--jwt-secret", self.jwt_secret, "--jwt-method", "HS256"],
                    {"PYTHONPATH": str(ROOT), **(env or {}), **self.extra_env}, to_log)

    def listen_ports(self) -> dict[str, int]:
        """What each server will bind, checked before anything starts."""
        return {"backend": self.ports.backend, "actions": self.ports.actions, "rasa": self.ports.rasa}

    def health_urls(self) -> dict[str, str]:
        """Process name → the URL that answers 200 once it serves (in start-up order)."""
        return {
            "backend": f"{self.backend_url}/health",
            "actions": f"http://127.0.0.1:{self.ports.actions}/health",
            "rasa": f"{self.rasa_url}/",
        }

    def wait_until_ready(self, timeout: float = 600.0) -> None:
        """Poll each service's health URL; raise with the log's tail if one dies or never answers."""
        urls = self.health_urls()
        deadline = time.monotonic() + timeout
        for name, url in urls.items():
            if name not in self.processes:
                continue
            while True:
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"{name} exited early:\n{self.tail(name)}")
                try:
                    with urllib.request.urlopen(url, timeout=2) as resp:
                        if resp.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not answer on {url}:\n{self.tail(name)}")
                time.sleep(0.5)
        # A server that lost its port to another process between Ports.free() and its bind exits, while
        # that other process may have answered its health URL: all of them must still be running.
        for name, proc in self.processes.items():
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited after starting:\n{self.tail(name)}")

    def tail(self, name: str, lines: int = 40) -> str:
        path = self.logs.get(name)
        if path is None or not path.exists():
            return ""
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def start(self, to_log: bool = True, *, rasa: bool = True) -> None:
        """Backend, action server and (unless `rasa` is false) Rasa, ready; everything stopped if one fails.

        A port in use raises PortTaken before anything starts; an interrupt (KeyboardInterrupt, which
        `python -m deploy` also makes of SIGTERM) while starting stops what was started, then propagates.
        """
        ports = self.listen_ports()
        if not rasa:
            ports = {k: v for k, v in ports.items() if k in ("backend", "actions")}
        check_ports_free(ports)
        try:
            self.start_backend(to_log)
            self.start_actions(to_log)
            if rasa:
                self.start_rasa(to_log=to_log)
            self.wait_until_ready()
        except BaseException:
            self.stop()
            raise

    def stop(self, grace: float = 15.0) -> None:
        """SIGTERM to every server's process group, SIGKILL to what is left after `grace` seconds.

        Whatever arrives meanwhile cannot cut it short: SIGINT/SIGTERM are held back, and one that
        arrives means "hurry" — the rest are killed at once. The groups are signalled even when
        their leader has exited already, so that no grandchild outlives the stack.
        """
        with signals_deferred():
            self._signal_all(signal.SIGTERM)
            deadline = time.monotonic() + grace
            while any(p.poll() is None for p in self.processes.values()):
                if time.monotonic() > deadline or self._stop_requested_again():
                    break
                time.sleep(0.05)
            self._signal_all(signal.SIGKILL)
            for proc in self.processes.values():
                proc.wait()
            while self._stop_requested_again():  # asked to stop, and stopped: nothing more to do
                pass

    def _signal_all(self, sig: signal.Signals) -> None:
        for proc in self.processes.values():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, sig)

    @staticmethod
    def _stop_requested_again() -> bool:
        """True (and the signal consumed) if a Ctrl-C or SIGTERM came while stopping."""
        if threading.current_thread() is not threading.main_thread():
            return False
        pending = signal.sigpending() & STOP_SIGNALS
        if pending:
            signal.sigwait(pending)
        return bool(pending)


def start_stack(ports: Optional[Ports] = None, var_dir: Optional[Path] = None, *, to_log: bool = True,
                rasa: bool = True, rasa_env: Optional[dict[str, str]] = None) -> Stack:
    """Start everything on `ports` (free ones by default) with its SQLite database under `var_dir`."""
    var = var_dir or Path(tempfile.mkdtemp(prefix="court-stack-"))
    var.mkdir(parents=True, exist_ok=True)
    stack = Stack(ports or Ports.free(), var, extra_env=dict(rasa_env or {}))
    stack.start(to_log, rasa=rasa)
    return stack

