"""The commitment, conflicts, chat and load outcome the display tests render, and the checks that every message
is valid Telegram HTML with every outside text escaped."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

from bot.i18n import Ctx
from schedules.plan import Milestone
from storage.chats import ChatView
from storage.loader import CommitmentRef, LoadOutcome
from tracking.model import ConflictView

EN = Ctx("en", ZoneInfo("Europe/Berlin"))
DE = Ctx("de", ZoneInfo("Europe/Berlin"))
BOTH = [EN, DE]
HOSTILE = '<b>bold</b> <script>alert("x")</script> Tom & Jerry'
ALLOWED_TAGS = {"b", "i", "code"}
ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);")
D = dt.date
CET = dt.timezone(dt.timedelta(hours=1))
MSK = dt.timezone(dt.timedelta(hours=3))


class _Checker(HTMLParser):
    """Fails on anything Telegram's HTML mode would reject: unknown tags, unbalanced tags, bad entities."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.errors.append(f"tag <{tag}>")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}>")
        else:
            self.stack.pop()


def assert_valid_html(text: str) -> None:
    checker = _Checker()
    checker.feed(text)
    checker.close()
    assert checker.errors == [], text
    assert checker.stack == [], text
    for match in re.finditer(r"&[^\s&]*", text):
        assert ENTITY.match(match.group()), f"bad entity {match.group()!r} in {text!r}"


def assert_escaped(text: str) -> None:
    """The hostile text shows as text: no raw tag of it, its escaped form present."""
    assert_valid_html(text)
    assert "<script>" not in text
    assert "<b>bold</b>" not in text
    assert "&lt;script&gt;" in text
    assert "Tom &amp; Jerry" in text or "Tom &amp;" in text


def make_item(**changes: Any) -> dict[str, Any]:
    """A commitment as tracking.status writes it: the 30-day energy strike halt on day 5."""
    item: dict[str, Any] = {
        "id": 12,
        "kind": "strike_halt",
        "title": "Russia: strike halt — energy infrastructure, 30 days",
        "actors": ["Russia"],
        "scope": "energy infrastructure",
        "conditions": [],
        "start": D(2025, 3, 18),
        "end": D(2025, 4, 17),
        "due": None,
        "duration_days": 30,
        "quantity": None,
        "state": "active",
        "disputed": True,
        "days_elapsed": 4,
        "days_left": 25,
        "sources": [
            {
                "title": "Putin agrees to pause strikes on Ukraine's power grid",
                "language": "en",
                "published": dt.datetime(2025, 3, 18, 19, 40, tzinfo=dt.UTC),
                "path": "examples/articles/en_putin-trump-call_2025-03-18.txt",
            },
            {
                "title": "Telefonat mit Trump: Putin stoppt Angriffe auf Energieanlagen",
                "language": "de",
                "published": dt.datetime(2025, 3, 18, 20, 51, tzinfo=CET),
                "path": "examples/articles/de_putin-trump-telefonat_2025-03-18.txt",
            },
        ],
        "reports": [
            {
                "kind": "violation",
                "accused": ["Russia"],
                "claimed_by": "Ukraine",
                "date": D(2025, 3, 19),
                "quantity": None,
                "source": "Ukraine-Krieg: Streit um Angriffe",
            },
            {
                "kind": "denial",
                "accused": [],
                "claimed_by": "Russia",
                "date": D(2025, 3, 19),
                "quantity": None,
                "source": "Ukraine-Krieg: Streit um Angriffe",
            },
        ],
        "conflicts": [],
    }
    item.update(changes)
    return item


VIOLATION = {
    "kind": "violation_in_force",
    "summary": "Ukraine accuses Russia of violating the strike halt on 2025-03-19 …",
    "reports": [make_item()["reports"][0]],
    "sources": [{"title": "Ukraine-Krieg: Streit um Angriffe", "path": "a.txt"}],
}
DENIED = {
    "kind": "claim_denied",
    "summary": "… reports Russia denying it.",
    "reports": make_item()["reports"],
    "sources": [{"title": "Ukraine-Krieg: Streit um Angriffe", "path": "a.txt"}],
}
DATES = {
    "kind": "date_disagreement",
    "summary": "Sources disagree on the dates of the strike halt …",
    "reports": [],
    "sources": [{"title": "A", "path": "a.txt"}, {"title": "B", "path": "b.txt"}],
}


def hostile_item() -> dict[str, Any]:
    """Every field that came from an article carries markup and an ampersand."""
    report = {
        "kind": "violation",
        "accused": [HOSTILE],
        "claimed_by": HOSTILE,
        "date": D(2025, 3, 19),
        "quantity": 3,
        "source": HOSTILE,
    }
    return make_item(
        title=HOSTILE,
        actors=[HOSTILE],
        scope=HOSTILE,
        conditions=[HOSTILE],
        sources=[{"title": HOSTILE, "language": "en", "published": D(2025, 3, 18), "path": "x.txt"}],
        reports=[report],
        conflicts=[
            {"kind": "violation_in_force", "summary": HOSTILE, "reports": [report], "sources": [{"title": HOSTILE}]},
            {"kind": "something_new", "summary": HOSTILE, "reports": [], "sources": []},
        ],
    )


CHAT = ChatView(
    id=-100,
    type="group",
    title="Group",
    language="en",
    timezone="Europe/Berlin",
    quiet_start=dt.time(22, 0),
    quiet_end=dt.time(7, 0),
    enabled=True,
    member=True,
    subscribed_all=False,
)
MILESTONE = Milestone(12, "before_end", dt.datetime(2025, 4, 14, 8, 0, tzinfo=dt.UTC), days_before=3)


def outcome(**changes: Any) -> LoadOutcome:
    values: dict[str, Any] = {
        "article_id": 7,
        "title": "Black Sea truce agreed in Riyadh",
        "created": [CommitmentRef(16, "Russia, Ukraine: maritime ceasefire — Black Sea")],
        "merged": [CommitmentRef(12, "Russia: strike halt — energy infrastructure, 30 days")],
        "linked": [(101, 12), (102, 12), (103, 16)],
        "unlinked": [104],
        "conflicts": [
            ConflictView(5, "date_disagreement", "Sources disagree on the dates of the strike halt.", (), (1, 7))
        ],
    }
    values.update(changes)
    return LoadOutcome(**values)
