"""Reports as an article tells them: the same claim told twice is one report, and a handover names its promise.

Pure helpers of the discourse stage, kept apart so the stage that reads sentences stays small.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from itertools import islice

from articles import frames
from articles.entities import find_parties
from articles.model import CommitmentKind, Report
from articles.rules import rules

__all__ = ["Claims", "fulfilled_kind", "head"]


@dataclass(slots=True)
class Claims:
    """The reports of one article in order, each with how much its best mention said."""

    items: list[tuple[Report, int]] = field(default_factory=list)

    def add(self, new: Report) -> None:
        """The same claim said twice is one report; the later mention fills gaps (an unnamed claimant included)."""
        for index, (old, weight) in enumerate(self.items):
            if not _same_claim(old, new):
                continue
            merged = replace(
                old,
                date=old.date or new.date,
                quantity=old.quantity if old.quantity is not None else new.quantity,
                claimed_by=old.claimed_by or new.claimed_by,
                accused=old.accused or new.accused,
            )
            if _weight(new) > weight:
                merged = replace(merged, evidence=new.evidence)
            self.items[index] = (merged, max(weight, _weight(new)))
            return
        self.items.append((new, _weight(new)))

    def dated(self, day: date | None) -> tuple[Report, ...]:
        """Reports in order; one that names no day happened, as far as the story tells, on ``day``."""
        return tuple(replace(r, date=r.date or day) for r, _ in self.items)

    def last_accused(self) -> str | None:
        """Who the latest violation claim accuses: a denial without a name answers it."""
        for report, _ in reversed(self.items):
            if report.kind == "violation" and report.accused:
                return report.accused[0]
        return None


def _same_claim(old: Report, new: Report) -> bool:
    """Same kind and subject; claimant, accused and day agree wherever both are known."""
    if (old.kind, old.about) != (new.kind, new.about):
        return False
    if new.kind in {"expiry", "extension"}:
        return True  # a promise lapses (or is extended) once, whoever tells it and whatever day they put on it
    if old.claimed_by and new.claimed_by and old.claimed_by != new.claimed_by:
        return False
    if old.accused and new.accused and set(old.accused) != set(new.accused):
        return False
    return old.date is None or new.date is None or old.date == new.date


def fulfilled_kind(main: str, language: str) -> CommitmentKind | None:
    """A handover or swap that happened fulfils the one-off promise it names."""
    cues = rules(language)
    if cues.cue("in_return").search(main):
        return "prisoner_exchange"  # "freed three hostages in return for 90 prisoners", "… in exchange for Nouri"
    compared = cues.cue("compared_since").search(main)
    found = frames.commitment_kinds(main[: compared.start()] if compared else main, language)
    one_off: tuple[CommitmentKind, ...] = ("prisoner_exchange", "release", "negotiations", "withdrawal")
    if "release" in found and (cues.cue("mutual_handover").search(main) or _both_ways(main, language)):
        return "prisoner_exchange"  # "100 Russian servicemen had been returned and 100 Ukrainian POWs handed over"
    for kind in one_off:
        if kind in found:
            return kind
    return frames.mentioned_kind(main, language)


def _both_ways(main: str, language: str) -> bool:
    """Two handovers in one sentence, of people of two sides ("100 Russian servicemen had been returned … and 100
    Ukrainian prisoners of war had been handed over"): the two halves of one swap."""
    cues = rules(language)
    if len(list(islice(cues.cue("release").finditer(main), 2))) < 2:
        return False
    persons = cues.cue("persons")
    people = {m.name for m in find_parties(main, language) if persons.match(main, m.end + 1)}
    return len(people) >= 2


def head(names: tuple[str, ...]) -> str | None:
    return names[0] if names else None


def _weight(report: Report) -> int:
    """How much a report mention says: the most specific one becomes the evidence."""
    return (report.date is not None) + (report.quantity is not None)
