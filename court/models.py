"""Tables: filings with their parties and claims, and the events that are both timeline and audit log."""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Integer, String, Text, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Money(TypeDecorator):
    """Yuan as an exact Decimal, stored as whole fen: SQLite has no exact decimal type."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Optional[Decimal], dialect: Any) -> Optional[int]:
        return None if value is None else int((value * 100).to_integral_value())

    def process_result_value(self, value: Optional[int], dialect: Any) -> Optional[Decimal]:
        return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every database (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        return None if value is None else value.astimezone(timezone.utc)

    def process_result_value(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Filing(Base):
    """A filing (立案申请): ECF's ReviewFiling payload, and its status as the court decides."""

    __tablename__ = "filings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[Optional[str]] = mapped_column(String(32), unique=True)
    idempotency_key: Mapped[Optional[str]] = mapped_column(String(128), unique=True)
    request_hash: Mapped[Optional[str]] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)
    case_type: Mapped[str] = mapped_column(String(64))
    court_code: Mapped[str] = mapped_column(String(16), index=True)
    court_name: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Optional[Decimal]] = mapped_column(Money)
    facts: Mapped[str] = mapped_column(Text)
    mediation_consent: Mapped[Optional[bool]]
    e_service_consent: Mapped[Optional[bool]]
    e_service_address: Mapped[Optional[str]] = mapped_column(String(256))
    channel: Mapped[Optional[str]] = mapped_column(String(32))
    conversation_id: Mapped[Optional[str]] = mapped_column(String(128), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    parties: Mapped[list["Party"]] = relationship(
        back_populates="filing", order_by="Party.position", cascade="all, delete-orphan", lazy="selectin"
    )
    claims: Mapped[list["Claim"]] = relationship(
        back_populates="filing", order_by="Claim.position", cascade="all, delete-orphan", lazy="selectin"
    )


class Party(Base):
    """A plaintiff, defendant or third party: a person or an organisation (民诉法 art. 124)."""

    __tablename__ = "parties"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))  # plaintiff | defendant | third_party
    kind: Mapped[str] = mapped_column(String(16))  # person | organisation
    name: Mapped[str] = mapped_column(String(128))
    id_number: Mapped[Optional[str]] = mapped_column(String(18))
    phone: Mapped[Optional[str]] = mapped_column(String(16))
    sex: Mapped[Optional[str]] = mapped_column(String(2))
    birth_date: Mapped[Optional[str]] = mapped_column(String(10))
    address: Mapped[Optional[str]] = mapped_column(String(256))
    legal_representative: Mapped[Optional[str]] = mapped_column(String(64))
    representative_title: Mapped[Optional[str]] = mapped_column(String(64))

    filing: Mapped[Filing] = relationship(back_populates="parties")


class Claim(Base):
    """One 诉讼请求, with its amount when it asks for money."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    amount: Mapped[Optional[Decimal]] = mapped_column(Money)

    filing: Mapped[Filing] = relationship(back_populates="claims")


class Event(Base):
    """Every state change: who, when, what, before → after. The timeline and the audit log are these rows."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[Optional[int]] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[Optional[str]] = mapped_column(String(16))
    after: Mapped[Optional[str]] = mapped_column(String(16))
    detail: Mapped[Optional[dict]] = mapped_column(JSON)
