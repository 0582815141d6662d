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
        )
