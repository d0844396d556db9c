"""The relational schema. Dates are kept twice: as the ISO text the article gave (a day stays a day, an offset
stays that offset) and as a UTC instant for indexes and ordering.

Later migrations add chats, subscriptions and alert deliveries; they reference ``commitments.id`` and
``conflicts.id``, which never change once written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# Explicit constraint names keep migrations identical on SQLite and PostgreSQL and let batch mode alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ISO_LENGTH = 40  # "2025-03-18T18:00:00.000000+03:00" and room to spare


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC datetime on every backend (SQLite stores it naive, so the zone is restored on reading)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UtcDateTime needs an aware datetime")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ArticleRow(Base):
    """One loaded article; ``content_hash`` makes loading the same story twice a no-op."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(128), unique=True)
    path: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(Text)
    published: Mapped[str] = mapped_column(String(ISO_LENGTH))
    published_utc: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    loaded_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class StatedTerms:
    """The columns of what is said of a commitment: merged over its sources on ``commitments``, as one article said
    it on ``commitment_sources``. Mixed in, its columns come after the table's own in the models' column order; the
    migrations fix the stored one."""

    actors: Mapped[list[str]] = mapped_column(JSON)
    scope: Mapped[str | None] = mapped_column(Text)
    conditions: Mapped[list[str]] = mapped_column(JSON)
    start: Mapped[str | None] = mapped_column(String(ISO_LENGTH))
    end: Mapped[str | None] = mapped_column(String(ISO_LENGTH))
    due: Mapped[str | None] = mapped_column(String(ISO_LENGTH))
    duration_days: Mapped[int | None] = mapped_column(Integer)
    quantity: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))


