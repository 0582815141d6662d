"""The production profile: Rasa's own scale-out path on PostgreSQL, Redis and RabbitMQ.

    browser, court backend ──► nginx :5005 ──┬──► Rasa replica 1 :5006 ──┐
    (deploy/nginx/)                          └──► Rasa replica 2 :5007 ──┤
                                                                         ├─ tracker store  PostgreSQL (SQLTrackerStore)
    action server :5055 ◄── every replica ───────────────────────────────┤─ lock store     Redis (RedisLockStore)
    court backend :8080 (PostgreSQL) ◄── RabbitMQ queue ◄────────────────┘─ event broker   RabbitMQ (pika)

Every replica reads endpoints.production.yml; the ``${VAR}`` values in it come from
:class:`Services` (the environment, with this machine's services as defaults). The backend runs on
PostgreSQL with its migrations (``python -m court serve`` applies them) and reads the
transcripts from the queue (court/jobs/transcript_broker.py). Used by ``python -m deploy run --profile
production`` (``make run-prod``) and by tests/production.

The backend runs as in production — ``COURT_DEV_MODE=0``, no development gateway, strong secrets —
with SMS (阿里云短信), identity (阿里云运营商三要素) and payments (微信支付 APIv3) through their real
protocols. No real provider keys exist on this machine, so unless the environment names a real
provider (``COURT_SMS_PROVIDER=aliyun``, ``COURT_IDENTITY_PROVIDER=aliyun``,
``COURT_PAYMENT_PROVIDER=wechatpay`` with their variables: README "Production providers"), the
profile starts loopback fakes of them as its own child processes (tests/fakes/aliyun.py,
tests/fakes/wechatpay.py) and says so loudly (:meth:`ProductionStack.fake_notice`).
"""
from __future__ import annotations

import os
import re
import secrets
import socket
import tempfile
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Mapping, Optional
from urllib.parse import quote

from court.infra.wechatpay_config import ENV as WECHATPAY_ENV
from deploy.stack import COURT_PYTHON, MODEL, ROOT, Ports, Stack, free_port, port_free

ENDPOINTS = ROOT / "endpoints.production.yml"
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "rasa-replicas.conf"
NGINX = Path("/usr/sbin/nginx")
DEFAULT_REPLICAS = 2
FIRST_REPLICA_PORT = 5006  # replicas on consecutive ports after the load balancer's 5005
IDENTITY_REGISTRY = ROOT / "court" / "data" / "identity_registry.json"  # whom the fake carrier knows

# Each external provider: the variable that names a real one, and the value that does.
PROVIDER_SWITCHES = {"sms": ("COURT_SMS_PROVIDER", "aliyun"), "identity": ("COURT_IDENTITY_PROVIDER", "aliyun"),
                     "payment": ("COURT_PAYMENT_PROVIDER", "wechatpay")}


def real_providers(env: Mapping[str, str] = os.environ) -> set[str]:
    """The providers the environment configures for real (their variables then pass to the backend
    as they are, and the backend refuses to start naming any that is missing)."""
    return {name for name, (var, value) in PROVIDER_SWITCHES.items() if env.get(var, "").strip().lower() == value}


def strong_secret(env: Mapping[str, str], name: str) -> str:
    """$name when it is set (a deployment's own), else a fresh random one for this run."""
    return env.get(name, "").strip() or secrets.token_urlsafe(48)


