"""Settings read from the environment, with embedded defaults that need nothing installed."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"


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
    # Development conveniences: the simulated payment page /dev/pay/{order_no}.
    # Set COURT_DEV_MODE=0 in production (the dev provider then also needs its own secret).
    dev_mode: bool = True
    # Payment provider: only "dev" (HMAC-signed, WeChat Pay API v3-shaped notifications) exists yet.
    payment_provider: str = "dev"
    payment_dev_secret: str = "dev-payment-secret-not-for-production"
    # Where litigants reach this server, for links such as pay_url ("" = the request's own origin).
    public_base_url: str = ""
    # The overdue-fee job (court/deadlines.py). Settings built in code (tests) leave it off;
    # from_env() turns it on unless COURT_DEADLINE_JOB=0.
    deadline_job: bool = False
    deadline_interval_s: float = 60.0
    # Rasa's events from RabbitMQ into transcripts (court/transcript_broker.py; the production
    # profile). None: no consumer (the embedded default reads the SQL broker, COURT_RASA_EVENTS_URL).
    rasa_events_amqp_url: str | None = None
    rasa_events_queue: str = "rasa_events"
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
            dev_mode=_flag(env.get("COURT_DEV_MODE"), cls.dev_mode),
            payment_provider=env.get("COURT_PAYMENT_PROVIDER", cls.payment_provider),
            payment_dev_secret=env.get("COURT_PAYMENT_DEV_SECRET", cls.payment_dev_secret),
            public_base_url=env.get("COURT_PUBLIC_BASE_URL", cls.public_base_url).rstrip("/"),
            deadline_job=_flag(env.get("COURT_DEADLINE_JOB"), True),
            deadline_interval_s=float(env.get("COURT_DEADLINE_INTERVAL_S", cls.deadline_interval_s)),
            rasa_events_amqp_url=env.get("COURT_RASA_EVENTS_AMQP_URL", "").strip() or None,
            rasa_events_queue=env.get("COURT_RASA_EVENTS_QUEUE", "").strip() or cls.rasa_events_queue,
        )


def _flag(value: str | None, default: bool) -> bool:
    """An on/off environment variable: 0/false/no/off is off, anything else is on, unset is the default."""
    if value is None or not value.strip():
        return default
    return value.strip().lower() not in ("0", "false", "no", "off")
