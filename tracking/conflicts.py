"""Rules that find contradictions in what is known about one commitment, as facts rather than sentences.

Each finding carries a ``key`` that is stable for the same underlying facts, so running the rules again after
every load and inserting only new keys never duplicates a conflict.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from articles.model import Moment
from tracking.model import ConflictFacts, ConflictView, ReportView, SourceView, Tracked, day_of, moment_utc

CONFLICT_KINDS: tuple[str, ...] = (
    "violation_in_force",
    "quantity_mismatch",
    "date_disagreement",
    "claim_denied",
    "corrected_by_editor",
)
# A denial answers claims made around the same time; a week either way covers "yesterday's shelling" wording.
DENIAL_WINDOW_DAYS = 7


@dataclass(frozen=True, slots=True)
class Finding:
    """One conflict as the rules see it, before storage gives it an id: facts, never words (the readers' languages
    differ; the bot and the command line word them)."""

    kind: str
    key: str
    facts: ConflictFacts
    report_ids: tuple[int, ...]
    article_ids: tuple[int, ...]

    @property
    def summary(self) -> str:
        """What storage keeps of the finding: its facts' record."""
        return self.facts.record()


def _unique_ids(ids: Iterable[int]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(ids))


def _on_report(report: ReportView, facts: ConflictFacts, article_ids: Iterable[int]) -> Finding:
    """A finding that one report raises on its own: keyed by that report, so it is found once however often the
    rules run."""
    return Finding(
        kind=facts.kind,
        key=f"{facts.kind}:{report.id}",
        facts=facts,
        report_ids=(report.id,),
        article_ids=_unique_ids(article_ids),
    )


def _basis(tracked: Tracked, field: str, until: Moment | None = None) -> list[SourceView]:
    """The sources whose own value of ``field`` is the one the commitment kept (the first published otherwise;
    the sources come in publication order).

    ``until``: only those published by then (when the claim a finding rests on came out), else the first of them.
    A finding then names the same sources whatever order the articles were loaded in, and a source that came out
    later never makes it look newer than it is (a replay shows a conflict from when its articles were out).
    """
    kept = getattr(tracked, field)
    chosen = [s for s in tracked.sources if kept is not None and getattr(s, field) == kept]
    chosen = chosen or list(tracked.sources[:1])
    if until is not None:
        cutoff = moment_utc(until)
        chosen = [s for s in chosen if moment_utc(s.published) <= cutoff] or chosen[:1]
    return chosen


def _in_force_on(tracked: Tracked, day: dt.date) -> bool:
    """Whether the period overlaps ``day`` (read as the whole day, in the zone the dates were given in)."""
    if tracked.status == "proposed" or tracked.start is None:
        return False
    if day < day_of(tracked.start):
        return False
    if tracked.end is None:
        return True
    end = tracked.end
    if isinstance(end, dt.datetime):
        wall = end.replace(tzinfo=None)
        return dt.datetime(day.year, day.month, day.day) < wall
    return day < end


def _violation_facts(tracked: Tracked, claim: ReportView) -> ConflictFacts:
    return ConflictFacts(
        "violation_in_force", tracked.kind, claimant=claim.claimed_by, accused=claim.accused, day=claim.date
    )


def _quantity_facts(tracked: Tracked, claim: ReportView) -> ConflictFacts:
    return ConflictFacts(
        "quantity_mismatch", tracked.kind, day=claim.date, promised=tracked.quantity, delivered=claim.quantity
    )


def _report_findings(
    tracked: Tracked,
    raises: Callable[[ReportView], bool],
    facts: Callable[[Tracked, ReportView], ConflictFacts],
    basis_field: str,
    *,
    report_first: bool,
) -> list[Finding]:
    """One finding for each report that ``raises`` one on its own, citing the report's article and the sources of
    the commitment's ``basis_field`` as published by then (the report's article first or last, as the rule puts
    it: the order is stored)."""
    findings = []
    for report in tracked.reports:
        if not raises(report):
            continue
        basis = [s.article_id for s in _basis(tracked, basis_field, report.source_published)]
        cited = [report.article_id, *basis] if report_first else [*basis, report.article_id]
        findings.append(_on_report(report, facts(tracked, report), cited))
    return findings