@dataclass
class Fakes:
    """The loopback fakes of the providers that have no real configuration, with their made-up keys."""

    wanted: set[str]
    var_dir: Path
    aliyun_port: int = field(default_factory=free_port)
    wechatpay_port: int = field(default_factory=free_port)
    aliyun_key_id: str = field(default_factory=lambda: f"LTAI-fake-{secrets.token_hex(8)}")
    aliyun_key_secret: str = field(default_factory=lambda: secrets.token_urlsafe(30))
    apiv3_key: str = field(default_factory=lambda: secrets.token_hex(16))  # 32 characters
    merchant_serial: str = field(default_factory=lambda: secrets.token_hex(20).upper())
    platform_key_id: str = field(default_factory=lambda: f"PUB_KEY_ID_{secrets.token_hex(16).upper()}")

    MCHID, APPID = "1900000109", "wxfakefakefake0001"

    @property
    def aliyun(self) -> bool:
        return bool(self.wanted & {"sms", "identity"})

    @property
    def wechatpay(self) -> bool:
        return "payment" in self.wanted

    @property
    def aliyun_url(self) -> str:
        return f"http://127.0.0.1:{self.aliyun_port}"

    @property
    def wechatpay_url(self) -> str:
        return f"http://127.0.0.1:{self.wechatpay_port}"

    @property
    def keys_dir(self) -> Path:
        return self.var_dir / "wechatpay-keys"

    def commands(self) -> dict[str, list[str]]:
        """name → the fake's command line (run with the backend's Python: it shares court's code)."""
        commands = {}
        if self.aliyun:
            commands["fake-aliyun"] = [str(COURT_PYTHON), "-m", "tests.fakes.aliyun", "--port", str(self.aliyun_port),
                                       "--key-id", self.aliyun_key_id, "--key-secret", self.aliyun_key_secret,
                                       "--registry", str(IDENTITY_REGISTRY)]
        if self.wechatpay:
            commands["fake-wechatpay"] = [
                str(COURT_PYTHON), "-m", "tests.fakes.wechatpay", "--port", str(self.wechatpay_port),
                "--keys", str(self.keys_dir), "--mchid", self.MCHID, "--appid", self.APPID,
                "--merchant-serial", self.merchant_serial, "--apiv3-key", self.apiv3_key,
                "--platform-key-id", self.platform_key_id]
        return commands

    def ports(self) -> dict[str, int]:
        return {name: port for name, port, on in (("fake-aliyun", self.aliyun_port, self.aliyun),
                                                  ("fake-wechatpay", self.wechatpay_port, self.wechatpay)) if on}

    def health_urls(self) -> dict[str, str]:
        urls = {}
        if self.aliyun:
            urls["fake-aliyun"] = f"{self.aliyun_url}/_sent"
        if self.wechatpay:
            urls["fake-wechatpay"] = f"{self.wechatpay_url}/_notifications"
        return urls

    def backend_env(self, notify_url: str) -> dict[str, str]:
        """The backend's provider variables, pointed at the fakes."""
        env: dict[str, str] = {}
        aliyun = {"endpoint": f"{self.aliyun_url}/", "id": self.aliyun_key_id, "secret": self.aliyun_key_secret}
        if "sms" in self.wanted:
            env.update({"COURT_SMS_PROVIDER": "aliyun", "COURT_ALIYUN_SMS_ACCESS_KEY_ID": aliyun["id"],
                        "COURT_ALIYUN_SMS_ACCESS_KEY_SECRET": aliyun["secret"],
                        "COURT_ALIYUN_SMS_SIGN_NAME": "电子诉讼服务", "COURT_ALIYUN_SMS_TEMPLATE": "SMS_FAKE0001",
                        "COURT_ALIYUN_SMS_ENDPOINT": aliyun["endpoint"]})
        if "identity" in self.wanted:
            env.update({"COURT_IDENTITY_PROVIDER": "aliyun", "COURT_ALIYUN_ID_ACCESS_KEY_ID": aliyun["id"],
                        "COURT_ALIYUN_ID_ACCESS_KEY_SECRET": aliyun["secret"],
                        "COURT_ALIYUN_ID_AUTH_CODE": "FAKE-AUTH-CODE", "COURT_ALIYUN_ID_ENDPOINT": aliyun["endpoint"]})
        if self.wechatpay:
            values = {"mchid": self.MCHID, "appid": self.APPID, "merchant_serial": self.merchant_serial,
                      "private_key_path": str(self.keys_dir / "merchant_private.pem"),
                      "platform_key_path": str(self.keys_dir / "platform_public.pem"),
                      "platform_key_id": self.platform_key_id, "apiv3_key": self.apiv3_key, "notify_url": notify_url}
            env.update({WECHATPAY_ENV[k]: v for k, v in values.items()})
            env.update(COURT_PAYMENT_PROVIDER="wechatpay", COURT_WECHATPAY_API_BASE=self.wechatpay_url)
        return env

    def notice(self) -> str:
        """What the launcher prints (and the tests' log shows) on every start: these are not real providers."""
        names = {"sms": "阿里云短信 SendSms", "identity": "阿里云运营商三要素 ThreeElementsVerification",
                 "payment": "微信支付 APIv3"}
        lines = [f"  {names[n]} → 本机模拟服务 {self.wechatpay_url if n == 'payment' else self.aliyun_url}"
                 for n in ("sms", "identity", "payment") if n in self.wanted]
        return ("!" * 78 + "\n注意：本机没有真实的外部服务密钥，以下外部服务是运行在 127.0.0.1 上的模拟服务（fakes），"
                "不会真的发短信、核验身份或收款：\n" + "\n".join(lines)
                + "\n在环境变量中配置真实服务（见 README“生产环境的外部服务”）即可替换。\n"
                "External providers are FAKES on loopback: no real provider keys exist on this machine.\n"
                + "!" * 78)


