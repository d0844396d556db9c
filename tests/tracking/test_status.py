"""The status document, field by field: the contract the CLI, the bot and scripts read."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from tests.tracking.factories import D, conflict_view, report_view, source, tracked, tracked_release
from tracking.model import ConflictFacts, Tracked
from tracking.status import status_document

UTC = ZoneInfo("UTC")
CET = dt.timezone(dt.timedelta(hours=1))

VIOLATION = ConflictFacts("violation_in_force", "strike_halt", claimant="Ukraine")


def _halt() -> Tracked:
    return tracked(
        id=1,
        conditions=("if Kyiv does the same",),
        sources=(
            source(2, "Putin ordnet Stopp an", language="de", published=dt.datetime(2025, 3, 19, 8, 0, tzinfo=CET)),
            source(1, "Putin orders halt", published=dt.datetime(2025, 3, 18, 20, 51, tzinfo=CET)),
        ),
        reports=(
            report_view(7, kind="denial", accused=(), claimed_by="Russia", date=D(2025, 3, 20), source_title="No"),
            report_view(5, date=D(2025, 3, 19), source_title="Kyiv accuses", source_path="k.txt"),
            report_view(6, kind="reaction", accused=(), claimed_by="EU", date=None, source_title="EU"),
        ),
        conflicts=(
            conflict_view(4, kind="claim_denied", summary="denied", report_ids=(7, 5), article_ids=(15, 17)),
            conflict_view(
                3, kind="violation_in_force", summary=VIOLATION.record(), report_ids=(5,), article_ids=(15, 1)
            ),
        ),
    )


def test_document_shape_field_by_field() -> None:
    halt = _halt()
    handover = tracked_release(id=2, sources=(source(3, "Wounded", due=D(2025, 3, 19), start=None, end=None),))
    document = status_document([handover, halt], dt.datetime(2025, 3, 22, 12, 0, tzinfo=dt.UTC), UTC)
    assert list(document) == ["at", "commitments"]
    assert document["at"] == "2025-03-22T12:00:00+00:00"
    first, second = document["commitments"]
    assert list(first) == [
        "id", "kind", "title", "actors", "scope", "conditions", "start", "end", "due", "duration_days", "quantity",
        "state", "disputed", "days_elapsed", "days_left", "sources", "reports", "conflicts", "headline", "review",
    ]  # fmt: skip
    assert first["id"] == 1
    assert first["kind"] == "strike_halt"
    assert first["title"] == "Russia: strike halt — energy infrastructure, 30 days"
    assert first["actors"] == ["Russia"]
    assert first["scope"] == "energy infrastructure"
    assert first["conditions"] == ["if Kyiv does the same"]
    assert (first["start"], first["end"], first["due"]) == ("2025-03-18", "2025-04-17", None)
    assert (first["duration_days"], first["quantity"]) == (30, None)
    assert (first["state"], first["disputed"], first["days_elapsed"], first["days_left"]) == ("active", True, 4, 25)
    assert first["sources"] == [
        {
            "title": "Putin orders halt",
            "language": "en",
            "published": "2025-03-18T20:51:00+01:00",
            "path": "examples/articles/1.txt",
        },
        {
            "title": "Putin ordnet Stopp an",
            "language": "de",
            "published": "2025-03-19T08:00:00+01:00",
            "path": "examples/articles/2.txt",
        },
    ]
    violation: dict[str, object] = {
        "kind": "violation", "accused": ["Russia"], "claimed_by": "Ukraine", "date": "2025-03-19", "quantity": None,
        "source": "Kyiv accuses",
    }  # fmt: skip
    denial: dict[str, object] = {
        "kind": "denial",
        "accused": [],
        "claimed_by": "Russia",
        "date": "2025-03-20",
        "quantity": None,
        "source": "No",
    }
    reaction: dict[str, object] = {
        "kind": "reaction",
        "accused": [],
        "claimed_by": "EU",
        "date": None,
        "quantity": None,
        "source": "EU",
    }
    assert first["reports"] == [violation, denial, reaction]  # in time order, undated last
    assert first["conflicts"] == [
        {
            "kind": "violation_in_force",
            "facts": {"kind": "violation_in_force", "commitment_kind": "strike_halt", "claimant": "Ukraine"},
            "summary": None,
            "reports": [violation],
            "sources": [
                {"title": "Kyiv accuses", "path": "k.txt"},
                {"title": "Putin orders halt", "path": "examples/articles/1.txt"},
            ],
        },
        {
            "kind": "claim_denied",
            "facts": None,  # stored as a sentence by an earlier version: shown as it is
            "summary": "denied",
            "reports": [violation, denial],
            "sources": [
                {"title": "Kyiv accuses", "path": "k.txt"},
                {"title": "No", "path": "examples/articles/report-7.txt"},
            ],
        },
    ]
    assert second["id"] == 2
    assert (second["state"], second["due"], second["quantity"], second["days_left"]) == (
        "overdue",
        "2025-03-19",
        23,
        None,
    )
    assert second["reports"] == []
    assert second["conflicts"] == []
    json.dumps(document)  # plain JSON all the way down


def test_at_is_given_in_the_readers_zone_when_naive() -> None:
    document = status_document([], dt.datetime(2025, 3, 22, 12, 0), ZoneInfo("Europe/Berlin"))
    assert document == {"at": "2025-03-22T12:00:00+01:00", "commitments": []}


def test_timed_values_keep_their_offset() -> None:
    msk = dt.timezone(dt.timedelta(hours=3))
    timed = tracked(start=dt.datetime(2025, 3, 18, 18, 0, tzinfo=msk), end=dt.datetime(2025, 4, 17, 18, 0, tzinfo=msk))
    [entry] = status_document([timed], dt.datetime(2025, 3, 19, 15, 0, tzinfo=dt.UTC), UTC)["commitments"]
    assert (entry["start"], entry["end"]) == ("2025-03-18T18:00:00+03:00", "2025-04-17T18:00:00+03:00")
    assert (entry["days_elapsed"], entry["days_left"]) == (1, 29)