def violations_in_force(tracked: Tracked) -> list[Finding]:
    """A violation claimed for a day on which the commitment was in force (start <= date < end)."""

    def raises(report: ReportView) -> bool:
        return report.kind == "violation" and report.date is not None and _in_force_on(tracked, report.date)

    return _report_findings(tracked, raises, _violation_facts, "start", report_first=True)


def quantity_mismatches(tracked: Tracked) -> list[Finding]:
    """A fulfilment whose count differs from the committed one ("23 promised, 22 handed over")."""
    if tracked.quantity is None:
        return []

    def raises(report: ReportView) -> bool:
        return report.kind == "fulfilment" and report.quantity is not None and report.quantity != tracked.quantity

    return _report_findings(tracked, raises, _quantity_facts, "quantity", report_first=False)


_DATE_FIELDS = ("start", "end", "due")


def _days_given(sources: Iterable[SourceView], field: str) -> list[tuple[dt.date, list[SourceView]]]:
    """The days the sources give for ``field`` (start, end or due), earliest first, each with its sources."""
    by_day: dict[dt.date, list[SourceView]] = {}
    for source in sources:
        value = getattr(source, field)
        if value is not None:
            by_day.setdefault(day_of(value), []).append(source)
    return sorted(by_day.items(), key=lambda item: item[0])


def date_disagreements(tracked: Tracked) -> list[Finding]:
    """Sources that name different days for the start, end or due day: one finding for all that differ.

    Days rather than instants are compared, so "18 March" and "18 March, 18:00 Moscow time" agree. The key lists
    the disagreeing days, so a further source with yet another day raises a new finding.
    """
    dates: list[tuple[str, tuple[dt.date, ...]]] = []
    key_parts: list[str] = []
    articles: list[int] = []
    settled = tracked.corrected_fields  # an editor decided these: a source against it is editor_overrides' news
    for field in _DATE_FIELDS:
        ordered = _days_given(tracked.sources, field)
        if len(ordered) < 2 or field in settled:
            continue
        dates.append((field, tuple(day for day, _ in ordered)))
        key_parts.append(field + "=" + "|".join(day.isoformat() for day, _ in ordered))
        articles.extend(s.article_id for _, sources in ordered for s in sources)
    if not dates:
        return []
    return [
        Finding(
            kind="date_disagreement",
            key="date_disagreement:" + ";".join(key_parts),
            facts=ConflictFacts("date_disagreement", commitment_kind=tracked.kind, dates=tuple(dates)),
            report_ids=(),
            article_ids=_unique_ids(articles),
        )
    ]


def _answers(claim: ReportView, denial: ReportView) -> bool:
    if claim.claimed_by is not None and claim.claimed_by == denial.claimed_by:
        return False  # a party does not deny its own claim
    if claim.date is None or denial.date is None:
        return True
    return abs((claim.date - denial.date).days) <= DENIAL_WINDOW_DAYS


def _denied_facts(tracked: Tracked, claim: ReportView, denial: ReportView) -> ConflictFacts:
    return ConflictFacts(
        "claim_denied",
        commitment_kind=tracked.kind,
        claimant=claim.claimed_by,
        accused=claim.accused,
        day=claim.date,
        delivered=claim.quantity,
        claim=claim.kind,
        denier=denial.claimed_by,
    )


def claims_denied(tracked: Tracked) -> list[Finding]:
    """A violation or fulfilment claim and a denial of it by another party, one finding per pair."""
    claims = [r for r in tracked.reports if r.kind in ("violation", "fulfilment")]
    denials = [r for r in tracked.reports if r.kind == "denial"]
    findings = []
    for denial in denials:
        for claim in claims:
            if not _answers(claim, denial):
                continue
            findings.append(
                Finding(
                    kind="claim_denied",
                    key=f"claim_denied:{claim.id}:{denial.id}",
                    facts=_denied_facts(tracked, claim, denial),
                    report_ids=(claim.id, denial.id),
                    article_ids=_unique_ids([claim.article_id, denial.article_id]),
                )
            )
    return findings


