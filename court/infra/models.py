"""Tables: filings with their parties and claims, and the events that are both timeline and audit log."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import (
    JSON, BigInteger, Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, TypeDecorator,
    UniqueConstraint,
    false,
)
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
    litigant_id: Mapped[Optional[int]] = mapped_column(ForeignKey("litigants.id", ondelete="SET NULL"), index=True)
    # The clerk's last decision: every missing item at once (一次性告知), or the reason for refusal.
    review_items: Mapped[Optional[list]] = mapped_column(JSON)
    review_reason: Mapped[Optional[str]] = mapped_column(Text)
    # 证据和证据来源 (民事诉讼法 art. 124(四)): [{"name", "source", "purpose"}], migration 0005.
    evidence: Mapped[Optional[list]] = mapped_column(JSON)
    # 证人姓名和住所 (民事诉讼法 art. 124(四)): [{"name", "address"}] (migration 0013)
    witnesses: Mapped[Optional[list]] = mapped_column(JSON)
    # 司法救助 applied for with the filing and the clerk's decision (court/services/fee_relief.py, 0013)
    fee_relief: Mapped[Optional[dict]] = mapped_column(JSON)
    # 民诉法第一百二十六条: decide within 7 days of receipt, counted again from a correction (migration 0009).
    decision_due: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # 需补正's 指定期限 (登记立案规定第七条), 24:00 of its last day; missed → returned (jobs/deadlines.py, 0013)
    correction_due: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)  # the dashboard's days
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # Filings per litigant per day are counted by this (migration 0015).
    __table_args__ = (Index("ix_filings_litigant_created", "litigant_id", "created_at"),)

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
    ethnicity: Mapped[Optional[str]] = mapped_column(String(32))  # 民族 (migration 0013)
    occupation: Mapped[Optional[str]] = mapped_column(String(128))  # 职业或工作单位
    org_form: Mapped[Optional[str]] = mapped_column(String(16))  # legal_person | other (其他组织)
    legal_agent: Mapped[Optional[str]] = mapped_column(String(64))  # 法定代理人
    legal_agent_relation: Mapped[Optional[str]] = mapped_column(String(32))
    agent: Mapped[Optional[str]] = mapped_column(String(64))  # 委托诉讼代理人
    agent_detail: Mapped[Optional[str]] = mapped_column(String(128))

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
    __table_args__ = (Index("ix_events_action_at", "action", "at"),)  # the dashboard's decisions (0012)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[Optional[int]] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[Optional[str]] = mapped_column(String(16))
    after: Mapped[Optional[str]] = mapped_column(String(16))
    detail: Mapped[Optional[dict]] = mapped_column(JSON)


class Litigant(Base):
    """A person who proved who they are (实名认证): name, ID number and a mobile that received the code."""

    __tablename__ = "litigants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    phone: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IdentityChallenge(Base):
    """A 6-digit code sent to a mobile; only its hash is kept, it expires and allows few attempts."""

    __tablename__ = "identity_challenges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    challenge_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    phone: Mapped[str] = mapped_column(String(16))
    code_hash: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used: Mapped[bool] = mapped_column(default=False)
    # The identity provider's reference when it confirmed name + ID number + phone (migration 0007):
    # only such a challenge may move a verified record to this phone or name.
    provider_ref: Mapped[Optional[str]] = mapped_column(String(64))
    # The client address that asked (migration 0015): codes are limited per address too; None for
    # the action server, which speaks for many litigants (court/services/limits.py).
    address: Mapped[Optional[str]] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_identity_challenges_phone_created", "phone", "created_at"),
        Index("ix_identity_challenges_address_created", "address", "created_at"),
    )


class SmsOutbox(Base):
    """What the built-in development SMS gateway 'sent' (a real gateway replaces it in production)."""

    __tablename__ = "sms_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    phone: Mapped[str] = mapped_column(String(16), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Token(Base):
    """A bearer token for a litigant or a staff member; only its SHA-256 is stored."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    litigant_id: Mapped[Optional[int]] = mapped_column(ForeignKey("litigants.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    # A litigant token speaks for one conversation, bound when identity was confirmed (migration
    # 0007): filings, tickets and drafts take it from here, never from a request body.
    conversation_id: Mapped[Optional[str]] = mapped_column(String(255))
    channel: Mapped[Optional[str]] = mapped_column(String(32))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Staff(Base):
    """Court staff: clerk, judge or admin; password hashed (argon2)."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16))  # clerk | judge | admin
    court_code: Mapped[Optional[str]] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Base32 TOTP secret (RFC 6238, pyotp): the second factor, required in production mode.
    totp_secret: Mapped[Optional[str]] = mapped_column(String(64))


class StaffLoginFailure(Base):
    """One failed staff login: the throttle per address and the lockout per account count these."""

    __tablename__ = "staff_login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class StaffAudit(Base):
    """Who opened what: a staff member reading a transcript or a party's unmasked ID number."""

    __tablename__ = "staff_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(32))  # transcript | filing | case (court/services/staff_audit.py)
    subject: Mapped[str] = mapped_column(String(64))  # the conversation id, filing or case number
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class Document(Base):
    """An uploaded file: the lead document (起诉状) or evidence; stored outside any served folder."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # lead | evidence | correction | superseded
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(128))  # DOCX's alone is 71 (migration 0003)
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_path: Mapped[str] = mapped_column(String(512))
    description: Mapped[Optional[str]] = mapped_column(String(256))
    # Made by the backend from the filing (court/services/complaint.py), not uploaded (migration 0005).
    generated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FilingDraft(Base):
    """What the chat had collected before 提交 (待提交): one per litigant, offered when they return."""

    __tablename__ = "filing_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    litigant_id: Mapped[int] = mapped_column(ForeignKey("litigants.id", ondelete="CASCADE"), unique=True)
    data: Mapped[dict] = mapped_column(JSON)
    conversation_id: Mapped[Optional[str]] = mapped_column(String(128))
    channel: Mapped[Optional[str]] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class CaseSequence(Base):
    """The next case-number sequence per court, type code and year (案号 restarts every year)."""

    __tablename__ = "case_sequences"

    court_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    type_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class Case(Base):
    """A docketed case (RecordDocketing): its official case number and status."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("court_code", "type_code", "year", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_number: Mapped[str] = mapped_column(String(64), unique=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), unique=True)
    court_code: Mapped[str] = mapped_column(String(16))
    type_code: Mapped[str] = mapped_column(String(8))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    docketed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FeeNotice(Base):
    """交费通知: the fee to prepay within 7 days of the day after receipt (诉讼费用交纳办法 art. 22)."""

    __tablename__ = "fee_notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    basis: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Set by service, not by issue (art. 22): empty until served, or when the holiday calendar
    # does not reach the deadline yet (never guessed). Migration 0009.
    due_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    served_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    service_method: Mapped[Optional[str]] = mapped_column(String(16))  # electronic | mail | direct | ...
    status: Mapped[str] = mapped_column(String(16))  # unpaid | paid | overdue | relief


