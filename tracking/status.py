"""The status document (``status --json``): the one shape the CLI, the bot and any script read.

Everything here shows commitments as known at the time asked about (:func:`tracking.state.known_at`);
:func:`known_items` is the one entry point the CLI, the bot's status pages and its milestone plans go through.
Items carry their dates as values (a ``date`` or a ``datetime``, as the source gave them) so that charts,
calendars and renderers read them without parsing; :func:`as_json` writes them as ISO text where JSON is printed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from articles.model import iso
from tracking.conflicts import conflict_facts
from tracking.model import ConflictView, ReportView, SourceView, Tracked, moment_utc
from tracking.state import instant, known_at, state_at, title_of

_LAST = dt.date.max


def _report_order(report: ReportView) -> tuple[dt.date, int]:
    # Undated reports go last: they are the least placeable in time.
    return (report.date if report.date is not None else _LAST, report.id)


def report_item(report: ReportView) -> dict[str, Any]:
    """One report as the document shows it; ``source`` is the title of the article it came from."""
    return {
        "kind": report.kind,
        "accused": list(report.accused),
        "claimed_by": report.claimed_by,
        "date": report.date,
        "quantity": report.quantity,
        "source": report.source_title,
    }


def _source_item(source: SourceView) -> dict[str, Any]:
    return {
        "title": source.title,
        "language": source.language,
        "published": source.published,
        "path": source.path,
    }


def _conflict_sources(tracked: Tracked, article_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Titles and paths of a conflict's articles, found among the sources and the reports' articles."""
    known: dict[int, dict[str, Any]] = {}
    for report in tracked.reports:
        known.setdefault(report.article_id, {"title": report.source_title, "path": report.source_path})
    for source in tracked.sources:
        known[source.article_id] = {"title": source.title, "path": source.path}
    return [known[article_id] for article_id in article_ids if article_id in known]


def _override(tracked: Tracked, conflict: ConflictView) -> dict[str, Any]:
    """For a source against an editor's correction: which field, what the source says and what the editor set."""
    if conflict.kind != "corrected_by_editor":
        return {}
    facts = conflict_facts(tracked, conflict)
    if facts is None:
        return {}
    return {"field": facts.field, "said": facts.said, "corrected": facts.corrected}


def commitment_item(tracked: Tracked, at: dt.datetime, tz: ZoneInfo) -> dict[str, Any]:
    """One commitment with its state at ``at``; ``tracked`` is taken as given, so pass the view known at ``at``
    (:func:`known_items` does)."""
    state = state_at(tracked, at, tz)
    reports = sorted(tracked.reports, key=_report_order)
    by_id = {r.id: r for r in tracked.reports}
    sources = sorted(tracked.sources, key=lambda s: (moment_utc(s.published), s.article_id))
    return {
        "id": tracked.id,
        "kind": tracked.kind,
        "title": tracked.title or title_of(tracked),
        "actors": list(tracked.actors),
        "scope": tracked.scope,
        "conditions": list(tracked.conditions),
        "start": tracked.start,
        "end": tracked.end,
        "due": tracked.due,
        "duration_days": tracked.duration_days,
        "quantity": tracked.quantity,
        "state": state.state,
        "disputed": state.disputed,
        "days_elapsed": state.days_elapsed,
        "days_left": state.days_left,
        "sources": [_source_item(s) for s in sources],
        "reports": [report_item(r) for r in reports],
        "conflicts": [
            {
                "kind": conflict.kind,
                **_override(tracked, conflict),
                **_facts_json(conflict),
                "reports": [
                    report_item(r)
                    for r in sorted((by_id[i] for i in conflict.report_ids if i in by_id), key=_report_order)
                ],
                "sources": _conflict_sources(tracked, conflict.article_ids),
            }
            for conflict in sorted(tracked.conflicts, key=lambda c: c.id)
        ],
        "headline": tracked.title,  # an editor's own title, else None (readers then get one in their language)
        "review": tracked.review,  # "unconfirmed" while it waits for an editor (REVIEW_MODE=review)
    }


def known_items(tracked: Iterable[Tracked], at: dt.datetime, tz: ZoneInfo) -> list[tuple[Tracked, dict[str, Any]]]:
    """Each commitment known at ``at``, as known then, with its document entry; unknown ones are left out.

    The view is what milestone plans and charts should be built from too, so they see what the status shows.
    """
    pairs: list[tuple[Tracked, dict[str, Any]]] = []
    for commitment in tracked:
        view = known_at(commitment, at, tz)
        if view is not None:
            pairs.append((view, commitment_item(view, at, tz)))
    return pairs


def status_values(tracked: Sequence[Tracked], at: dt.datetime, tz: ZoneInfo) -> dict[str, Any]:
    """The whole document with its values: ``at`` as given (a naive one read in ``tz``, so aware) and every
    commitment known then, by id."""
    return {
        "at": instant(at, tz),
        "commitments": [item for _, item in known_items(sorted(tracked, key=lambda t: t.id), at, tz)],
    }


def status_document(tracked: Sequence[Tracked], at: dt.datetime, tz: ZoneInfo) -> dict[str, Any]:
    """:func:`status_values` as JSON: what ``status --json`` prints."""
    document: dict[str, Any] = as_json(status_values(tracked, at, tz))
    return document


def as_json(value: Any) -> Any:
    """A document or any part of it with its dates as ISO text (:func:`articles.model.iso`: a day stays a day,
    an instant keeps its offset or its lack of one); everything else is JSON already."""
    if isinstance(value, dt.date):  # a datetime too
        return iso(value)
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value


def _facts_json(conflict: ConflictView) -> dict[str, Any]:
    """Facts, never words: readers word them in their language. An English sentence stored by an earlier version
    has no facts and stays the summary."""
    facts = conflict.facts  # parsed once: the record is JSON text
    if facts is None:
        return {"facts": None, "summary": conflict.summary}
    return {"facts": facts.as_json(), "summary": None}