# The fields an editor may correct that sources also give: the attribute, and the name an editor uses for it.
_OVERRIDABLE: tuple[tuple[str, str], ...] = (
    ("start", "start"),
    ("end", "end"),
    ("due", "due"),
    ("duration_days", "duration"),
    ("quantity", "quantity"),
)


def _said(value: object) -> str | int | None:
    """A source's or an editor's value as facts carry it: a day or an instant as ISO text, a number as it is."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value if isinstance(value, int) or value is None else str(value)


def _differs(field: str, said: object, corrected: object) -> bool:
    if said is None:
        return False
    if field in ("start", "end", "due"):
        return corrected is None or day_of(said) != day_of(corrected)  # type: ignore[arg-type]
    return said != corrected


def editor_overrides(tracked: Tracked) -> list[Finding]:
    """A source that came after an editor's correction and says otherwise ("source says 18 April; corrected to
    16 April by an editor"): stored and shown, but the editor's value stays. One finding per field and source;
    sources the editor had before them when correcting are what was corrected, not news."""
    findings = []
    known = dict(tracked.corrected)
    for field, name in _OVERRIDABLE:
        if field not in known:
            continue
        before = set(known[field])
        corrected = getattr(tracked, field)
        for source in tracked.sources:
            said = getattr(source, field)
            if source.article_id in before or not _differs(field, said, corrected):
                continue
            facts = ConflictFacts(
                "corrected_by_editor",
                commitment_kind=tracked.kind,
                field=name,
                said=_said(said),
                corrected=_said(corrected),
            )
            findings.append(
                Finding(
                    kind="corrected_by_editor",
                    key=f"corrected_by_editor:{name}:{source.article_id}",
                    facts=facts,
                    report_ids=(),
                    article_ids=(source.article_id,),
                )
            )
    return findings


def find_conflicts(tracked: Tracked) -> list[Finding]:
    """Every finding for one commitment, in rule order; keys are unique within the list."""
    findings = [
        *violations_in_force(tracked),
        *quantity_mismatches(tracked),
        *date_disagreements(tracked),
        *claims_denied(tracked),
        *editor_overrides(tracked),
    ]
    return list({f.key: f for f in findings}.values())


def conflict_facts(tracked: Tracked, conflict: ConflictView) -> ConflictFacts | None:
    """The facts behind a stored ``conflict`` of ``tracked``, read from the reports and sources it rests on (the
    same fields the rules above looked at); None when they are no longer there (a report or source removed since)
    or the kind is not one of :data:`CONFLICT_KINDS`."""
    reports = {r.id: r for r in tracked.reports}
    cited = [reports[i] for i in conflict.report_ids if i in reports]
    if len(cited) != len(conflict.report_ids):
        return None
    if conflict.kind == "violation_in_force" and cited:
        return _violation_facts(tracked, cited[0])
    if conflict.kind == "quantity_mismatch" and cited:
        return _quantity_facts(tracked, cited[0])
    if conflict.kind == "claim_denied" and len(cited) == 2:
        return _denied_facts(tracked, *cited)
    if conflict.kind == "date_disagreement":
        articles = set(conflict.article_ids)
        basis = [s for s in tracked.sources if s.article_id in articles] or list(tracked.sources)
        dates = tuple(
            (field, tuple(day for day, _ in days))
            for field in _DATE_FIELDS
            if len(days := _days_given(basis, field)) >= 2
        )
        return ConflictFacts(conflict.kind, tracked.kind, dates=dates) if dates else None
    if conflict.kind == "corrected_by_editor" and conflict.article_ids:
        parts = conflict.key.split(":")
        return _override_facts(tracked, conflict, parts[1] if len(parts) == 3 else None)
    return None


def _override_facts(tracked: Tracked, conflict: ConflictView, name: str | None) -> ConflictFacts | None:
    source = next((s for s in tracked.sources if s.article_id == conflict.article_ids[0]), None)
    if source is None:
        return None
    for field, field_name in _OVERRIDABLE:
        if name is not None and field_name != name:
            continue
        said, corrected = getattr(source, field), getattr(tracked, field)
        if field in tracked.corrected_fields and _differs(field, said, corrected):
            return ConflictFacts(
                conflict.kind, tracked.kind, field=field_name, said=_said(said), corrected=_said(corrected)
            )
    return None
