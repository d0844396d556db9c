"""Mutes: commitments a chat that follows everything does not want to hear about.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Checked against storage.models (tests/storage/test_migrations.py asserts autogenerate finds no difference).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mutes",
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["chat_id"], ["chats.id"], name="fk_mutes_chat_id_chats", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["commitment_id"], ["commitments.id"], name="fk_mutes_commitment_id_commitments", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("chat_id", "commitment_id", name="pk_mutes"),
    )
    op.create_index("ix_mutes_commitment_id", "mutes", ["commitment_id"])


def downgrade() -> None:
    op.drop_index("ix_mutes_commitment_id", table_name="mutes")
    op.drop_table("mutes")
