"""Plain-text rendering for the terminal, built from the same status document that `--json` prints (its values:
tracking.status.status_values)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from articles.model import Moment
from bot.display.alerts import stored_conflict
from bot.display.base import ICONS
from bot.display.markup import to_plain
from bot.i18n import YEAR_SHOWN_AFTER_DAYS, Ctx
from tracking.model import ConflictFacts
from tracking.state import URGENCY

_ENGLISH = Ctx.of("en", "UTC")


def localize(moment: Moment | None, tz: ZoneInfo) -> Moment | None:
    """A stored moment in the reader's zone; naive instants are taken to be in that zone already."""
    if isinstance(moment, datetime):
        return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)
    return moment


def when(value: Moment | None, tz: ZoneInfo, locale: str = "en", today: date | None = None) -> str:
    """Weekday, day and month, with a clock time only when the source gave one, and the year when the day is
    more than half a year from ``today`` (the status instant) — the bot's rule, so the two read the same."""
    moment = localize(value, tz)
    if moment is None:
        return "?"
    day = moment.date() if isinstance(moment, datetime) else moment
    year = " yyyy" if today is not None and abs((day - today).days) > YEAR_SHOWN_AFTER_DAYS else ""
    if isinstance(moment, datetime):
        return format_datetime(moment, f"EEE d MMM{year} HH:mm", locale=locale)
    return format_date(moment, f"EEE d MMM{year}", locale=locale)


def ordered(commitments: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    def key(item: Mapping[str, Any]) -> tuple[int, int, int]:
        left = item.get("days_left")
        return (URGENCY.get(item["state"], 9), left if isinstance(left, int) else 10**6, item["id"])

    return sorted(commitments, key=key)


def progress(item: Mapping[str, Any], tz: ZoneInfo, today: date | None = None) -> str:
    """The one phrase a reader scans for: where the commitment stands on its own calendar."""
    state = item["state"]
    if state == "active":
        if item["end"] is None:
            return f"in force since {when(item['start'], tz, today=today)}" if item["start"] else "in force"
        parts = []
        if item["days_elapsed"] is not None and item["duration_days"]:
            parts.append(f"day {item['days_elapsed'] + 1} of {item['duration_days']}")
        if item["days_left"] is not None:
            parts.append(f"{item['days_left']} days left")
        parts.append(f"ends {when(item['end'], tz, today=today)}")
        return " · ".join(parts)
    if state == "upcoming":
        if item["due"]:
            return f"due {when(item['due'], tz, today=today)}"
        return f"starts {when(item['start'], tz, today=today)}" if item["start"] else "no date announced yet"
    if state == "due":
        return f"due today ({when(item['due'], tz, today=today)})"
    if state == "overdue":
        return f"due {when(item['due'], tz, today=today)} · overdue"
    if state == "fulfilled":
        dates = [r["date"] for r in item["reports"] if r["kind"] == "fulfilment" and r["date"]]
        return f"fulfilled {when(dates[-1], tz, today=today)}" if dates else "fulfilled"
    if state == "lapsed":
        return f"ended {when(item['end'], tz, today=today)}" if item["end"] else "lapsed"
    conditions = len(item["conditions"])
    return f"proposed · {conditions} condition{'s' * (conditions != 1)}" if conditions else "proposed"


def status_table(document: Mapping[str, Any], tz: ZoneInfo) -> str:
    items = ordered(document["commitments"])
    at = localize(document["at"], tz)
    today = at.date() if isinstance(at, datetime) else at
    header = f"Status at {at:%Y-%m-%d %H:%M %Z} — {len(items)} commitment{'s' * (len(items) != 1)}"
    if not items:
        return header + "\nNothing tracked yet: load articles with `ceasefire-watch load FILE...`."
    width = max(len(str(item["id"])) for item in items)
    lines = [header]
    for item in items:
        mark = f"  ⚠ {len(item['conflicts'])} conflict(s)" if item["conflicts"] else ""
        if item.get("review") == "unconfirmed":  # REVIEW_MODE=review: waits for an admin, alerted to nobody
            mark += "  🔎 unconfirmed"
        lines.append(
            f"{ICONS.get(item['state'], ' ')} #{item['id']:<{width}}  {item['state']:<9}  {item['title']}\n"
            f"  {' ' * width}   {progress(item, tz, today)}{mark}"
        )
    return "\n".join(lines)


def status_detail(item: Mapping[str, Any], at: datetime, tz: ZoneInfo) -> str:
    """Everything known about one commitment, in the order an analyst checks it."""
    instant = localize(at, tz)
    today = instant.date() if isinstance(instant, datetime) else instant
    lines = [
        f"#{item['id']} {item['title']}",
        f"  state:      {item['state']}{' (disputed)' if item['disputed'] else ''} — {progress(item, tz, today)}"
        + ("  🔎 unconfirmed: waits for review" if item.get("review") == "unconfirmed" else ""),
        f"  kind:       {item['kind']}",
        f"  parties:    {', '.join(item['actors']) or '?'}",
    ]
    if item["scope"]:
        lines.append(f"  scope:      {item['scope']}")
    for condition in item["conditions"]:
        lines.append(f"  condition:  {condition}")
    for label in ("start", "end", "due"):
        if item[label]:
            lines.append(f"  {label + ':':<11} {when(item[label], tz, today=today)}")
    if item["duration_days"]:
        lines.append(f"  duration:   {item['duration_days']} days")
    if item["quantity"] is not None:
        lines.append(f"  quantity:   {item['quantity']}")
    lines.append(f"  sources ({len(item['sources'])}):")
    for source in item["sources"]:
        lines.append(f"    - [{source['language']}] {source['title']} ({when(source['published'], tz, today=today)})")
    if item["reports"]:
        lines.append(f"  reports ({len(item['reports'])}):")
        for report in item["reports"]:
            who = f" by {report['claimed_by']}" if report["claimed_by"] else ""
            against = f" against {', '.join(report['accused'])}" if report["accused"] else ""
            qty = f" ({report['quantity']})" if report["quantity"] is not None else ""
            day = when(report["date"], tz, today=today) if report["date"] else "undated"
            lines.append(f"    - {day}: {report['kind']}{who}{against}{qty} — {report['source']}")
    if item["conflicts"]:
        lines.append(f"  conflicts ({len(item['conflicts'])}):")
        for conflict in item["conflicts"]:
            facts = ConflictFacts.from_mapping(conflict["facts"]) if conflict.get("facts") else None
            lines.append(f"    ⚠ {conflict['kind']}: {conflict_text(conflict['kind'], facts, conflict.get('summary'))}")
    return "\n".join(lines) + f"\n  (as of {at.isoformat()})"


def conflict_text(kind: str, facts: ConflictFacts | None, legacy: str | None) -> str:
    """A conflict in English plain text for the terminal, worded as the bot words it for an English chat."""
    return to_plain(stored_conflict(kind, facts, legacy, _ENGLISH))
