"""Review cards: what the extractor found, waiting for an editor, with its evidence and the decision taken."""

from __future__ import annotations

from articles.model import Moment, iso
from bot.display.base import (
    EVIDENCE_WIDTH,
    LIMIT,
    REVIEW_SOURCES_MAX,
    SOURCE_WIDTH,
    clipped,
    days_text,
    esc,
    field_line,
    kind_label,
    named,
    parties,
    report_kind_label,
)
from bot.display.editing import commitment_title
from bot.display.markup import split_html
from bot.display.status import report_line
from bot.i18n import N_, Ctx
from storage.edits import Queue as EditQueue
from tracking.model import ReportView, Tracked


def _evidence(text: str, title_: str, published: Moment | None, ctx: Ctx) -> str:
    quote = f"“{esc(clipped(text, EVIDENCE_WIDTH))}”" if text.strip() else ""
    source = f"<i>{esc(clipped(title_, SOURCE_WIDTH))}</i>"
    if published is not None:
        source += f" · {esc(ctx.date(published))}"
    return f"{quote} — {source}" if quote else source


def _decision(decided: tuple[str, str] | None, ctx: Ctx) -> list[str]:
    if decided is None:
        return []
    state, by = decided
    icon, words = {
        "confirmed": ("✅", N_("Confirmed by {by}: subscribers are alerted from now on.")),
        "rejected": ("❌", N_("Rejected by {by}: it is gone from /status.")),
    }.get(state, ("ℹ️", N_("Decided by {by}.")))
    return ["", icon + " " + esc(ctx._(words).format(by=by))]


def review_card(tracked: Tracked, ctx: Ctx, *, decided: tuple[str, str] | None = None) -> str:
    """A new commitment waiting for review: kind, parties, dates, number, the evidence sentences and their sources.

    ``decided`` (state, editor) turns it into the record of what was done, without buttons."""
    lines = [
        "🔎 <b>" + esc(ctx._("To review: new commitment #{id}").format(id=tracked.id)) + "</b>",
        "<b>" + esc(commitment_title(tracked, ctx)) + "</b>",
        field_line(ctx._("Kind:"), esc(kind_label(tracked.kind, ctx)))
        + " · "
        + field_line(ctx._("Parties:"), parties(list(tracked.actors), ctx)),
    ]
    dates = [
        field_line(label, esc(ctx.when(value)))
        for label, value in (
            (ctx._("Starts:"), tracked.start),
            (ctx._("Ends:"), tracked.end),
            (ctx._("Due:"), tracked.due if tracked.due != tracked.end else None),  # a deadline that ends it: once
        )
        if value is not None
    ]
    if tracked.duration_days:
        dates.append(field_line(ctx._("Duration:"), esc(days_text(tracked.duration_days, ctx))))
    if tracked.quantity is not None:
        dates.append(field_line(ctx._("Number:"), esc(ctx.number(tracked.quantity))))
    if dates:
        lines.append(" · ".join(dates))
    if tracked.status == "proposed":
        lines.append(esc(ctx._("Only proposed so far.")))
    lines += ["", "<b>" + esc(ctx._("Evidence:")) + "</b>"]
    for source in tracked.sources[:REVIEW_SOURCES_MAX]:
        lines.append("• " + _evidence(source.evidence, source.title, source.published, ctx))
    more = len(tracked.sources) - REVIEW_SOURCES_MAX
    if more > 0:
        lines.append(esc(ctx.n_("+{n} more", "+{n} more", more).format(n=ctx.number(more))))
    lines += _decision(decided, ctx)
    return "\n".join(split_html("\n".join(lines), LIMIT)[:1])


def report_card(
    report: ReportView, commitment: Tracked | None, ctx: Ctx, *, decided: tuple[str, str] | None = None
) -> str:
    """A report on a confirmed commitment waiting for review before its conflicts are alerted."""
    about = ctx._("on #{id}").format(id=commitment.id) if commitment is not None else ""
    lines = ["🔎 <b>" + esc(ctx._("To review: report #{id}").format(id=report.id) + f" {about}".rstrip()) + "</b>"]
    if commitment is not None:
        lines.append("<b>" + esc(commitment_title(commitment, ctx)) + "</b>")
    lines.append(
        report_line(
            {
                "kind": report.kind,
                "date": iso(report.date),
                "claimed_by": report.claimed_by,
                "accused": list(report.accused),
                "quantity": report.quantity,
            },
            ctx,
        )
    )
    lines += ["", "<b>" + esc(ctx._("Evidence:")) + "</b>"]
    lines.append("• " + _evidence(report.evidence, report.source_title, report.source_published, ctx))
    lines += _decision(decided, ctx)
    return "\n".join(lines)


def review_placeholder(target: str, item_id: int, ctx: Ctx) -> str:
    """A review card when the item could not be looked up (the buttons still work on what is stored)."""
    if target == "report":
        return "🔎 <b>" + esc(ctx._("To review: report #{id}").format(id=item_id)) + "</b>"
    return "🔎 <b>" + esc(ctx._("To review: new commitment #{id}").format(id=item_id)) + "</b>"


def review_done(target: str, item_id: int, confirmed: bool, ctx: Ctx) -> str:
    """The toast after ✅ / ❌ (plain text: button answers show no markup)."""
    if target == "report":
        if confirmed:
            return ctx._("Confirmed report #{id}: its conflicts are alerted now.").format(id=item_id)
        return ctx._("Rejected report #{id}: it counts for nothing.").format(id=item_id)
    if confirmed:
        return ctx._("Confirmed #{id}: subscribers are alerted from now on.").format(id=item_id)
    return ctx._("Rejected #{id}: it is gone from /status.").format(id=item_id)


def review_queue(queue: EditQueue, ctx: Ctx) -> str:
    """/review: what waits, oldest first; a button per item opens its card."""
    if not len(queue):
        return "🔎 " + esc(ctx._("Nothing waits for review."))
    count = len(queue)
    lines = ["🔎 <b>" + esc(ctx.n_("{n} item waits for review", "{n} items wait for review", count).format(
        n=ctx.number(count))) + "</b>"]  # fmt: skip
    for tracked in queue.commitments:
        lines.append("• " + named(tracked.id, commitment_title(tracked, ctx)))
    for report, owner in queue.reports:
        day = f", {ctx.date(report.date)}" if report.date else ""
        text = ctx._("report #{id} on #{owner}: {kind}{day}").format(
            id=report.id, owner=owner.id, kind=report_kind_label(report.kind, ctx), day=day
        )
        lines.append("• " + esc(text))
    return "\n".join(split_html("\n".join(lines), LIMIT)[:1])