@dataclass(frozen=True)
class Services:
    """Where the shared services are, and the names this deployment uses on them.

    Each field is read from the environment variable in ``ENV`` (the names endpoints.production.yml
    uses); unset ones take this machine's defaults.
    """

    db_host: str = "127.0.0.1"
    db_port: str = "5432"
    db_user: str = "postgres"
    db_password: str = ""
    rasa_db: str = "rasa"
    court_db: str = "court"
    redis_host: str = "127.0.0.1"
    redis_port: str = "6379"
    redis_db: str = "1"
    lock_prefix: str = "rasa"
    amqp_host: str = "127.0.0.1"
    amqp_port: str = "5672"
    amqp_user: str = "guest"
    amqp_password: str = "guest"
    exchange: str = "rasa-exchange"
    events_queue: str = "rasa_events"

    ENV = {
        "db_host": "RASA_DB_HOST", "db_port": "RASA_DB_PORT", "db_user": "RASA_DB_USER",
        "db_password": "RASA_DB_PASSWORD", "rasa_db": "RASA_DB_NAME", "court_db": "COURT_DB_NAME",
        "redis_host": "REDIS_HOST", "redis_port": "REDIS_PORT", "redis_db": "REDIS_DB",
        "lock_prefix": "RASA_LOCK_KEY_PREFIX", "amqp_host": "RABBITMQ_HOST", "amqp_port": "RABBITMQ_PORT",
        "amqp_user": "RABBITMQ_USER", "amqp_password": "RABBITMQ_PASSWORD", "exchange": "RABBITMQ_EXCHANGE",
        "events_queue": "RASA_EVENTS_QUEUE",
    }

    def __post_init__(self) -> None:
        """Refuse what Rasa would silently replace, or what would not be a database name."""
        if not self.lock_prefix.isalnum():  # RedisLockStore drops a non-alphanumeric prefix with a warning
            raise ValueError(f"RASA_LOCK_KEY_PREFIX must be letters and digits only: {self.lock_prefix!r}")
        for name in (self.rasa_db, self.court_db):
            if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
                raise ValueError(f"database names are lower-case letters, digits and _: {name!r}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ, **overrides: str) -> "Services":
        values = {f.name: env[cls.ENV[f.name]] for f in fields(cls) if cls.ENV[f.name] in env}
        return cls(**{**values, **overrides})

    def rasa_env(self) -> dict[str, str]:
        """The ${VAR} values endpoints.production.yml reads (all but the action server's URL)."""
        return {var: getattr(self, name) for name, var in self.ENV.items() if name != "court_db"}

    @property
    def court_database_url(self) -> str:
        auth = quote(self.db_user, safe="") + (f":{quote(self.db_password, safe='')}" if self.db_password else "")
        return f"postgresql+asyncpg://{auth}@{self.db_host}:{self.db_port}/{self.court_db}"

    @property
    def amqp_url(self) -> str:
        return (f"amqp://{quote(self.amqp_user, safe='')}:{quote(self.amqp_password, safe='')}"
                f"@{self.amqp_host}:{self.amqp_port}/")

    def endpoints(self) -> dict[str, tuple[str, int]]:
        return {"PostgreSQL": (self.db_host, int(self.db_port)), "Redis": (self.redis_host, int(self.redis_port)),
                "RabbitMQ": (self.amqp_host, int(self.amqp_port))}


def unreachable(services: Services) -> list[str]:
    """The services that do not accept a connection, as 'name host:port'."""
    down = []
    for name, (host, port) in services.endpoints().items():
        try:
            socket.create_connection((host, port), timeout=3).close()
        except OSError:
            down.append(f"{name} {host}:{port}")
    return down


def ensure_database(services: Services, name: str) -> bool:
    """Create database `name` on the PostgreSQL server unless it exists; True if it was created.

    psycopg2 comes with Rasa (its SQL tracker store's driver), so the launcher needs nothing else.
    """
    import psycopg2  # imported here: the embedded profile needs no PostgreSQL driver
    from psycopg2 import errors, sql

    conn = psycopg2.connect(host=services.db_host, port=int(services.db_port), user=services.db_user,
                            password=services.db_password or None, dbname="postgres", connect_timeout=5)
    try:
        conn.autocommit = True  # CREATE DATABASE cannot run in a transaction
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cur.fetchone():
                return False
            try:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            except (errors.DuplicateDatabase, errors.UniqueViolation):  # created by someone else meanwhile
                return False
            return True
    finally:
        conn.close()


def drop_databases(services: Services) -> None:
    """Drop the deployment's two databases (the private ones of a test or benchmark run)."""
    import psycopg2

    conn = psycopg2.connect(host=services.db_host, port=int(services.db_port), user=services.db_user,
                            password=services.db_password or None, dbname="postgres", connect_timeout=5)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            for name in (services.rasa_db, services.court_db):
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        conn.close()


def consecutive_free_ports(count: int) -> list[int]:
    """`count` consecutive free ports (for tests, which cannot use 5006.. on a shared machine)."""
    for _ in range(50):
        base = free_port()
        ports = list(range(base, base + count))
        if all(port_free(p) for p in ports[1:]):
            return ports
    raise RuntimeError(f"no {count} consecutive free ports found")


def render_nginx_config(listen_port: int, replica_ports: list[int]) -> str:
    """deploy/nginx/rasa-replicas.conf with the load balancer's port and the replicas filled in."""
    servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in replica_ports)
    return (NGINX_TEMPLATE.read_text(encoding="utf-8")
            .replace("{{LISTEN}}", f"127.0.0.1:{listen_port}").replace("{{REPLICAS}}", servers))


