"""Feeds: the RSS/Atom feeds admins add (polling state, validators, failures) and the items they brought.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10

Checked against storage.feeds (tests/storage/test_migrations.py asserts autogenerate finds no difference). Two new
tables only; nothing that exists changes. An item keeps the article it loaded (SET NULL if that article goes) and
goes with its feed (CASCADE).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("url_key", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("interval_seconds", sa.Integer(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("added_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.String(length=64), nullable=True),
        sa.Column("next_poll_at", _utc(), nullable=False),
        sa.Column("last_polled_at", _utc(), nullable=True),
        sa.Column("last_success_at", _utc(), nullable=True),
        sa.Column("last_new_item_at", _utc(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_error_kind", sa.String(length=32), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", _utc(), nullable=True),
        sa.Column("alerted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feeds"),
        sa.UniqueConstraint("url_key", name="uq_feeds_url_key"),
    )
    op.create_index("ix_feeds_next_poll_at", "feeds", ["next_poll_at"])
    op.create_table(
        "feed_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("entry_key", sa.String(length=255), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("url_key", sa.String(length=64), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("content_hash", sa.String(length=128), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("seen_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(["feed_id"], ["feeds.id"], name="fk_feed_items_feed_id_feeds", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name="fk_feed_items_article_id_articles", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_feed_items"),
        sa.UniqueConstraint("feed_id", "entry_key", name="uq_feed_items_feed_id_entry_key"),
    )
    op.create_index("ix_feed_items_url_key", "feed_items", ["url_key"])
    op.create_index("ix_feed_items_content_hash", "feed_items", ["content_hash"])
    op.create_index("ix_feed_items_article_id", "feed_items", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_feed_items_article_id", table_name="feed_items")
    op.drop_index("ix_feed_items_content_hash", table_name="feed_items")
    op.drop_index("ix_feed_items_url_key", table_name="feed_items")
    op.drop_table("feed_items")
    op.drop_index("ix_feeds_next_poll_at", table_name="feeds")
    op.drop_table("feeds")