class Payment(Base):
    """A payment order for a fee notice; the amount always comes from the notice, never the client."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_no: Mapped[str] = mapped_column(String(32), unique=True)
    fee_notice_id: Mapped[int] = mapped_column(ForeignKey("fee_notices.id", ondelete="CASCADE"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    provider: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))  # created | paid | closed
    provider_txn: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    paid_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # The provider's payment link (WeChat Pay Native code_url); None: derived from order_no (dev page).
    pay_url: Mapped[Optional[str]] = mapped_column(String(512))


class PaymentNotification(Base):
    """Every provider callback nonce seen, so that a replayed callback changes nothing."""

    __tablename__ = "payment_notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Ticket(Base):
    """A request for a person (request_human): staff answer it in the console."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    litigant_id: Mapped[Optional[int]] = mapped_column(ForeignKey("litigants.id", ondelete="SET NULL"))
    conversation_id: Mapped[str] = mapped_column(String(128), index=True)
    channel: Mapped[Optional[str]] = mapped_column(String(32))
    question: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # open | answered | closed
    answer: Mapped[Optional[str]] = mapped_column(Text)
    answered_by: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    answered_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


# --- conversations: Rasa's events folded into turns, and the court's messages into them ---


class TranscriptConversation(Base):
    """One Rasa conversation (sender id): what the console lists and searches."""

    __tablename__ = "transcript_conversations"

    conversation_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    channel: Mapped[Optional[str]] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    turn_count: Mapped[int] = mapped_column(Integer, default=0)
    # " 13800138000 13900139000 ": every mobile said or set, space-delimited for LIKE '% n %'.
    phones: Mapped[str] = mapped_column(Text, default=" ")
    filing_numbers: Mapped[str] = mapped_column(Text, default=" ")
    requested_slot: Mapped[Optional[str]] = mapped_column(String(64))  # to hide the SMS code; where people leave
    # When the litigant passed 实名认证 (the litigant_token slot was set): the dashboard's funnel (0012).
    verified_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class TranscriptTurn(Base):
    """One turn: the litigant's message and what the assistant did with it (or a message it sent unasked)."""

    __tablename__ = "transcript_turns"
    __table_args__ = (UniqueConstraint("conversation_id", "seq"),
                      Index("ix_transcript_turns_confidence", "confidence"))  # the NLU inbox (0012)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("transcript_conversations.conversation_id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # user | bot (unprompted) | notice (from the court)
    channel: Mapped[Optional[str]] = mapped_column(String(32))
    user_text: Mapped[Optional[str]] = mapped_column(Text)
    intent: Mapped[Optional[str]] = mapped_column(String(128))
    confidence: Mapped[Optional[float]] = mapped_column(Float)
    entities: Mapped[Optional[list]] = mapped_column(JSON)
    bot: Mapped[list] = mapped_column(JSON, default=list)
    slots: Mapped[dict] = mapped_column(JSON, default=dict)
    actions: Mapped[list] = mapped_column(JSON, default=list)


