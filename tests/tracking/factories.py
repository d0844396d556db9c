"""Builders for articles, commitments, reports and tracked views, so tests state only what they are about."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from typing import Any

from articles.model import Article, Commitment, Moment, Report
from tracking.model import ConflictFacts, ConflictView, ReportView, SourceView, Tracked

D = dt.date
MARCH_18 = D(2025, 3, 18)


# The 30-day Russian halt on strikes against energy infrastructure announced on 18 March 2025.
HALT = Commitment(
    kind="strike_halt",
    actors=("Russia",),
    scope="energy infrastructure",
    start=MARCH_18,
    duration_days=30,
    end=D(2025, 4, 17),
    due=None,
    quantity=None,
    conditions=(),
    status="announced",
    evidence="Putin ordered the military to stop strikes on energy infrastructure for 30 days.",
)
# A one-off handover by the halt's party, with its status: 23 seriously wounded soldiers due on 19 March 2025.
HANDOVER = dataclasses.replace(
    HALT,
    kind="release",
    scope=None,
    start=None,
    duration_days=None,
    end=None,
    due=D(2025, 3, 19),
    quantity=23,
    evidence="Russia will hand over 23 seriously wounded soldiers on Wednesday.",
)
# Ukraine's claim that Russia broke the halt on 19 March 2025.
CLAIM = Report(
    kind="violation",
    about="strike_halt",
    accused=("Russia",),
    claimed_by="Ukraine",
    date=D(2025, 3, 19),
    quantity=None,
    evidence="Ukraine said Russian drones hit a power plant overnight.",
)


def commitment(**overrides: Any) -> Commitment:
    """:data:`HALT` with ``overrides``."""
    return dataclasses.replace(HALT, **overrides)


def release(**overrides: Any) -> Commitment:
    """:data:`HANDOVER` with ``overrides``."""
    return dataclasses.replace(HANDOVER, **overrides)


def report(**overrides: Any) -> Report:
    """:data:`CLAIM` with ``overrides``."""
    return dataclasses.replace(CLAIM, **overrides)


def article(
    title: str,
    *,
    commitments: tuple[Commitment, ...] = (),
    reports: tuple[Report, ...] = (),
    language: str = "en",
    published: Moment = dt.datetime(2025, 3, 18, 20, 51, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    path: str | None = None,
) -> Article:
    """An article whose content hash follows from its title, so different titles are different stories."""
    return Article(
        path=path or f"examples/articles/{hashlib.md5(title.encode()).hexdigest()[:8]}.txt",
        language=language,  # type: ignore[arg-type]
        published=published,
        title=title,
        content_hash=hashlib.sha256(title.encode()).hexdigest(),
        commitments=commitments,
        reports=reports,
    )


def _facts(built: Commitment | Report, names: tuple[str, ...]) -> dict[str, Any]:
    """Fields of a default :func:`commitment` or :func:`report`, so every view of the halt states the same facts."""
    return {name: getattr(built, name) for name in names}


# What a source says about the commitment, and what the commitment itself holds.
SOURCE_FACTS = ("start", "end", "due", "duration_days", "quantity", "status")
COMMITMENT_FACTS = ("kind", "actors", "scope", "conditions", *SOURCE_FACTS)
REPORT_FACTS = ("kind", "about", "accused", "claimed_by", "date", "quantity")


def source(article_id: int = 1, title: str = "Putin orders energy strike halt", **overrides: Any) -> SourceView:
    values: dict[str, Any] = {
        "article_id": article_id,
        "title": title,
        "language": "en",
        "published": dt.datetime(2025, 3, 18, 20, 51, tzinfo=dt.UTC),
        "path": f"examples/articles/{article_id}.txt",
        **_facts(commitment(), SOURCE_FACTS),
        "evidence": "...",
    }
    values.update(overrides)
    return SourceView(**values)


def report_view(id: int, **overrides: Any) -> ReportView:
    """A report whose article appeared on the day it is about (or on 18 March when undated), unless overridden."""
    values: dict[str, Any] = {
        "id": id,
        "article_id": 10 + id,
        **_facts(report(), REPORT_FACTS),
        "evidence": "...",
        "source_title": f"Report {id}",
        "source_path": f"examples/articles/report-{id}.txt",
    }
    values.update(overrides)
    values.setdefault("source_published", values["date"] or MARCH_18)
    return ReportView(**values)


def conflict_view(id: int, **overrides: Any) -> ConflictView:
    values: dict[str, Any] = {
        "id": id,
        "kind": "violation_in_force",
        "summary": "...",
        "report_ids": (),
        "article_ids": (),
    }
    values.update(overrides)
    return ConflictView(**values)


def denied_violation(**overrides: Any) -> ConflictFacts:
    """Russia denies the violation of the halt that Ukraine claimed for 19 March 2025 (:func:`report`'s claim)."""
    facts = ConflictFacts(
        "claim_denied", "strike_halt", claimant="Ukraine", accused=("Russia",), day=D(2025, 3, 19), claim="violation"
    )
    return dataclasses.replace(facts, denier="Russia", **overrides)


def tracked(**overrides: Any) -> Tracked:
    """The energy halt as storage would hand it back, with one source."""
    values: dict[str, Any] = {
        "id": 1,
        **_facts(commitment(), COMMITMENT_FACTS),
        "sources": (source(),),
        "reports": (),
        "conflicts": (),
    }
    values.update(overrides)
    return Tracked(**values)


def tracked_release(**overrides: Any) -> Tracked:
    """The handover of :func:`release` as storage would hand it back, with one source."""
    handover = release()
    values: dict[str, Any] = {
        "id": 2,
        **_facts(handover, COMMITMENT_FACTS),
        "sources": (source(title="Wounded", **_facts(handover, SOURCE_FACTS)),),
    }
    values.update(overrides)
    return tracked(**values)
