"""Initial schema: articles, commitments and their sources, reports, conflicts with their evidence links.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Checked by hand against storage.models (tests/storage/test_migrations.py asserts autogenerate finds no
difference). Instants are UTC ``timestamp with time zone``; the ISO text columns keep what the article said.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ISO = sa.String(length=40)


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=128), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("published", ISO, nullable=False),
        sa.Column("published_utc", _utc(), nullable=False),
        sa.Column("loaded_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_articles"),
        sa.UniqueConstraint("content_hash", name="uq_articles_content_hash"),
    )
    op.create_index("ix_articles_published_utc", "articles", ["published_utc"])

    op.create_table(
        "commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("actors", sa.JSON(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("start", ISO, nullable=True),
        sa.Column("end", ISO, nullable=True),
        sa.Column("due", ISO, nullable=True),
        sa.Column("start_utc", _utc(), nullable=True),
        sa.Column("end_utc", _utc(), nullable=True),
        sa.Column("due_utc", _utc(), nullable=True),
        sa.Column("duration_days", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_commitments"),
    )
    op.create_index("ix_commitments_kind_start_utc", "commitments", ["kind", "start_utc"])
    op.create_index("ix_commitments_end_utc", "commitments", ["end_utc"])
    op.create_index("ix_commitments_due_utc", "commitments", ["due_utc"])

    op.create_table(
        "commitment_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("actors", sa.JSON(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("start", ISO, nullable=True),
        sa.Column("end", ISO, nullable=True),
        sa.Column("due", ISO, nullable=True),
        sa.Column("duration_days", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_commitment_sources_article_id_articles",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name="fk_commitment_sources_commitment_id_commitments",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_commitment_sources"),
        sa.UniqueConstraint("commitment_id", "article_id", name="uq_commitment_sources_commitment_id_article_id"),
    )
    op.create_index("ix_commitment_sources_article_id", "commitment_sources", ["article_id"])

    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("about", sa.String(length=32), nullable=False),
        sa.Column("accused", sa.JSON(), nullable=False),
        sa.Column("claimed_by", sa.Text(), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_reports_article_id_articles", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name="fk_reports_commitment_id_commitments",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reports"),
    )
    op.create_index("ix_reports_article_id", "reports", ["article_id"])
    op.create_index("ix_reports_commitment_id", "reports", ["commitment_id"])
    # Finding the unlinked reports about one kind when a commitment of that kind arrives.
    op.create_index("ix_reports_about_commitment_id", "reports", ["about", "commitment_id"])

    op.create_table(
        "conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name="fk_conflicts_commitment_id_commitments",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_conflicts"),
        sa.UniqueConstraint("commitment_id", "key", name="uq_conflicts_commitment_id_key"),
    )

    op.create_table(
        "conflict_reports",
        sa.Column("conflict_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conflict_id"],
            ["conflicts.id"],
            name="fk_conflict_reports_conflict_id_conflicts",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name="fk_conflict_reports_report_id_reports", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("conflict_id", "report_id", name="pk_conflict_reports"),
    )
    op.create_index("ix_conflict_reports_report_id", "conflict_reports", ["report_id"])

    op.create_table(
        "conflict_articles",
        sa.Column("conflict_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["conflict_id"],
            ["conflicts.id"],
            name="fk_conflict_articles_conflict_id_conflicts",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_conflict_articles_article_id_articles",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("conflict_id", "article_id", name="pk_conflict_articles"),
    )
    op.create_index("ix_conflict_articles_article_id", "conflict_articles", ["article_id"])


def downgrade() -> None:
    for table in ("conflict_articles", "conflict_reports", "conflicts", "reports", "commitment_sources"):
        op.drop_table(table)
    op.drop_table("commitments")
    op.drop_table("articles")
