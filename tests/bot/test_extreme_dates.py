"""A stored commitment with dates at the edge of what Python can represent (year 9999, year 1) must not break
/timeline or /calendar for every chat: the renderers clamp what they draw and write.

The rows are written through the ORM, as an old database or a bug elsewhere could have left them; the extractor
and the loader refuse such values today, so nothing else would put them there."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.charts import timeline_png
from bot.commands import localised
from bot.context import Deps
from bot.i18n import Ctx
from bot.ics import calendar_ics
from bot.service import items, plans
from storage.models import ArticleRow, CommitmentRow, CommitmentSourceRow, ReportRow

PNG = b"\x89PNG\r\n\x1a\n"
# Days at the far ends of what datetime holds. (Instants within hours of year 10000 in a zone 14 hours ahead
# overflow the status rules themselves, before any renderer runs: that is tracking.state's to guard.)
EXTREMES = [
    # (start, end, due, report day, the calendar keeps an event: only a date inside 1900–2100 makes one)
    ("9999-12-30", "9999-12-31", None, dt.date(9999, 12, 31), False),
    ("0001-01-02", "9999-12-30", None, dt.date(1, 1, 2), False),
    (None, None, "9999-12-30", None, False),
    ("2025-03-20", "9999-12-30", None, dt.date(2025, 3, 21), True),
]


async def _store(sessions: async_sessionmaker[AsyncSession], start: str | None, end: str | None,
                 due: str | None, report_day: dt.date | None) -> int:  # fmt: skip
    published = dt.datetime(2025, 3, 19, 9, tzinfo=dt.UTC)
    async with sessions() as session, session.begin():
        article = ArticleRow(
            content_hash=f"extreme-{start}-{end}-{due}",
            path="extreme.txt",
            language="en",
            title="A page from far away",
            published=published.isoformat(),
            published_utc=published,
        )
        session.add(article)
        await session.flush()
        kind = "prisoner_exchange" if due else "ceasefire"
        row = CommitmentRow(
            kind=kind, actors=["Russia", "Ukraine"], scope=None, conditions=[], start=start, end=end, due=due,
            duration_days=None, quantity=None, status="agreed",
        )  # fmt: skip
        session.add(row)
        await session.flush()
        session.add(
            CommitmentSourceRow(
                commitment_id=row.id,
                article_id=article.id,
                actors=["Russia"],
                scope=None,
                conditions=[],
                start=start,
                end=end,
                due=due,
                duration_days=None,
                quantity=None,
                status="agreed",
                evidence="…",
            )
        )
        if report_day is not None:
            session.add(
                ReportRow(
                    article_id=article.id,
                    commitment_id=row.id,
                    kind="violation",
                    about=kind,
                    accused=["Russia"],
                    claimed_by="Ukraine",
                    date=report_day,
                    quantity=None,
                    evidence="…",
                )
            )
        return row.id


@pytest.mark.parametrize(("start", "end", "due", "report_day", "kept"), EXTREMES)
@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/New_York"])
async def test_timeline_and_calendar_render_extreme_stored_dates(
    deps: Deps, start: str | None, end: str | None, due: str | None, report_day: dt.date | None, kept: bool, zone: str
) -> None:
    commitment_id = await _store(deps.sessions, start, end, due, report_day)
    ctx = Ctx(language="en", tz=ZoneInfo(zone))
    _, found = await items(deps, ctx)
    assert commitment_id in {item["id"] for item in found}
    png = timeline_png(localised(found, ctx), at=deps.clock.now(), tz=ctx.tz, language="en")
    assert png.startswith(PNG)

    found, milestones = await plans(deps, ctx, [commitment_id])
    ics = calendar_ics(localised(found, ctx), milestones, tz=ctx.tz, language="en")
    events = [e for e in Calendar.from_ical(ics).walk("VEVENT") if f"commitment-{commitment_id}-" in str(e["UID"])]
    days = [(d.date() if isinstance(d, dt.datetime) else d) for d in (e.decoded("DTSTART") for e in events)]
    assert all(dt.date(1900, 1, 1) <= day <= dt.date(2100, 12, 31) for day in days), days
    assert bool(events) is kept  # the start on 20 March stays; nothing is invented for year 9999
