"""Editors in control: review state, version, editor's title, corrected fields, alerts-from and merges on
commitments; review state on reports; the edits table (who changed what, when and why).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-09

Checked against storage.models (tests/storage/test_migrations.py asserts autogenerate finds no difference, and that
a database written by revision 0005 keeps every row). Every new column is either nullable or has a server default,
so SQLite adds them with ALTER TABLE ADD COLUMN and never rebuilds ``commitments``: a rebuild drops the old table,
and with foreign keys on that would fire the ON DELETE CASCADE of every table that references it. That is also why
``merged_into_id`` has no foreign key. What was tracked before stays as it was: confirmed, version 1, no edits.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("commitments") as batch:
        batch.add_column(sa.Column("review", sa.String(length=16), server_default="confirmed", nullable=False))
        batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
        batch.add_column(sa.Column("title", sa.Text(), nullable=True))
        batch.add_column(sa.Column("corrected", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("alerts_from", _utc(), nullable=True))
        batch.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
    op.create_index("ix_commitments_review", "commitments", ["review"])
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("review", sa.String(length=16), server_default="confirmed", nullable=False))
    op.create_index("ix_reports_review", "reports", ["review"])

    op.create_table(
        "edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=True),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=True),
        sa.Column("old", sa.JSON(), nullable=True),
        sa.Column("new", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("editor", sa.Text(), nullable=False),
        sa.Column("editor_id", sa.BigInteger(), nullable=True),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"], ["commitments.id"], name="fk_edits_commitment_id_commitments", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["report_id"], ["reports.id"], name="fk_edits_report_id_reports", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_edits"),
    )
    op.create_index("ix_edits_commitment_id", "edits", ["commitment_id"])
    op.create_index("ix_edits_report_id", "edits", ["report_id"])


def downgrade() -> None:
    op.drop_index("ix_edits_report_id", table_name="edits")
    op.drop_index("ix_edits_commitment_id", table_name="edits")
    op.drop_table("edits")
    # Plain ALTER TABLE DROP COLUMN (SQLite 3.35+), not batch mode: a batch rebuild would cascade (module doc).
    op.drop_index("ix_reports_review", table_name="reports")
    op.drop_column("reports", "review")
    op.drop_index("ix_commitments_review", table_name="commitments")
    for name in ("merged_into_id", "alerts_from", "corrected", "title", "version", "review"):
        op.drop_column("commitments", name)
