"""Settings read from the environment, with embedded defaults that need nothing installed."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
DEFAULT_RASA_URL = "http://127.0.0.1:5005"


@dataclass(frozen=True)
class Settings:
    """Everything the backend needs to start; `from_env()` for real runs, kwargs in tests."""

    database_url: str = f"sqlite+aiosqlite:///{VAR / 'court.db'}"
    # JSON bodies larger than this are refused with 413 before they are parsed.
    max_json_bytes: int = 256 * 1024
    upload_max_bytes: int = 20 * 1024 * 1024
    upload_dir: Path = VAR / "uploads"
    # Province whose figures fill the ranges of 《诉讼费用交纳办法》 art. 13 (None: answer the range).
    fee_province: str | None = None
    # At most this many documents per filing (a bound on disk use, not a legal rule).
    upload_max_files: int = 50
    # ... and at most this many bytes of them together (issue 9, finding 7).
    upload_max_filing_bytes: int = 200 * 1024 * 1024
    # A request body that stalls this long between bytes, or takes longer in all, ends in 408.
    body_idle_timeout_s: float = 30.0
    body_total_timeout_s: float = 600.0
    # SMS codes one client address may ask for (court/services/limits.py; the action server is not counted).
    sms_per_address_hour: int = 20
    sms_per_address_day: int = 60
    # ... one mobile number and one ID number (the embedded stack raises them: its test litigants repeat).
    sms_per_phone_hour: int = 5
    sms_per_phone_day: int = 10
    sms_per_id_hour: int = 5
    sms_per_id_day: int = 10
    # New filings one litigant may submit in 24 hours (each renders a PDF; a person rarely needs more).
    filings_per_day: int = 20
    # The sweeper (court/jobs/sweeper.py): orphaned uploads, expired drafts and challenges.
    # Off in settings built in code (tests); from_env() turns it on unless COURT_SWEEP_JOB=0.
    sweep_job: bool = False
    sweep_interval_s: float = 3600.0
    # Development gateways (SMS outbox, the payment page /dev/pay/{order_no}, the repository's
    # payment secret). Off unless COURT_DEV_MODE=1: production refuses to start without real ones
    # (court/infra/profile.py). The embedded stack and the tests turn it on explicitly.
    dev_mode: bool = False
    # Payment provider: only "dev" (HMAC-signed, WeChat Pay API v3-shaped notifications) exists yet.
    payment_provider: str = "dev"
    payment_dev_secret: str = "dev-payment-secret-not-for-production"
    # Where litigants reach this server, for links such as pay_url ("" = the request's own origin).
    public_base_url: str = ""
    # The overdue-fee job (court/jobs/deadlines.py). Settings built in code (tests) leave it off;
    # from_env() turns it on unless COURT_DEADLINE_JOB=0.
    deadline_job: bool = False
    deadline_interval_s: float = 60.0
    # Rasa's events from RabbitMQ into transcripts (court/jobs/transcript_broker.py; the production
    # profile). None: no consumer (the embedded default reads the SQL broker, COURT_RASA_EVENTS_URL).
    rasa_events_amqp_url: str | None = None
    rasa_events_queue: str = "rasa_events"
    # Rasa's SQL event broker database, read into transcripts (court/jobs/conversations.py); None: off.
    rasa_events_url: str | None = None
    # Rasa's HTTP API, where court notices are delivered into conversations; None: no delivery job
    # (a one-off send, such as a staff reply, then goes to DEFAULT_RASA_URL).
    rasa_url: str | None = None
    # What litigants' browsers use to reach Rasa's socket.io (default: rasa_url).
    rasa_public_url: str | None = None
    rasa_token: str | None = None  # Rasa's --auth-token, if it has one (travels as ?token=: legacy)
    # Rasa's --jwt-secret (HS256): the backend then sends a short-lived admin JWT in the Authorization
    # header instead of the token in the URL, where access logs and proxies keep it (issue 9).
    rasa_jwt_secret: str | None = None
    transcript_interval_s: float = 1.0
    # The complaint worker (court/jobs/complaint_renders.py): renders the 起诉状 after the filing is
    # answered. Settings built in code (tests) leave it off, so a test renders with
    # render_pending(); from_env() turns it on unless COURT_COMPLAINT_WORKER=0. Processes: the size
    # of its process pool (0: a thread of the backend process); interval: how often it looks for
    # renders it was not woken for (another process's, or one whose lease ran out).
    complaint_worker: bool = False
    complaint_processes: int = 1
    complaint_interval_s: float = 5.0
    # Test hooks read at run time: clock, sms_gateway, secret_key, pdf_fonts, and the Rasa URLs
    # above (a test starts its fake Rasa after the app).
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ
        return cls(
            database_url=env.get("COURT_DATABASE_URL", cls.database_url),
            max_json_bytes=int(env.get("COURT_MAX_JSON_BYTES", cls.max_json_bytes)),
            upload_max_bytes=int(env.get("COURT_UPLOAD_MAX_BYTES", cls.upload_max_bytes)),
            upload_dir=Path(env.get("COURT_UPLOAD_DIR", str(cls.upload_dir))),
            fee_province=env.get("COURT_FEE_PROVINCE") or None,
            upload_max_files=int(env.get("COURT_UPLOAD_MAX_FILES", cls.upload_max_files)),
            upload_max_filing_bytes=int(env.get("COURT_UPLOAD_MAX_FILING_BYTES", cls.upload_max_filing_bytes)),
            body_idle_timeout_s=float(env.get("COURT_BODY_IDLE_TIMEOUT_S", cls.body_idle_timeout_s)),
            body_total_timeout_s=float(env.get("COURT_BODY_TOTAL_TIMEOUT_S", cls.body_total_timeout_s)),
            filings_per_day=int(env.get("COURT_FILINGS_PER_DAY", cls.filings_per_day)),
            sms_per_address_hour=int(env.get("COURT_SMS_PER_ADDRESS_HOUR", cls.sms_per_address_hour)),
            sms_per_address_day=int(env.get("COURT_SMS_PER_ADDRESS_DAY", cls.sms_per_address_day)),
            sms_per_phone_hour=int(env.get("COURT_SMS_PER_PHONE_HOUR", cls.sms_per_phone_hour)),
            sms_per_phone_day=int(env.get("COURT_SMS_PER_PHONE_DAY", cls.sms_per_phone_day)),
            sms_per_id_hour=int(env.get("COURT_SMS_PER_ID_HOUR", cls.sms_per_id_hour)),
            sms_per_id_day=int(env.get("COURT_SMS_PER_ID_DAY", cls.sms_per_id_day)),
            sweep_job=_flag(env.get("COURT_SWEEP_JOB"), True),
            sweep_interval_s=float(env.get("COURT_SWEEP_INTERVAL_S", cls.sweep_interval_s)),
            dev_mode=_flag(env.get("COURT_DEV_MODE"), cls.dev_mode),
            payment_provider=env.get("COURT_PAYMENT_PROVIDER", cls.payment_provider),
            payment_dev_secret=env.get("COURT_PAYMENT_DEV_SECRET", cls.payment_dev_secret),
            public_base_url=env.get("COURT_PUBLIC_BASE_URL", cls.public_base_url).rstrip("/"),
            deadline_job=_flag(env.get("COURT_DEADLINE_JOB"), True),
            deadline_interval_s=float(env.get("COURT_DEADLINE_INTERVAL_S", cls.deadline_interval_s)),
            rasa_events_amqp_url=env.get("COURT_RASA_EVENTS_AMQP_URL", "").strip() or None,
            rasa_events_queue=env.get("COURT_RASA_EVENTS_QUEUE", "").strip() or cls.rasa_events_queue,
            rasa_events_url=_url(env.get("COURT_RASA_EVENTS_URL")),
            rasa_url=_url(env.get("COURT_RASA_URL")),
            rasa_public_url=_url(env.get("COURT_RASA_PUBLIC_URL")),
            rasa_token=_url(env.get("COURT_RASA_TOKEN")),
            rasa_jwt_secret=env.get("COURT_RASA_JWT_SECRET", "").strip() or None,
            transcript_interval_s=float(env.get("COURT_TRANSCRIPT_INTERVAL_S", cls.transcript_interval_s)),
            complaint_worker=_flag(env.get("COURT_COMPLAINT_WORKER"), True),
            complaint_processes=int(env.get("COURT_COMPLAINT_PROCESSES", cls.complaint_processes)),
            complaint_interval_s=float(env.get("COURT_COMPLAINT_INTERVAL_S", cls.complaint_interval_s)),
        )

    def _rasa(self, name: str) -> str | None:
        return _url(self.extra.get(name)) or getattr(self, name)

    def rasa_api_url(self) -> str:
        """Where notices are posted: the configured Rasa, or the local default for one-off sends."""
        return self._rasa("rasa_url") or DEFAULT_RASA_URL

    def rasa_browser_url(self) -> str:
        """Where a litigant's browser reaches Rasa's socket.io (the page is told, and its CSP allows it)."""
        return self._rasa("rasa_public_url") or self.rasa_api_url()

    def delivery_configured(self) -> bool:
        """Delivery retries and review notices run only when Rasa's URL is configured."""
        return self._rasa("rasa_url") is not None

    def rasa_events_source(self) -> str | None:
        return self._rasa("rasa_events_url")

    def rasa_api_token(self) -> str | None:
        return self._rasa("rasa_token")

    def rasa_api_jwt_secret(self) -> str | None:
        return self.extra.get("rasa_jwt_secret") or self.rasa_jwt_secret


def _url(value: object) -> str | None:
    """A URL or token from the environment: stripped, without a trailing slash; blank is None."""
    return value.strip().rstrip("/") if isinstance(value, str) and value.strip() else None


def _flag(value: str | None, default: bool) -> bool:
    """An on/off environment variable: 0/false/no/off is off, anything else is on, unset is the default."""
    if value is None or not value.strip():
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")