class CommitmentRow(StatedTerms, Base):
    """A commitment merged over all the articles that reported it."""

    __tablename__ = "commitments"
    __table_args__ = (
        Index("ix_commitments_kind_start_utc", "kind", "start_utc"),
        Index("ix_commitments_end_utc", "end_utc"),
        Index("ix_commitments_due_utc", "due_utc"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    # The merged start, end and due as UTC instants, for the indexes above.
    start_utc: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    end_utc: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    due_utc: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)
    # Editors' control (storage.edits): whether it is shown and alerted (REVIEWS), a counter every change bumps (a
    # review card carries it, so a press on a card sent before a change is recognised as stale), a headline of
    # their own, the fields they set ({field: ids of the articles known then}: later sources do not overwrite
    # them), the instant alerts are planned from (confirmed or re-dated then: earlier milestones are not owed),
    # and where a merged commitment went. No foreign key on ``merged_into_id``: SQLite adds one only by rebuilding
    # the table, and dropping the old one would fire the ON DELETE CASCADE of every table that references it.
    review: Mapped[str] = mapped_column(String(16), default="confirmed", server_default="confirmed", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    title: Mapped[str | None] = mapped_column(Text)
    corrected: Mapped[dict[str, list[int]] | None] = mapped_column(JSON)
    alerts_from: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    merged_into_id: Mapped[int | None] = mapped_column(Integer)

    sources: Mapped[list[CommitmentSourceRow]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan", passive_deletes=True
    )
    reports: Mapped[list[ReportRow]] = relationship(back_populates="commitment", passive_deletes=True)
    conflicts: Mapped[list[ConflictRow]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan", passive_deletes=True
    )


class CommitmentSourceRow(StatedTerms, Base):
    """What one article said about one commitment, so each source keeps its own dates and numbers."""

    __tablename__ = "commitment_sources"
    __table_args__ = (UniqueConstraint("commitment_id", "article_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    evidence: Mapped[str] = mapped_column(Text)

    commitment: Mapped[CommitmentRow] = relationship(back_populates="sources")
    article: Mapped[ArticleRow] = relationship()


class ReportRow(Base):
    """A claim from an article; ``commitment_id`` stays empty until a commitment it fits is known."""

    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_about_commitment_id", "about", "commitment_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("commitments.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    about: Mapped[str] = mapped_column(String(32))
    accused: Mapped[list[str]] = mapped_column(JSON)
    claimed_by: Mapped[str | None] = mapped_column(Text)
    date: Mapped[dt.date | None] = mapped_column(Date)
    quantity: Mapped[int | None] = mapped_column(Integer)
    evidence: Mapped[str] = mapped_column(Text)
    # confirmed | unconfirmed (waits for an editor: counts for nothing yet) | rejected | retracted.
    review: Mapped[str] = mapped_column(String(16), default="confirmed", server_default="confirmed", index=True)

    article: Mapped[ArticleRow] = relationship()
    commitment: Mapped[CommitmentRow | None] = relationship(back_populates="reports")


class EditRow(Base):
    """One change an editor made, kept for /history: who, when (the bot's clock), what and why.

    ``action`` is edit (``field`` from ``old`` to ``new``, JSON values as the status document writes them), merge
    (``field`` "merged_into" on the commitment that went, "merged_from" on the one that stayed), retract, confirm or
    reject; a report's retraction or review names the report too (and its commitment, when it was linked to one).
    Nothing here is ever updated or deleted.
    """

    __tablename__ = "edits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    field: Mapped[str | None] = mapped_column(String(32))
    old: Mapped[Any | None] = mapped_column(JSON)
    new: Mapped[Any | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    editor: Mapped[str] = mapped_column(Text)
    editor_id: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class ConflictRow(Base):
    """A stored finding; ``key`` is unique per commitment so re-running the rules never duplicates it."""

    __tablename__ = "conflicts"
    __table_args__ = (UniqueConstraint("commitment_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(255))
    summary: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)

    commitment: Mapped[CommitmentRow] = relationship(back_populates="conflicts")
    report_links: Mapped[list[ConflictReportRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ConflictReportRow.report_id"
    )
    article_links: Mapped[list[ConflictArticleRow]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ConflictArticleRow.position"
    )


class ConflictReportRow(Base):
    """A report a conflict rests on."""

    __tablename__ = "conflict_reports"

    conflict_id: Mapped[int] = mapped_column(ForeignKey("conflicts.id", ondelete="CASCADE"), primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True, index=True)


class ConflictArticleRow(Base):
    """An article a conflict rests on; ``position`` keeps the order the summary names them in."""

    __tablename__ = "conflict_articles"

    conflict_id: Mapped[int] = mapped_column(ForeignKey("conflicts.id", ondelete="CASCADE"), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ChatRow(Base):
    """A Telegram chat the bot has seen; ``id`` is Telegram's chat id (negative for groups), never generated here.

    Quiet hours are wall-clock times in the chat's own zone (TIME, portable to SQLite as text); both are set or
    neither. The fan-out question "who hears about commitment X" reads ``subscribed_all`` through its index.
    """

    __tablename__ = "chats"
    __table_args__ = (Index("ix_chats_subscribed_all_enabled", "subscribed_all", "enabled"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(16))
    title: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64))
    quiet_start: Mapped[dt.time | None] = mapped_column(Time)
    quiet_end: Mapped[dt.time | None] = mapped_column(Time)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    member: Mapped[bool] = mapped_column(Boolean, default=True)
    subscribed_all: Mapped[bool] = mapped_column(Boolean, default=False)
    # When "everything" was subscribed, on the bot's clock: milestones before it are not owed to the chat.
    subscribed_since: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)


class ChatCommitment:
    """A chat and a commitment, paired once: the primary key (chat_id, commitment_id) is the uniqueness rule and
    serves per-chat lookups; the commitment index serves the fan-out and the cascade when a commitment goes."""

    chat_id: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"), primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class SubscriptionRow(ChatCommitment, Base):
    """One chat following one commitment."""

    __tablename__ = "subscriptions"


class MuteRow(ChatCommitment, Base):
    """A commitment a chat that follows everything does not want to hear about ("Mute" under an alert,
    ``/unsubscribe ID``). Only "everything" is muted: a chat's own subscription is simply removed."""

    __tablename__ = "mutes"


class AlertRow(Base):
    """Something worth telling subscribers, once: a milestone of a commitment or a new conflict. ``key`` is unique
    ("milestone:<commitment id>:<slug>" or "conflict:<conflict id>"), so deriving it again never duplicates it.
    Editors add two kinds (storage.edits): "correction:<edit id>" (a date corrected, or something retracted, told
    to the chats that had alerts about it) and "review:commitment:<id>" / "review:report:<id>" (a card for admins)."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # milestone | conflict | correction | review
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str | None] = mapped_column(String(64))
    conflict_id: Mapped[int | None] = mapped_column(ForeignKey("conflicts.id", ondelete="CASCADE"), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class DeliveryRow(Base):
    """One alert owed to one chat. ``due_at`` is on the bot's clock (a replay clock runs fast); the lease, retry
    and sent times are real time, because they measure how long a worker or Telegram really took."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("alert_id", "chat_id"),
        # The claim query: pending (or expired "sending") rows in due order.
        Index("ix_deliveries_state_due_at", "state", "due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("chats.id", ondelete="CASCADE", onupdate="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(16))  # pending | sending | sent | failed | cancelled
    due_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(128))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    lease_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    sent_to_chat: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class SchedulerStateRow(Base):
    """Small named values the scheduler keeps between runs and processes (watermarks, the reconcile fingerprint)."""

    __tablename__ = "scheduler_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
