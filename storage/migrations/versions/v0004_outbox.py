"""The alert outbox: alerts (unique key), deliveries (one per alert and chat, with its state), scheduler state,
and chats.subscribed_since.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-22

Checked against storage.models (tests/storage/test_migrations.py asserts autogenerate finds no difference).
Deliveries go with their alert or chat (ON DELETE CASCADE); ON UPDATE CASCADE lets a chat id change carry them
along, although a group → supergroup move inserts a new chat row and storage.outbox.move_chat moves them.
Chats that already followed everything get their first-contact time as ``subscribed_since``: before this revision
nothing recorded the moment, and alerting them about every past milestone would be a flood.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("chats") as batch:
        batch.add_column(sa.Column("subscribed_since", _utc(), nullable=True))
    op.execute("UPDATE chats SET subscribed_since = created_at WHERE subscribed_all")

    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=True),
        sa.Column("conflict_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"], ["commitments.id"], name="fk_alerts_commitment_id_commitments", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["conflict_id"], ["conflicts.id"], name="fk_alerts_conflict_id_conflicts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_alerts"),
        sa.UniqueConstraint("key", name="uq_alerts_key"),
    )
    op.create_index("ix_alerts_commitment_id", "alerts", ["commitment_id"])
    op.create_index("ix_alerts_conflict_id", "alerts", ["conflict_id"])

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("due_at", _utc(), nullable=False),
        sa.Column("next_attempt_at", _utc(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=128), nullable=True),
        sa.Column("claimed_at", _utc(), nullable=True),
        sa.Column("lease_until", _utc(), nullable=True),
        sa.Column("sent_at", _utc(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("sent_to_chat", sa.BigInteger(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", _utc(), nullable=True),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"], name="fk_deliveries_alert_id_alerts", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["chat_id"], ["chats.id"], name="fk_deliveries_chat_id_chats", ondelete="CASCADE", onupdate="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        # Also serves "the deliveries of this alert" (and the cascade from alerts).
        sa.UniqueConstraint("alert_id", "chat_id", name="uq_deliveries_alert_id_chat_id"),
    )
    # The claim query: pending (or expired "sending") rows in due order.
    op.create_index("ix_deliveries_state_due_at", "deliveries", ["state", "due_at"])
    # move_chat, and the cascade when a chat is deleted.
    op.create_index("ix_deliveries_chat_id", "deliveries", ["chat_id"])

    op.create_table(
        "scheduler_state",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_scheduler_state"),
    )


def downgrade() -> None:
    op.drop_table("scheduler_state")
    op.drop_table("deliveries")
    op.drop_table("alerts")
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("subscribed_since")
