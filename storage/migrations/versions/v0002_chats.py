"""Chats and subscriptions: who hears about which commitment, in which language and zone, with which quiet hours.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Checked by hand against storage.models.ChatRow / SubscriptionRow (tests/storage/test_migrations.py asserts
autogenerate finds no difference). Chat ids are Telegram's (BIGINT, negative for groups, never generated, so no
sequence on PostgreSQL). Quiet hours are TIME without zone: wall-clock times in the chat's own timezone.
Subscriptions go with their chat or commitment (ON DELETE CASCADE); the commitment index serves the alert
fan-out ("which chats hear about commitment X") and makes that cascade cheap.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "chats",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("quiet_start", sa.Time(), nullable=True),
        sa.Column("quiet_end", sa.Time(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", sa.Text(), nullable=True),
        sa.Column("member", sa.Boolean(), nullable=False),
        sa.Column("subscribed_all", sa.Boolean(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_chats"),
    )
    # The "subscribed to everything" half of the fan-out, already narrowed to the chats that can receive.
    op.create_index("ix_chats_subscribed_all_enabled", "chats", ["subscribed_all", "enabled"])

    op.create_table(
        "subscriptions",
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(["chat_id"], ["chats.id"], name="fk_subscriptions_chat_id_chats", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name="fk_subscriptions_commitment_id_commitments",
            ondelete="CASCADE",
        ),
        # Also the unique (chat_id, commitment_id) rule, and the per-chat lookup.
        sa.PrimaryKeyConstraint("chat_id", "commitment_id", name="pk_subscriptions"),
    )
    # The per-commitment half of the fan-out, and the ON DELETE CASCADE from commitments.
    op.create_index("ix_subscriptions_commitment_id", "subscriptions", ["commitment_id"])


def downgrade() -> None:
    op.drop_table("subscriptions")
    op.drop_table("chats")
