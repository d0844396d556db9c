"""What editors read, in English and German: refusals are one line and say what would be accepted; everything that
came from an article or a user is escaped; corrections, cards and history word their values in the reader's
language."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from bot import display, keyboards
from bot.callback_data import decode
from bot.i18n import Ctx
from storage.edits import EditError, EditView, Outcome, Queue
from tests.tracking.factories import report_view, source, tracked
from tracking.corrections import Change, Expected, Invalid

EN = Ctx(language="en", tz=ZoneInfo("UTC"))
DE = Ctx(language="de", tz=ZoneInfo("UTC"))
HOSTILE = "<script>alert(1)</script> & <b>"
AT = dt.datetime(2025, 3, 22, 12, tzinfo=dt.UTC)
TAG = re.compile(r"<(?!/?(b|i|code)>)[^>]*>")


def _name(error: EditError) -> str:
    return f"{error.reason}-{error.invalid.expected if error.invalid else error.state}"


def _refusals() -> list[EditError]:
    errors = [
        EditError("unknown", 9),
        EditError("unknown_report", 9, target="report"),
        EditError("same", 3, other=3),
        EditError("stale", 3),
        EditError("gone", 3, state="merged", other=1),
        EditError("gone", 3, state="rejected"),
        EditError("gone", 3, state="retracted"),
        EditError("already", 3, state="retracted", by=HOSTILE),
        EditError("already", 7, target="report", state="confirmed", by="Alice"),
        EditError("already", 3, state="rejected"),
    ]
    fields: dict[Expected, str] = {"field": "colour", "date": "end", "duration": "duration", "quantity": "quantity",
                                   "parties": "parties", "text": "title", "kind": "kind", "status": "status",
                                   "order": "end", "same": "end"}  # fmt: skip
    for expected, field in fields.items():
        value = "2025-04-17" if expected == "same" else HOSTILE
        errors.append(EditError("invalid", 3, invalid=Invalid(field, value, expected)))
    return errors


@pytest.mark.parametrize("ctx", [EN, DE])
@pytest.mark.parametrize("error", _refusals(), ids=_name)
def test_every_refusal_is_one_escaped_line(error: EditError, ctx: Ctx) -> None:
    text = display.edit_refused(error, ctx)
    assert "\n" not in text
    assert "<script>" not in text
    assert not TAG.search(text), text
    if error.reason not in ("stale", "empty"):
        assert display.esc(ctx._("Nothing was changed.")) in text


def test_a_bad_date_names_what_is_accepted() -> None:
    text = display.edit_refused(EditError("invalid", 3, invalid=Invalid("end", "tomorrowish", "date")), EN)
    assert text == (
        "⚠ “tomorrowish” is not a valid end. Write a date like <code>2025-04-16</code>, "
        "<code>2025-04-16 18:00 Europe/Moscow</code> or <code>16 April</code>. Nothing was changed."
    )
    german = display.edit_refused(EditError("invalid", 3, invalid=Invalid("end", "morgen", "date")), DE)
    assert german.startswith("⚠ „morgen“ ist keine gültige Angabe für Ende.")


def test_a_correction_alert_says_what_moved_in_the_readers_words() -> None:
    payload = {"what": "dates", "changes": [{"field": "end", "old": "2025-04-17", "new": "2025-04-16"}]}
    item = {"kind": "strike_halt", "duration_days": 30}
    assert display.correction_headline(payload, item, EN) == (
        "✏️",
        "Correction: strike halt (30 days) — end now Wed 16 Apr (was Thu 17 Apr)",
    )
    assert display.correction_headline(payload, item, DE)[1] == (
        "Korrektur: Angriffsstopp (30 Tage) – Ende jetzt Mi., 16. Apr. (war Do., 17. Apr.)"
    )
    line = display.AlertLine(1, item, AT, correction={**payload, "reason": HOSTILE})
    block = display.alert_block(line, EN)
    assert block.startswith("✏️ <b>Correction:")
    assert "&lt;script&gt;" in block
    retracted = display.correction_headline({"what": "retracted"}, item, EN)[1]
    assert retracted == "Correction: strike halt (30 days) was retracted — disregard the alerts about it"


def test_a_review_card_shows_the_evidence_escaped_with_four_buttons() -> None:
    halt = tracked(sources=(source(1, HOSTILE, evidence=f"Putin said {HOSTILE}"),), review="unconfirmed", version=4)
    card = display.review_card(halt, EN)
    assert card.startswith("🔎 <b>To review: new commitment #1</b>")
    assert "&lt;script&gt;" in card
    assert "<script>" not in card
    assert "Starts:</b> Tue 18 Mar" in card
    markup = keyboards.review_keyboard("commitment", 1, halt.version, EN)
    labels = [b.text for row in markup.inline_keyboard for b in row]
    assert labels == ["✅ Confirm", "✏️ Edit", "🔀 Merge into…", "❌ Reject"]
    buttons = [decode(str(b.callback_data)) for row in markup.inline_keyboard for b in row]
    parsed = [keyboards.review_of(button) for button in buttons if button is not None]
    assert parsed == [(verb, "commitment", 1, 4) for verb in ("ok", "edit", "merge", "no")]
    done = display.review_card(halt, DE, decided=("confirmed", HOSTILE))
    assert "✅ Von &lt;script&gt;" in done
    report = display.report_card(report_view(5, evidence=HOSTILE), halt, EN)
    assert report.startswith("🔎 <b>To review: report #5 on #1</b>")
    assert "&lt;script&gt;" in report


def test_history_and_queue() -> None:
    halt = tracked(title="Energy truce")
    edits = [
        EditView(3, "retract", "report", None, None, None, "Bob", AT, 1, 7),
        EditView(2, "merge", "merged_from", None, 4, None, "Alice", AT, 1, None),
        EditView(1, "edit", "end", "2025-04-17", "2025-04-16", HOSTILE, "Alice", AT, 1, None),
    ]
    [text] = display.history(halt, edits, EN)
    lines = text.splitlines()
    assert lines[0] == "🕓 History of <b>#1</b> Energy truce"
    assert lines[1] == "• Sat 22 Mar 12:00 · <b>Bob</b>: retracted report #7"
    assert lines[2] == "• Sat 22 Mar 12:00 · <b>Alice</b>: merged #4 into this one"
    assert lines[3].startswith("• Sat 22 Mar 12:00 · <b>Alice</b>: end: Thu 17 Apr → Wed 16 Apr — <i>&lt;script")
    [german] = display.history(halt, edits[2:], DE)
    assert "Ende: von Do., 17. Apr. auf Mi., 16. Apr." in german
    assert display.history_json(halt, edits)["edits"][2]["reason"] == HOSTILE
    queue = Queue([tracked(id=8, review="unconfirmed")], [(report_view(5), halt)])
    assert display.review_queue(queue, EN).splitlines()[0] == "🔎 <b>2 items wait for review</b>"
    assert display.review_queue(Queue(), DE) == "🔎 Nichts wartet auf Prüfung."


def test_the_answer_to_a_correction_lists_each_field_and_who_is_told() -> None:
    changes = (Change("start", "2025-03-18", "2025-03-19"), Change("end", "2025-04-17", "2025-04-18", derived=True))
    text = display.edited(Outcome(tracked(start=dt.date(2025, 3, 19)), changes, (1, 2), told=3), EN)
    assert "• start: Tue 18 Mar → <b>Wed 19 Mar</b>" in text
    assert "• end: Thu 17 Apr → <b>Fri 18 Apr</b> (start + duration)" in text
    assert "A correction goes to 3 chats that had an alert with the old date." in text


def test_an_editors_title_is_shown_as_written_and_escaped() -> None:
    item = {"kind": "strike_halt", "actors": ["Russia"], "headline": HOSTILE, "id": 1, "state": "active"}
    assert display.title(item, DE) == HOSTILE
    assert "&lt;script&gt;" in display.status_line(item, EN)
    assert "🔎" not in display.status_line(item, EN)
    assert "🔎 unconfirmed" in display.status_line({**item, "review": "unconfirmed"}, EN)
