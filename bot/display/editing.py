"""Editors' answers: corrections, merges, retractions, the history and the /edit menu."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from bot.display.base import (
    EDIT_EXAMPLES,
    KINDS,
    STATUS_LABELS,
    edit_value,
    esc,
    field_label,
    fields_list,
    named,
    report_kind_label,
    short,
    title,
)
from bot.display.markup import split_html
from bot.i18n import N_, Ctx
from storage.edits import EditError, EditView
from storage.edits import Outcome as EditOutcome
from tracking.model import Tracked
from tracking.state import title_fields

# --- corrections and review (admins) ---------------------------------------------------------------------------
#
# Editors correct, merge, retract and review what the extractor found (storage.edits). Every answer is one short
# message; a refusal is one line that says what would be accepted, and that nothing was changed.


def edit_usage(ctx: Ctx) -> str:
    """/edit without a valid number: how to write it."""
    return "✏️ " + ctx._("Write it as {usage}, for example {example}. Fields: {fields}.").format(
        usage="<code>/edit ID FIELD VALUE — " + esc(ctx._("reason")) + "</code>",
        example="<code>/edit 12 end 2025-04-16 — " + esc(ctx._("Kremlin readout")) + "</code>",
        fields=fields_list(ctx),
    )


def merge_usage(ctx: Ctx) -> str:
    return "🔀 " + ctx._("Write it as {usage}, for example {example}.").format(
        usage="<code>/merge ID INTO_ID</code>", example="<code>/merge 14 3</code>"
    )


def retract_usage(ctx: Ctx) -> str:
    return "↩️ " + ctx._("Write it as {usage} or {report}, for example {example}.").format(
        usage="<code>/retract ID " + esc(ctx._("[reason]")) + "</code>",
        report="<code>/retract report N " + esc(ctx._("[reason]")) + "</code>",
        example="<code>/retract 14 " + esc(ctx._("only an idea, never agreed")) + "</code>",
    )


def history_usage(ctx: Ctx) -> str:
    return "🕓 " + ctx._("Write it as {usage}, for example {example}.").format(
        usage="<code>/history ID</code>", example="<code>/history 3</code>"
    )


_EXPECTED = {
    "date": N_("Write a date like {a}, {b} or {c}."),
    "duration": N_("Write a duration like {a}, {b} or {c}."),
    "quantity": N_("Write a number like {a} or {b}."),
    "parties": N_("Name parties I know, like {a}."),
    "kind": N_("Use one of: {a}."),
    "status": N_("Use one of: {a}."),
}


def _accepted(expected: str, ctx: Ctx) -> str:
    """What a field accepts, with examples (HTML)."""
    code = "<code>{}</code>".format
    values: dict[str, str] = {
        "date": ctx._(_EXPECTED["date"]).format(
            a=code("2025-04-16"), b=code("2025-04-16 18:00 Europe/Moscow"), c=code("16 April")
        ),
        "duration": ctx._(_EXPECTED["duration"]).format(a=code("30 days"), b=code("72 hours"), c=code("30")),
        "quantity": ctx._(_EXPECTED["quantity"]).format(a=code("175"), b=code("175 prisoners")),
        "parties": ctx._(_EXPECTED["parties"]).format(a=code("Russia, Ukraine")),
        "kind": ctx._(_EXPECTED["kind"]).format(a=", ".join(code(k) for k in KINDS)),
        "status": ctx._(_EXPECTED["status"]).format(a=", ".join(code(k) for k in STATUS_LABELS)),
    }
    return values.get(expected, "")


def _unchanged(ctx: Ctx) -> str:
    return esc(ctx._("Nothing was changed."))


def edit_refused(error: EditError, ctx: Ctx) -> str:
    """Why a change was refused, in one line, with what would be accepted; nothing was written (storage.edits)."""
    number = error.item_id
    what = (
        ctx._("report #{id}").format(id=number)
        if error.target == "report"
        else ctx._("commitment #{id}").format(id=number)
    )
    if error.reason == "unknown":
        return "⚠ " + esc(ctx._("There is no commitment #{id}.").format(id=number)) + " " + _unchanged(ctx)
    if error.reason == "unknown_report":
        return "⚠ " + esc(ctx._("There is no report #{id}.").format(id=number)) + " " + _unchanged(ctx)
    if error.reason == "same":
        return "⚠ " + esc(ctx._("#{id} cannot be merged into itself.").format(id=number)) + " " + _unchanged(ctx)
    if error.reason == "empty":
        return edit_usage(ctx)
    if error.reason == "stale":
        return "⏳ " + esc(ctx._("This card is out of date: #{id} changed since it was sent.").format(id=number))
    if error.reason == "gone":
        if error.state == "merged" and error.other is not None:
            text = ctx._("#{id} was merged into #{other}; change that one instead.").format(
                id=number, other=error.other
            )
        elif error.state == "rejected":
            text = ctx._("#{id} was rejected in review.").format(id=number)
        else:
            text = ctx._("#{id} was retracted.").format(id=number)
        return "⚠ " + esc(text) + " " + _unchanged(ctx)
    if error.reason == "already":
        by = error.by or ctx._("an editor")
        done = {
            "retracted": N_("{what} was already retracted by {by}."),
            "confirmed": N_("{what} was already confirmed by {by}."),
            "rejected": N_("{what} was already rejected by {by}."),
        }.get(error.state or "", N_("{what} was already decided by {by}."))
        return "ℹ️ " + esc(ctx._(done).format(what=what, by=by)) + " " + _unchanged(ctx)
    invalid = error.invalid
    if invalid is None:
        return "⚠ " + _unchanged(ctx)
    shown = esc(short(invalid.value, 60))
    label = esc(field_label(invalid.field, ctx))
    if invalid.expected == "field":
        text = ctx._("“{value}” is not a field I can correct. Use one of: {fields}.").format(
            value=esc(short(invalid.field, 40)), fields=fields_list(ctx)
        )
    elif invalid.expected == "order":
        text = esc(ctx._("The end would come before the start."))
    elif invalid.expected == "same":
        text = ctx._("The {field} is already {value}.").format(
            field=label, value=esc(edit_value(invalid.field, invalid.value, ctx))
        )
    elif invalid.expected == "text":
        text = ctx._("The {field} takes 1 to 200 characters, or {clear} to clear it.").format(
            field=label, clear="<code>-</code>"
        )
    else:
        text = ctx._("“{value}” is not a valid {field}.").format(value=shown, field=label)
        text += " " + _accepted(invalid.expected, ctx)
    return "⚠ " + text + " " + _unchanged(ctx)


def edited(outcome: EditOutcome, ctx: Ctx) -> str:
    """The answer to a correction: what moved, and who will be told."""
    item = outcome.commitment
    assert item is not None
    lines = ["✏️ " + ctx._("Corrected {commitment}:").format(commitment=named(item.id, commitment_title(item, ctx)))]
    for change in outcome.changes:
        line = f"• {esc(field_label(change.field, ctx))}: {esc(edit_value(change.field, change.old, ctx))} → "
        line += f"<b>{esc(edit_value(change.field, change.new, ctx))}</b>"
        if change.derived:
            line += " " + esc(ctx._("(start + duration)"))
        lines.append(line)
    lines += _told(
        outcome,
        ctx.n_(
            "A correction goes to {n} chat that had an alert with the old date.",
            "A correction goes to {n} chats that had an alert with the old date.",
            outcome.told,
        ),
        ctx,
    )
    if any(c.field in ("start", "end", "due", "duration") for c in outcome.changes) and item.review == "confirmed":
        lines.append("⏰ " + esc(ctx._("Pending alerts move to the new dates; what went out is not sent again.")))
    lines.append(esc(ctx._("Later sources that say otherwise are shown as conflicts; your value stays.")))
    return "\n".join(lines)


def commitment_title(tracked: Tracked, ctx: Ctx) -> str:
    """:func:`title` of a tracked commitment (plain text)."""
    return title(title_fields(tracked), ctx)


def merged(outcome: EditOutcome, ctx: Ctx) -> str:
    item, went = outcome.commitment, outcome.merged
    assert item is not None
    assert went is not None
    text = ctx._("Merged #{gone} into {commitment}: its sources, reports and subscriptions are #{id}'s now.")
    return "🔀 " + text.format(gone=went.id, commitment=named(item.id, commitment_title(item, ctx)), id=item.id)


def retracted(outcome: EditOutcome, ctx: Ctx) -> str:
    """The answer to /retract (a commitment or a report)."""
    lines: list[str] = []
    report = outcome.report
    if report is not None:
        day = f", {ctx.date(report.date)}" if report.date else ""
        lines.append(
            "↩️ "
            + ctx._("Retracted report #{id} ({kind}{day}): it counts for nothing now.").format(
                id=report.id, kind=esc(report_kind_label(report.kind, ctx)), day=esc(day)
            )
        )
    else:
        item = outcome.commitment
        assert item is not None
        lines.append(
            "↩️ "
            + ctx._(
                "Retracted {commitment}: it has left /status and the timeline, and its pending alerts are off."
            ).format(commitment=named(item.id, commitment_title(item, ctx)))
        )
    lines += _told(
        outcome,
        ctx.n_(
            "A correction goes to {n} chat that had an alert about it.",
            "A correction goes to {n} chats that had an alert about it.",
            outcome.told,
        ),
        ctx,
    )
    return "\n".join(lines)


def _told(outcome: EditOutcome, text: str, ctx: Ctx) -> list[str]:
    """The line on the correction alerts a change owes (``text`` worded for its count), when it owes any."""
    return ["📣 " + esc(text.format(n=ctx.number(outcome.told)))] if outcome.told else []


def _when_edited(at: dt.datetime, ctx: Ctx) -> str:
    return ctx.datetime(at)


def _history_line(edit: EditView, ctx: Ctx) -> str:
    who = esc(short(edit.editor, 40))
    field = edit.field or ""
    if edit.action == "edit":
        what = ctx._("{field}: {old} → {new}").format(
            field=field_label(field, ctx), old=edit_value(field, edit.old, ctx), new=edit_value(field, edit.new, ctx)
        )
    elif edit.action == "merge" and field == "merged_from":
        what = ctx._("merged #{id} into this one").format(id=edit.new)
    elif edit.action == "merge":
        what = ctx._("merged this one into #{id}").format(id=edit.new)
    elif edit.report_id is not None:
        changed = N_("changed report #{id}")
        words = {"retract": N_("retracted report #{id}"), "confirm": N_("confirmed report #{id}"),
                 "reject": N_("rejected report #{id}")}  # fmt: skip
        what = ctx._(words.get(edit.action, changed)).format(id=edit.report_id)
    else:
        changed = N_("changed it")
        words = {"retract": N_("retracted it"), "confirm": N_("confirmed it"), "reject": N_("rejected it")}
        what = ctx._(words.get(edit.action, changed))
    line = f"• {esc(_when_edited(edit.at, ctx))} · <b>{who}</b>: {esc(what)}"
    if edit.reason:
        line += f" — <i>{esc(short(edit.reason, 200))}</i>"
    return line


def history(tracked: Tracked, edits: Sequence[EditView], ctx: Ctx) -> list[str]:
    """/history ID: the edits, merges, retractions and reviews, newest first; chunks of ≤ 4096 characters."""
    lines = [
        "🕓 " + ctx._("History of {commitment}").format(commitment=named(tracked.id, commitment_title(tracked, ctx)))
    ]
    state = {
        "retracted": N_("Retracted: it is not shown any more."),
        "rejected": N_("Rejected in review: it is not shown."),
        "merged": N_("Merged into another commitment."),
        "unconfirmed": N_("Waits for review: only admins see it."),
    }.get(tracked.review)
    if state:
        lines.append(esc(ctx._(state)))
    if not edits:
        lines.append(esc(ctx._("No edits yet: it stands as its sources give it.")))
    lines += [_history_line(edit, ctx) for edit in edits]
    return split_html("\n".join(lines))


def history_json(tracked: Tracked, edits: Sequence[EditView]) -> dict[str, Any]:
    """`ceasefire-watch history ID --json`."""
    return {"id": tracked.id, "review": tracked.review, "edits": [edit.to_json() for edit in edits]}


def edit_menu(tracked: Tracked, ctx: Ctx) -> str:
    """/edit ID (or ✏️ on a review card): the current values; the buttons below pick the field to correct."""
    values = {
        "start": tracked.start,
        "end": tracked.end,
        "due": tracked.due,
        "duration": tracked.duration_days,
        "quantity": tracked.quantity,
        "parties": list(tracked.actors),
        "scope": tracked.scope,
        "kind": tracked.kind,
        "status": tracked.status,
        "title": tracked.title,
    }
    lines = ["✏️ " + ctx._("Correct {commitment}").format(commitment=named(tracked.id, commitment_title(tracked, ctx)))]
    for field, value in values.items():
        shown = edit_value(field, value.isoformat() if isinstance(value, dt.date) else value, ctx)
        mark = " ✎" if _attribute(field) in tracked.corrected_fields else ""
        lines.append(f"{esc(field_label(field, ctx))}: {esc(shown)}{mark}")
    lines += ["", esc(ctx._("Pick the field to correct; I will ask for the value."))]
    return "\n".join(lines)


def _attribute(field: str) -> str:
    return {"duration": "duration_days", "parties": "actors"}.get(field, field)


def edit_prompt(commitment_id: int, field: str, ctx: Ctx) -> str:
    """Asks for a field's new value; the answer is a reply to this message."""
    return "✏️ " + ctx._(
        "New {field} for #{id}? Reply to this message, for example {example}. Add {reason} to say why."
    ).format(
        field=esc(field_label(field, ctx)),
        id=commitment_id,
        example=f"<code>{esc(EDIT_EXAMPLES.get(field, ''))}</code>",
        reason="<code>— " + esc(ctx._("reason")) + "</code>",
    )


def prompt_expired(ctx: Ctx) -> str:
    return "⏳ " + ctx._("That question has expired. Send {usage}.").format(usage="<code>/edit ID FIELD VALUE</code>")


def merge_choices(tracked: Tracked, targets: Sequence[Tracked], ctx: Ctx) -> str:
    """🔀 on a review card: which commitment to merge this one into (buttons below, the likeliest first)."""
    if not targets:
        return "🔀 " + ctx._("There is no other commitment of this kind to merge #{id} into. Type {usage}.").format(
            id=tracked.id, usage=f"<code>/merge {tracked.id} INTO_ID</code>"
        )
    return "🔀 " + ctx._("Merge {commitment} into which one?").format(
        commitment=named(tracked.id, commitment_title(tracked, ctx))
    )
