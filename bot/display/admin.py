"""Answers to admins: what a load or a report did, the refusals and errors every command may give, and the
outbox's health."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from articles.model import Moment
from bot.display.alerts import stored_conflict
from bot.display.base import conflict_kind_label, esc, short, title
from bot.display.markup import split_html
from bot.i18n import N_, Ctx
from storage.loader import LoadOutcome
from tracking.model import ConflictView

# --- loading and reports (admins) --------------------------------------------------------------------------------


def _ref(number: int, name: str) -> str:
    return f"<b>#{number}</b> {esc(short(name))}"


def _stored_conflict(conflict: ConflictView, ctx: Ctx) -> str:
    """A conflict as stored (no report details at hand): its kind and its facts in the reader's language."""
    text = stored_conflict(conflict.kind, conflict.facts, conflict.summary, ctx)
    return f"⚠ <b>{esc(conflict_kind_label(conflict.kind, ctx))}:</b> {text}"


def load_result(outcome: LoadOutcome, ctx: Ctx, *, dated_by: Moment | None = None, by_post: bool = False) -> list[str]:
    """What loading one article did: created, merged, linked, conflicts — or that it was already known.

    ``dated_by``: the page showed no publication date and was dated by the message that brought it (``by_post``:
    by the channel post that was forwarded).
    """
    head = "📄 <b>" + esc(outcome.title) + "</b>"
    if outcome.duplicate:
        return split_html(f"{head}\n" + esc(ctx._("This article was loaded before; nothing changed.")))
    lines = [head]
    if dated_by is not None:
        note = ctx._("The page shows no publication date, so it is dated by your message: {when}.")
        if by_post:
            note = ctx._("The post shows no publication date, so it is dated by the post: {when}.")
        lines.append("🕓 " + esc(note.format(when=ctx.datetime(dated_by))))
    if outcome.created:
        lines.append("<b>" + esc(ctx._("New commitments:")) + "</b>")
        lines += ["➕ " + _ref(ref.id, title(ref.fields, ctx) if ref.fields else ref.title) for ref in outcome.created]
    if outcome.merged:
        lines.append("<b>" + esc(ctx._("Added as a source to:")) + "</b>")
        lines += ["🔗 " + _ref(ref.id, title(ref.fields, ctx) if ref.fields else ref.title) for ref in outcome.merged]
    if outcome.linked:
        numbers = sorted({commitment for _, commitment in outcome.linked})
        linked = ctx.n_("{n} report linked to {ids}.", "{n} reports linked to {ids}.", len(outcome.linked))
        lines.append(
            "📌 " + esc(linked.format(n=ctx.number(len(outcome.linked)), ids=ctx.join([f"#{i}" for i in numbers])))
        )
    if outcome.unlinked:
        count = len(outcome.unlinked)
        unlinked = ctx.n_("{n} report matched no commitment.", "{n} reports matched no commitment.", count).format(
            n=ctx.number(count)
        )
        lines.append("❔ " + esc(unlinked))
    if outcome.conflicts:
        lines.append("<b>" + esc(ctx._("New conflicts:")) + "</b>")
        lines += [_stored_conflict(conflict, ctx) for conflict in outcome.conflicts]
    if len(lines) == 1:
        lines.append(esc(ctx._("Loaded, but it names no commitment and no report I can track.")))
    return split_html("\n".join(lines))


def report_result(conflicts: Sequence[ConflictView] | LoadOutcome, ctx: Ctx) -> str:
    """The answer to /report: logged, and which conflicts it raised (the first ten; the rest counted).

    Takes the conflicts, or the whole outcome of loading the report.
    """
    found = conflicts.conflicts if isinstance(conflicts, LoadOutcome) else list(conflicts)
    lines = ["✅ " + esc(ctx._("Report logged."))]
    if not found:
        lines.append(esc(ctx._("It raised no conflict.")))
        return "\n".join(lines)
    count = len(found)
    lines.append(esc(ctx.n_("It raised {n} conflict:", "It raised {n} conflicts:", count).format(n=ctx.number(count))))
    lines += [_stored_conflict(conflict, ctx) for conflict in found[:10]]
    if count > 10:
        lines.append(esc(ctx._("… and {n} more.").format(n=ctx.number(count - 10))))
    return "\n".join(lines)


