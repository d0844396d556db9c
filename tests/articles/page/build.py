"""The minimal page the page tests wrap a story in, and the fixed offsets their expected stamps carry."""

from __future__ import annotations

from datetime import timedelta, timezone

from tests.articles.stories import EN_STORY, TITLE


def make_page(date_line: str, story: str = EN_STORY, title: str = TITLE) -> str:
    """A minimal page: headline, publication line, story."""
    return f"{title}\n\n{date_line}\n\n{story}"


def utc_offset(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))