class NluLabel(Base):
    """A clerk's label on a message the assistant did not understand: the right intent, or out of
    scope. ``text`` is the message masked (court/rules/privacy.py) as it will be exported."""

    __tablename__ = "nlu_labels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    turn_id: Mapped[int] = mapped_column(ForeignKey("transcript_turns.id", ondelete="CASCADE"), unique=True)
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[Optional[str]] = mapped_column(String(128))  # None when out of scope
    out_of_scope: Mapped[bool] = mapped_column(Boolean, default=False)
    staff_id: Mapped[Optional[int]] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    labelled_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class TranscriptCursor(Base):
    """How far a stream has been read: ``rasa_events`` (broker row id), ``court_events`` (events.id)."""

    __tablename__ = "transcript_cursors"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger)


class Delivery(Base):
    """A message from the court into a conversation: sent once, retried while Rasa is unreachable."""

    __tablename__ = "conversation_deliveries"
    __table_args__ = (UniqueConstraint("kind", "ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(255), index=True)
    channel: Mapped[Optional[str]] = mapped_column(String(32))
    # staff_reply | docketed | correction_requested | rejected | fee_notice_issued | fee_paid
    kind: Mapped[str] = mapped_column(String(32))
    ref: Mapped[str] = mapped_column(String(64))  # ticket public id, or "event:<id>"
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending | sending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[Optional[str]] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


class TranscriptInbox(Base):
    """Events already folded into turns, by key: what makes a redelivered message harmless."""

    __tablename__ = "transcript_inbox"

    event_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class ComplaintRender(Base):
    """A generated 起诉状 still to be rendered, written with the filing (or its resubmission) it is for.

    Why a row: the PDF is rendered after the filing is answered (court/jobs/complaint_renders.py);
    a backend that dies in between leaves the row pending, and the next start renders it.
    `lease_until` is how long the process that took it may take (another process waits till then).
    """

    __tablename__ = "complaint_renders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending | done | failed | skipped | superseded
    signed_on: Mapped[datetime] = mapped_column(UTCDateTime)  # the date the complaint bears (submission time)
    base_url: Mapped[Optional[str]] = mapped_column(String(255))  # where the litigant's link points
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    last_error: Mapped[Optional[str]] = mapped_column(String(256))
    document_id: Mapped[Optional[str]] = mapped_column(String(64))  # the Document's public id once rendered
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)


# --- enforcement (申请执行): migration 0016 ---


class EffectiveJudgment(Base):
    """A case's decision marked effective by staff (生效): what makes it a 执行依据 the court knows."""

    __tablename__ = "effective_judgments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # judgment | ruling | mediation
    effective_on: Mapped[date] = mapped_column(Date)
    performance_last_day: Mapped[Optional[date]] = mapped_column(Date)  # 民诉法第二百五十条第二款
    marked_by: Mapped[str] = mapped_column(String(64))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Enforcement(Base):
    """申请执行: an application, then (once docketed) the enforcement case with its 执 number."""

    __tablename__ = "enforcements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)  # ZX + date + id: the application's number
    idempotency_key: Mapped[Optional[str]] = mapped_column(String(128), unique=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    litigant_id: Mapped[int] = mapped_column(ForeignKey("litigants.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[Optional[str]] = mapped_column(String(255))
    channel: Mapped[Optional[str]] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending | docketed | rejected | closed
    basis_kind: Mapped[str] = mapped_column(String(16))
    basis_number: Mapped[Optional[str]] = mapped_column(String(64))
    basis_document: Mapped[Optional[str]] = mapped_column(String(256))
    basis_case_id: Mapped[Optional[int]] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    basis_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)  # False: staff confirm it
    court_code: Mapped[str] = mapped_column(String(16), index=True)
    court_name: Mapped[str] = mapped_column(String(64))
    court_note: Mapped[Optional[str]] = mapped_column(Text)
    applicant: Mapped[dict] = mapped_column(JSON)
    respondent: Mapped[dict] = mapped_column(JSON)
    amount: Mapped[Optional[Decimal]] = mapped_column(Money)
    acts: Mapped[Optional[str]] = mapped_column(Text)
    property_leads: Mapped[list] = mapped_column(JSON)
    performance_last_day: Mapped[date] = mapped_column(Date)
    interrupted_on: Mapped[Optional[date]] = mapped_column(Date)
    period_last_day: Mapped[date] = mapped_column(Date)
    fee: Mapped[Optional[Decimal]] = mapped_column(Money)
    fee_text: Mapped[str] = mapped_column(Text)
    case_number: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    reject_reason: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EnforcementStep(Base):
    """One step of an enforcement case (立案, 网络查控, …, 结案), sent to the applicant as it happens."""

    __tablename__ = "enforcement_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enforcement_id: Mapped[int] = mapped_column(ForeignKey("enforcements.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(16))
    note: Mapped[Optional[str]] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- the electronic case file (电子卷宗随案同步生成): court/services/case_file.py (migration 0017) ---


class CaseFile(Base):
    """One per filing: the last item number handed out. Its row lock orders two items arriving at once."""

    __tablename__ = "case_files"

    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class CaseFileItem(Base):
    """One entry of the 卷宗目录: what it is, when, from whom, who may see it, and its pages once rendered.

    ``ref`` names what the item was made from ("event:<id>:notice", "document:<public id>") so that
    filing the same thing twice is a no-op. The rendered PDF (``storage_path``) is written once, the
    first time the file is assembled, and never again: appending an item re-renders nothing else.
    """

    __tablename__ = "case_file_items"
    __table_args__ = (UniqueConstraint("filing_id", "seq"), UniqueConstraint("filing_id", "ref"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filings.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    ref: Mapped[str] = mapped_column(String(96))
    kind: Mapped[str] = mapped_column(String(32))  # complaint | evidence | correction | notice | receipt | record …
    title: Mapped[str] = mapped_column(String(128))
    source: Mapped[str] = mapped_column(String(64))  # 当事人 | 本院 | 支付机构 …
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    staff_only: Mapped[bool] = mapped_column(Boolean, default=False)
    document_id: Mapped[Optional[str]] = mapped_column(String(32))  # documents.public_id of an uploaded/generated file
    body: Mapped[Optional[str]] = mapped_column(Text)  # the text of a notice or record made by the court
    pages: Mapped[Optional[int]] = mapped_column(Integer)
    storage_path: Mapped[Optional[str]] = mapped_column(String(512))
    sha256: Mapped[Optional[str]] = mapped_column(String(64))