@dataclass
class ProductionStack(Stack):
    """The stack with N Rasa replicas on shared stores, the load balancer on `ports.rasa`."""

    services: Services = field(default_factory=Services)
    replica_ports: list[int] = field(default_factory=list)
    fakes: Optional[Fakes] = None  # set by start_production: the providers without real configuration
    secret_key: str = field(default_factory=lambda: strong_secret(os.environ, "COURT_SECRET_KEY"))
    bot_key: str = field(default_factory=lambda: strong_secret(os.environ, "COURT_BOT_KEY"))

    @property
    def database_url(self) -> str:
        return self.services.court_database_url

    def replica_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.replica_ports[index]}"

    def backend_env(self) -> dict[str, str]:
        env = super().backend_env()
        del env["COURT_RASA_EVENTS_URL"]  # no SQL broker: the events come from RabbitMQ
        for name in [n for n in env if n.startswith("COURT_SMS_PER_")]:
            env.pop(name)  # production keeps every SMS limit (the bot's key exempts the bot from the per-address one)
        fakes = self.fakes.backend_env(f"{self.backend_url}/api/v1/payments/notify") if self.fakes else {}
        return {**env, "COURT_RASA_EVENTS_AMQP_URL": self.services.amqp_url,
                "COURT_RASA_EVENTS_QUEUE": self.services.events_queue,
                # as in production: no development gateway, secrets nobody has seen (profile.py checks)
                "COURT_DEV_MODE": "0", "COURT_SECRET_KEY": self.secret_key, "COURT_BOT_KEY": self.bot_key, **fakes}

    def actions_env(self) -> dict[str, str]:
        return {**super().actions_env(), "COURT_BOT_KEY": self.bot_key}  # alone may bind a conversation

    def start_backend(self, to_log: bool = True) -> None:
        """The providers' fakes first (the backend checks their keys when it starts), then the backend.
        A backend started again (the fault tests restart it) finds its fakes still running."""
        commands = self.fakes.commands() if self.fakes else {}
        started = [name for name in commands if name not in self.processes]
        for name in started:
            self._spawn(name, commands[name], {"PYTHONPATH": str(ROOT)}, to_log)
        if started:
            self.wait_until_ready()  # only what is started so far: the fakes
        super().start_backend(to_log)

    def start_rasa(self, model: Path = MODEL, to_log: bool = True, **_: object) -> None:
        """The replicas, then the load balancer in front of them."""
        env = {**self.services.rasa_env(), "ACTION_SERVER_URL": f"http://127.0.0.1:{self.ports.actions}/webhook"}
        for i, port in enumerate(self.replica_ports, 1):
            super().start_rasa(model, to_log, name=f"rasa-{i}", port=port, endpoints=ENDPOINTS, env=env)
        self.start_balancer(to_log)

    def start_balancer(self, to_log: bool = True) -> None:
        if not NGINX.exists():
            raise RuntimeError(f"{NGINX} is missing: install it with `make nginx`")
        prefix = self.var_dir / "nginx"
        (prefix / "temp").mkdir(parents=True, exist_ok=True)
        conf = prefix / "nginx.conf"
        conf.write_text(render_nginx_config(self.ports.rasa, self.replica_ports), encoding="utf-8")
        self._spawn("nginx", [str(NGINX), "-p", str(prefix), "-c", str(conf), "-e", "stderr"], {}, to_log)

    def listen_ports(self) -> dict[str, int]:
        ports = {**super().listen_ports(), "nginx": self.ports.rasa}
        del ports["rasa"]
        if self.fakes:
            ports.update(self.fakes.ports())
        return {**ports, **{f"rasa-{i}": port for i, port in enumerate(self.replica_ports, 1)}}

    def health_urls(self) -> dict[str, str]:
        urls = {**(self.fakes.health_urls() if self.fakes else {}), **super().health_urls()}
        del urls["rasa"]
        urls.update({f"rasa-{i}": f"{self.replica_url(i - 1)}/" for i in range(1, len(self.replica_ports) + 1)})
        urls["nginx"] = f"{self.rasa_url}/"  # answered by a replica through the balancer
        return urls