def report_usage(ctx: Ctx) -> str:
    """/report without a valid number or text: how to write it."""
    return ctx._("Write it as {usage}, for example {example}.").format(
        usage="<code>/report ID text</code>",
        example="<code>/report 12 " + esc(ctx._("Ukraine accuses Russia of shelling Kherson on 19 March")) + "</code>",
    )


def report_not_understood(ctx: Ctx) -> str:
    """/report text in which no claim (violation, fulfilment, denial, …) could be recognised; nothing was stored."""
    return esc(
        ctx._(
            "I could not find a report in that text: who claims what (a violation, a fulfilment, a denial) and "
            "when. Nothing was stored."
        )
    )


def bad_article(reason: str, ctx: Ctx) -> str:
    return "⚠ " + ctx._("I could not load this file: {reason}").format(reason=esc(short(reason, 300)))


def extraction_too_slow(name: str, seconds: float, ctx: Ctx) -> str:
    """An upload whose extraction ran past the time limit: nothing was loaded, and the bot carries on."""
    text = ctx._("I stopped reading {name} after {seconds} seconds: nothing was loaded. Is it really one article?")
    return "⚠ " + text.format(name=esc(short(name, 100)), seconds=f"{seconds:g}")


# --- refusals and errors -----------------------------------------------------------------------------------------


def not_admin(ctx: Ctx) -> str:
    return esc(ctx._("Sorry, only the bot's administrators can do that. Nothing was changed."))


def not_chat_admin(ctx: Ctx) -> str:
    return esc(ctx._("Sorry, only this group's administrators can change its subscriptions and settings."))


def unknown_command(ctx: Ctx) -> str:
    return (
        esc(ctx._("I don't know that command.")) + " " + ctx._("Send {help} to see what I can do.").format(help="/help")
    )


def unknown_id(raw: str, ctx: Ctx) -> str:
    """A number that names no commitment, or text that is not a number at all."""
    cleaned = raw.strip().lstrip("#")
    if cleaned.isdecimal() and cleaned.isascii():
        text = ctx._("There is no commitment #{id}.").format(id=esc(short(cleaned, 20)))
    else:
        text = ctx._("“{raw}” is not a commitment number.").format(raw=esc(short(raw, 40)))
    return text + " " + ctx._("Send {status} to see them all.").format(status="/status")


def apology(ctx: Ctx) -> str:
    return esc(ctx._("Sorry, something went wrong on my side. Please try again in a moment."))


def try_again(seconds: int, ctx: Ctx) -> str:
    """Past a user's budget of charts, calendars or uploads (bot.access.Throttle): when they may ask again."""
    return "⏳ " + esc(
        ctx.n_(
            "One moment, please: that takes a while to make. Try again in {n} second.",
            "One moment, please: that takes a while to make. Try again in {n} seconds.",
            seconds,
        ).format(n=ctx.number(seconds))
    )


def stale_button(ctx: Ctx) -> str:
    return esc(ctx._("This button is out of date. Send /status for a fresh list."))


def timeline_caption(ctx: Ctx) -> str:
    return esc(ctx._("Timeline of all commitments, dates in {zone}.").format(zone=str(ctx.tz)))


def calendar_caption(ctx: Ctx) -> str:
    return esc(ctx._("Calendar file: open it to add the dates to your calendar."))


def health(report: Mapping[str, object], ctx: Ctx) -> str:
    """The outbox at a glance, for admins: what is owed, sent, failed, and the last error."""
    heading = ctx._("Alert delivery")
    lines = [f"<b>{esc(heading)}</b>"]
    for key, label in (
        ("pending", N_("pending")),
        ("sending", N_("sending now")),
        ("sent", N_("sent")),
        ("failed", N_("failed")),
        ("disabled_chats", N_("chats paused (blocked or removed)")),
    ):
        lines.append(f"{esc(ctx._(label))}: {ctx.number(int(str(report.get(key, 0))))}")
    error = report.get("last_error")
    if error:
        lines.append(esc(ctx._("Last error: {error}").format(error=error)))
    return "\n".join(lines)