def start_production(ports: Optional[Ports] = None, var_dir: Optional[Path] = None, *,
                     replicas: int = DEFAULT_REPLICAS, replica_ports: Optional[list[int]] = None,
                     services: Optional[Services] = None, to_log: bool = True,
                     rasa_env: Optional[dict[str, str]] = None,
                     actions_backend_url: Optional[str] = None) -> ProductionStack:
    """Check the services, create the databases if missing, start everything and wait until it answers."""
    if replicas < 1:
        raise ValueError("at least one Rasa replica")
    services = services or Services.from_env()
    down = unreachable(services)
    if down:
        raise RuntimeError("these services do not answer: " + ", ".join(down)
                           + " (PostgreSQL, Redis and RabbitMQ must run for the production profile)")
    for name in (services.rasa_db, services.court_db):
        ensure_database(services, name)
    ports = ports or Ports()
    replica_ports = replica_ports or [FIRST_REPLICA_PORT + i for i in range(replicas)]
    var = var_dir or Path(tempfile.mkdtemp(prefix="court-prod-"))
    var.mkdir(parents=True, exist_ok=True)
    wanted = set(PROVIDER_SWITCHES) - real_providers()
    stack = ProductionStack(ports, var, extra_env=dict(rasa_env or {}), services=services,
                            replica_ports=list(replica_ports), actions_backend_url=actions_backend_url,
                            fakes=Fakes(wanted, var) if wanted else None)
    if stack.fakes:
        print(stack.fakes.notice(), flush=True)
    stack.start(to_log)
    return stack
