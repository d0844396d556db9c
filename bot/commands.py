"""Command handlers: parse the arguments, ask the stored data, render with bot.display. Nothing else lives here."""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import asdict, replace
from datetime import timedelta
from typing import Any

from telegram import ForceReply, Message, MessageEntity, MessageOriginChannel, ReplyParameters, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from articles.extract import extract_reports
from articles.model import Article, ArticleError, Moment
from articles.page import NO_DATE, detect_language
from articles.reader import MAX_BYTES, decode_text
from bot import display, extraction, intake, keyboards, parsing, service
from bot.access import is_admin, may_change_chat, sees_unconfirmed
from bot.charts import timeline_png
from bot.context import Deps, chat_of, deps_of
from bot.i18n import Ctx
from bot.ics import calendar_ics
from schedules.feeds import Checked, parse_interval
from sources.feeds import FeedError
from sources.fetch import FetchError
from storage import chats, edits, outbox
from storage import feeds as feed_store
from storage.loader import LoadOutcome, UnstorableArticle, load_article
from storage.queries import UnknownCommitment
from tracking import corrections
from tracking.model import VISIBLE

PHOTO_MAX_ROWS = 40
ALERTS_KEY = "alerts"  # where bot.app keeps this process's alert scheduler


def poke(
    context: ContextTypes.DEFAULT_TYPE, *, chat_ids: list[int] | None = None, commitment_ids: list[int] | None = None
) -> None:
    """Ask the alert scheduler (when this process runs one) to reconcile now instead of at its next tick."""
    scheduler = context.application.bot_data.get(ALERTS_KEY)
    if scheduler is not None:
        scheduler.poke(commitment_ids=commitment_ids, chat_ids=chat_ids)


def _message(update: Update) -> Message:
    message = update.effective_message
    assert message is not None
    return message


async def _reply(update: Update, chunks: str | list[str], **kwargs: object) -> None:
    """Send one or more ≤4096-character HTML chunks; buttons go on the last one."""
    parts = [chunks] if isinstance(chunks, str) else chunks
    markup = kwargs.pop("reply_markup", None)
    for index, chunk in enumerate(parts):
        last = index == len(parts) - 1
        await _message(update).reply_html(chunk, reply_markup=markup if last else None, **kwargs)  # type: ignore[arg-type]


def not_modified(error: BaseException) -> bool:
    """Telegram's refusal of an edit that changes nothing (a double tap on "More" or "Subscribe")."""
    return isinstance(error, BadRequest) and "message is not modified" in error.message.lower()


async def unless_unchanged(edit: Awaitable[object]) -> None:
    """Make an edit; one that would change nothing is already what the user asked for, not a failure."""
    try:
        await edit
    except BadRequest as error:
        if not not_modified(error):
            raise


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    chat, ctx = await chat_of(update, deps)
    if not chat.enabled or not chat.member:
        await chats.set_enabled(deps.sessions, chat.id, True)  # /start after a block: the user wants us back
        await chats.set_member(deps.sessions, chat.id, True)
    await _reply(update, display.welcome(ctx), reply_markup=keyboards.start_keyboard(ctx))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    _, ctx = await chat_of(update, deps_of(context))
    await _reply(update, display.help_text(ctx, admin=is_admin(update, context)))


async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    chat, ctx = await chat_of(update, deps)
    if context.args:
        await show_detail(update, deps, ctx, chat.id, context.args[0])
        return
    await show_page(update, deps, ctx, 0)


async def show_page(update: Update, deps: Deps, ctx: Ctx, page: int, *, edit: bool = False) -> None:
    result = await service.status_page(deps, ctx, page, admin=sees_unconfirmed(update, deps.admins))
    if result.total == 0:
        await _reply(update, display.nothing_tracked(ctx))
        return
    text = display.status_page(result.items, page=result.page, pages=result.pages, total=result.total, ctx=ctx)
    markup = keyboards.status_keyboard(result.items, page=result.page, pages=result.pages, ctx=ctx)
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        await unless_unchanged(query.edit_message_text(text, reply_markup=markup))
    else:
        await _reply(update, text, reply_markup=markup)


async def show_detail(update: Update, deps: Deps, ctx: Ctx, chat_id: int, raw: str) -> None:
    commitment_id = parsing.commitment_id(raw)
    admin = sees_unconfirmed(update, deps.admins)
    found = None if commitment_id is None else await service.detail(deps, ctx, commitment_id, admin=admin)
    if commitment_id is None or found is None:
        await _reply(update, display.unknown_id(raw, ctx))
        return
    item, upcoming = found
    subscribed = await chats.is_subscribed(deps.sessions, chat_id, commitment_id)
    chunks = display.status_detail(item, next_milestone=upcoming, subscribed=subscribed, ctx=ctx)
    await _reply(update, chunks, reply_markup=keyboards.detail_keyboard(commitment_id, subscribed=subscribed, ctx=ctx))


async def _changer(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx) -> bool:
    """Whether this user may change this chat's subscriptions or settings; refuses politely when not."""
    if await may_change_chat(update, context):
        return True
    await _reply(update, display.not_chat_admin(ctx))
    return False


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    chat, ctx = await chat_of(update, deps)
    if not await _changer(update, context, ctx):
        return
    await change_subscription(update, context, ctx, chat.id, context.args[0] if context.args else "all", on=True)


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    chat, ctx = await chat_of(update, deps)
    if not await _changer(update, context, ctx):
        return
    await change_subscription(update, context, ctx, chat.id, context.args[0] if context.args else "all", on=False)


async def change_subscription(
    update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, chat_id: int, raw: str, *, on: bool
) -> str | None:
    """Subscribe or unsubscribe ``raw`` ("all" or an id) and reply; returns the reply for button toasts."""
    deps = deps_of(context)
    everything = raw.lower() in ("all", "alle")
    commitment_id = None if everything else parsing.commitment_id(raw)
    if not everything and commitment_id is None:
        await _reply(update, display.unknown_id(raw, ctx))
        return None
    title: str | None = None
    if commitment_id is not None:
        found = await service.detail(deps, ctx, commitment_id)
        if found is None:
            await _reply(update, display.unknown_id(raw, ctx))
            return None
        title = display.title(found[0], ctx)
    try:
        if on:
            changed = await chats.subscribe(deps.sessions, chat_id, commitment_id, at=deps.clock.now())
            text = display.subscribed(ctx, title=title) if changed else display.already_subscribed(ctx)
        else:
            changed = await chats.unsubscribe(deps.sessions, chat_id, commitment_id)
            text = display.unsubscribed(ctx, title=title) if changed else display.not_subscribed(ctx)
    except UnknownCommitment:  # deleted between the lookup and the change
        await _reply(update, display.unknown_id(raw, ctx))
        return None
    await _reply(update, text)
    if changed:  # owed alerts are planned, or those no longer owed cancelled, before the next send
        poke(context, chat_ids=[chat_id])
    return text


async def subscriptions(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    chat, ctx = await chat_of(update, deps)
    everything, ids = await chats.subscriptions_of(deps.sessions, chat.id)
    muted_ids = await chats.muted_of(deps.sessions, chat.id) if everything else []
    named: list[tuple[int, str]] = []
    muted: list[tuple[int, str]] = []
    if ids or muted_ids:
        _, found = await service.items(deps, ctx, [*ids, *muted_ids])
        titles = {int(item["id"]): display.title(item, ctx) for item in found}
        named = [(i, titles[i]) for i in ids if i in titles]
        muted = [(i, titles[i]) for i in muted_ids if i in titles]
    await _reply(update, display.subscriptions(ctx, all_=everything, items=named, muted=muted))


async def timeline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    _, ctx = await chat_of(update, deps)
    _, found = await service.items(deps, ctx)
    # Rendering takes up to a few seconds for 200 rows: off the event loop, so other chats are not kept waiting.
    png = await asyncio.to_thread(
        timeline_png, localised(display.ordered(found), ctx), at=deps.clock.now(), tz=ctx.tz, language=ctx.language
    )
    if len(found) > PHOTO_MAX_ROWS:  # Telegram shrinks photos; a tall chart stays readable only as a file
        await _message(update).reply_document(png, filename="timeline.png", caption=display.timeline_caption(ctx))
    else:
        await _message(update).reply_photo(png, caption=display.timeline_caption(ctx))


def localised(found: Sequence[Mapping[str, Any]], ctx: Ctx) -> list[dict[str, Any]]:
    """Items with their titles in the chat's language, for the chart and calendar files."""
    return [{**item, "title": display.title(item, ctx)} for item in found]


async def calendar(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    _, ctx = await chat_of(update, deps)
    ids: list[int] | None = None
    if context.args:
        commitment_id = parsing.commitment_id(context.args[0])
        if commitment_id is None:
            await _reply(update, display.unknown_id(context.args[0], ctx))
            return
        ids = [commitment_id]
    try:
        found, plans = await service.plans(deps, ctx, ids)
    except UnknownCommitment:
        await _reply(update, display.unknown_id(context.args[0] if context.args else "", ctx))
        return
    ics = calendar_ics(localised(found, ctx), plans, tz=ctx.tz, language=ctx.language)
    name = f"ceasefire-watch-{ids[0]}.ics" if ids else "ceasefire-watch.ics"
    await _message(update).reply_document(ics, filename=name, caption=display.calendar_caption(ctx))


async def settings(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    chat, ctx = await chat_of(update, deps)
    if not context.args:
        await _reply(update, display.settings_view(chat, ctx), reply_markup=keyboards.settings_keyboard(chat, ctx))
        return
    if not await _changer(update, context, ctx):
        return
    change = parsing.setting(list(context.args))
    if isinstance(change, parsing.Invalid):
        await _reply(update, display.bad_setting(change.name, change.value, change.reason, ctx))
        return
    await apply_setting(update, deps, chat.id, change)


async def apply_setting(update: Update, deps: Deps, chat_id: int, change: parsing.Change) -> None:
    if change.name == "language":
        view = await chats.update_settings(deps.sessions, chat_id, language=change.value)
    elif change.name == "timezone":
        view = await chats.update_settings(deps.sessions, chat_id, timezone=change.value)
    else:
        view = await chats.update_settings(deps.sessions, chat_id, quiet=change.quiet)
    _, ctx = await chat_of(update, deps)  # the reply speaks the new language / zone
    await _reply(update, display.setting_changed(change.name, change.value, ctx))
    await _reply(update, display.settings_view(view, ctx), reply_markup=keyboards.settings_keyboard(view, ctx))


async def report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/report ID text`: an admin logs what a source says about a commitment; the text is kept as evidence."""
    deps = deps_of(context)
    _, ctx = await chat_of(update, deps)
    if not is_admin(update, context):
        await _reply(update, display.not_admin(ctx))
        return
    args = context.args or []
    commitment_id = parsing.commitment_id(args[0]) if args else None
    text = " ".join(args[1:]).strip()
    if commitment_id is None or not text:
        await _reply(update, display.report_usage(ctx))
        return
    found = await service.detail(deps, ctx, commitment_id)
    if found is None:
        await _reply(update, display.unknown_id(args[0], ctx))
        return
    now = deps.clock.now()
    kind = found[0]["kind"]
    reports = extract_reports(text, language=detect_language(text), published=now, about=kind)
    if not reports:
        await _reply(update, display.report_not_understood(ctx))
        return
    user = update.effective_user
    message = _message(update)
    # Readers see "an editor" (display.source_title); who it was stays in the path, for the audit only.
    author = f"/user/{user.id}" if user is not None else ""
    article = Article(
        path=f"telegram:report/{message.chat_id}/{message.message_id}{author}",
        language=detect_language(text),
        published=now,
        title=display.REPORT_TITLE,
        content_hash=hashlib.sha256(f"report\n{commitment_id}\n{text}".encode()).hexdigest(),
        reports=tuple(replace(r, evidence=text) for r in reports),
    )
    outcome = await load_article(deps.sessions, article, pin_reports_to=commitment_id)
    await _reply(update, display.report_result(outcome, ctx))
    poke(context, commitment_ids=[commitment_id])  # a new conflict alerts subscribers now, not at the next tick


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A `.txt` sent by an admin is loaded as an article, with the same checks as `ceasefire-watch load`."""
    deps = deps_of(context)
    _, ctx = await chat_of(update, deps)
    message = _message(update)
    upload = message.document
    if upload is None:
        return
    if not is_admin(update, context):
        await _reply(update, display.not_admin(ctx))
        return
    name = upload.file_name or "article.txt"
    if not name.lower().endswith(".txt"):
        await _reply(update, display.bad_article(f"{name}: send the article as a .txt file", ctx))
        return
    if upload.file_size is not None and upload.file_size > MAX_BYTES:
        await _reply(update, display.bad_article(f"{name}: file too large (limit 5 MB)", ctx))
        return
    data = bytes(await (await upload.get_file()).download_as_bytearray())
    # Read in a task of its own, so the next update (another chat's /status) need not wait for a long page;
    # its failure reaches the error handler with this update, like a handler's.
    context.application.create_task(_read_upload(update, context, ctx, name, data), update=update)


def _pooled(context: ContextTypes.DEFAULT_TYPE) -> intake.Extract:
    """The worker pool's extraction, in the shape intake takes (a large page never holds the event loop)."""
    pool = extraction.pool_of(context.application)

    async def extract(text: str, path: str, published: Moment | None) -> Article:
        return await pool.extract(text, path, published=published)

    return extract


async def _read_upload(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, name: str, data: bytes) -> None:
    """Extract an uploaded page in a worker process with a time limit (a large page takes seconds of CPU, which on
    this loop would stall every other chat: bot.extraction), load it and answer."""
    deps = deps_of(context)
    message = _message(update)
    dated_by_message = None
    pool = extraction.pool_of(context.application)
    try:
        text = decode_text(name, data)
        try:
            article = await pool.extract(text, f"telegram:{name}")
        except ArticleError as error:
            if error.reason != NO_DATE:
                raise
            # a page without a date of its own is dated by the message that brought it, and the answer says so
            dated_by_message = message.date
            article = await pool.extract(text, f"telegram:{name}", published=dated_by_message)
    except ArticleError as error:
        await _reply(update, display.bad_article(f"{error.path}: {error.reason}", ctx))
        return
    except extraction.ExtractionTimeout as error:
        await _reply(update, display.extraction_too_slow(name, error.seconds, ctx))
        return
    outcome = await load_article(deps.sessions, article, review=deps.settings.reviewing)
    await _reply(update, display.load_result(outcome, ctx, dated_by=dated_by_message))
    poke(context, commitment_ids=[ref.id for ref in (*outcome.created, *outcome.merged)] or None)


async def unknown(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command this bot does not know, unless it was addressed to another bot (`/start@other_bot` in a group
    with several bots): that one is none of ours to answer."""
    message = update.effective_message
    words = (message.text or message.caption or "").split(maxsplit=1) if message is not None else []
    command = words[0] if words else ""
    _, at, addressee = command.partition("@")
    if at and addressee.lower() != (context.bot.username or "").lower():
        return
    _, ctx = await chat_of(update, deps_of(context))
    await _reply(update, display.unknown_command(ctx))


async def health(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins see the outbox: what is owed, sent and failed, paused chats and the last delivery error."""
    deps = deps_of(context)
    _, ctx = await chat_of(update, deps)
    if not is_admin(update, context):
        await _reply(update, display.not_admin(ctx))
        return
    await _reply(update, display.health(asdict(await outbox.health(deps.sessions)), ctx))


# --- corrections and review (admins; storage.edits) -------------------------------------------------------------

PROMPTS_KEY = "edit_prompts"  # chat_data: the bot's "new value?" message id → (commitment id, field)
_REASON = re.compile(r"\s+(?:—|–|--)\s*")  # "/edit 3 end 2025-04-16 — Kremlin readout"


def editor_of(update: Update) -> edits.Editor:
    """Who is editing, as /history shows it: the admin's name and Telegram id."""
    user = update.effective_user
    if user is None:
        return edits.Editor("admin")
    return edits.Editor(user.full_name or str(user.id), user.id)


def _arguments(update: Update) -> str:
    """What follows the command on its line ("/edit@bot 3 end …" → "3 end …"), spacing inside kept."""
    text = _message(update).text or ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) == 2 else ""


def _reason(text: str) -> tuple[str, str | None]:
    """("3 end 2025-04-16", "Kremlin readout") from "3 end 2025-04-16 — Kremlin readout"."""
    parts = _REASON.split(text, maxsplit=1)
    reason = parts[1].strip() if len(parts) == 2 else ""
    return parts[0].strip(), reason or None


async def _editor_here(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Ctx | None:
    """The chat's context when the user is a configured admin; otherwise refuses and returns None."""
    _, ctx = await chat_of(update, deps_of(context))
    if not is_admin(update, context):
        await _reply(update, display.not_admin(ctx))
        return None
    return ctx


async def edit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/edit ID FIELD VALUE [— reason]` corrects a field; `/edit ID` shows the fields as buttons; `/edit ID FIELD`
    asks for the value."""
    ctx = await _editor_here(update, context)
    if ctx is None:
        return
    body, reason = _reason(_arguments(update))
    words = body.split(maxsplit=2)
    commitment_id = parsing.commitment_id(words[0]) if words else None
    if commitment_id is None:
        await _reply(update, display.edit_usage(ctx))
        return
    if len(words) == 1:
        await show_edit_menu(update, context, ctx, commitment_id)
        return
    if len(words) == 2:
        field = corrections.field_of(words[1])
        if field is None:
            error = edits.EditError("invalid", commitment_id, invalid=corrections.Invalid(words[1], "", "field"))
            await _reply(update, display.edit_refused(error, ctx))
            return
        await ask_value(update, context, ctx, commitment_id, field)
        return
    await apply_edit(update, context, ctx, commitment_id, [(words[1], words[2])], reason)


async def apply_edit(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    ctx: Ctx,
    commitment_id: int,
    changes: list[tuple[str, str]],
    reason: str | None,
) -> bool:
    """Make the change and answer; True when it was made."""
    deps = deps_of(context)
    try:
        outcome = await edits.edit(
            deps.sessions,
            commitment_id,
            changes,
            editor=editor_of(update),
            at=deps.clock.now(),
            reason=reason,
            language=ctx.language,
        )
    except edits.EditError as error:
        await _reply(update, display.edit_refused(error, ctx))
        return False
    await _reply(update, display.edited(outcome, ctx))
    poke(context, commitment_ids=[commitment_id])  # pending alerts move, the correction goes out, now
    return True


async def show_edit_menu(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, commitment_id: int) -> None:
    """The current values and a button per field (a commitment an editor may still change)."""
    deps = deps_of(context)
    try:
        tracked = await edits.commitment(deps.sessions, commitment_id)
        if tracked.review not in VISIBLE:
            raise edits.EditError("gone", commitment_id, state=tracked.review)
    except edits.EditError as error:
        await _reply(update, display.edit_refused(error, ctx))
        return
    await _reply(update, display.edit_menu(tracked, ctx), reply_markup=keyboards.edit_fields_keyboard(tracked.id, ctx))


async def ask_value(
    update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, commitment_id: int, field: str
) -> None:
    """Ask for a field's new value; the admin's reply to this message is the value (:func:`edit_reply`)."""
    chat = update.effective_chat
    assert chat is not None
    # Typed (/edit ID FIELD): a reply to the admin's message, so in a group only they get the reply field; from a
    # button there is no message of theirs to answer, and everyone's client offers it (any other answer is refused).
    typed = update.message
    asked = await context.bot.send_message(
        chat.id,
        display.edit_prompt(commitment_id, field, ctx),
        reply_markup=ForceReply(selective=typed is not None, input_field_placeholder=display.EDIT_EXAMPLES.get(field)),
        reply_parameters=ReplyParameters(typed.message_id) if typed is not None else None,
    )
    prompts: dict[int, tuple[int, str]] = context.chat_data.setdefault(PROMPTS_KEY, {})  # type: ignore[union-attr]
    prompts[asked.message_id] = (commitment_id, field)


async def edit_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply to the bot's "new value?" question: the value (and `— reason`) for that field."""
    message = _message(update)
    asked = message.reply_to_message
    if asked is None or asked.from_user is None or asked.from_user.id != context.bot.id:
        return  # a reply to someone else: not for us
    prompts: dict[int, tuple[int, str]] = (context.chat_data or {}).get(PROMPTS_KEY, {})
    pending = prompts.get(asked.message_id)
    if pending is None:
        if (asked.text or "").startswith("✏️"):  # our question, from before a restart
            _, ctx = await chat_of(update, deps_of(context))
            await _reply(update, display.prompt_expired(ctx))
        return
    editor_ctx = await _editor_here(update, context)
    if editor_ctx is None:
        return
    value, reason = _reason(message.text or "")
    commitment_id, field = pending
    if await apply_edit(update, context, editor_ctx, commitment_id, [(field, value)], reason):
        prompts.pop(asked.message_id, None)  # answered; a refused value may be tried again on the same question


async def merge(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/merge ID INTO_ID [reason]`."""
    ctx = await _editor_here(update, context)
    if ctx is None:
        return
    body, reason = _reason(_arguments(update))
    words = body.split(maxsplit=2)
    ids = [parsing.commitment_id(word) for word in words[:2]]
    if len(ids) < 2 or ids[0] is None or ids[1] is None:
        await _reply(update, display.merge_usage(ctx))
        return
    await merge_into(update, context, ctx, ids[0], ids[1], reason or (words[2] if len(words) == 3 else None))


async def merge_into(
    update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, commitment_id: int, into_id: int, reason: str | None
) -> str:
    """Merge and answer; returns the answer (a button shows it as a toast too)."""
    deps = deps_of(context)
    try:
        outcome = await edits.merge(
            deps.sessions, commitment_id, into_id, editor=editor_of(update), at=deps.clock.now(), reason=reason
        )
    except edits.EditError as error:
        text = display.edit_refused(error, ctx)
        await _reply(update, text)
        return text
    text = display.merged(outcome, ctx)
    await _reply(update, text)
    poke(context, commitment_ids=[commitment_id, into_id])
    return text


async def retract(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/retract ID [reason]` or `/retract report N [reason]`."""
    ctx = await _editor_here(update, context)
    if ctx is None:
        return
    deps = deps_of(context)
    body, dashed = _reason(_arguments(update))
    words = body.split(maxsplit=2)
    report = bool(words) and words[0].lower() in ("report", "bericht", "meldung")
    if report:
        words = words[1:]
        body = " ".join(words)
    number = parsing.commitment_id(words[0]) if words else None
    if number is None:
        await _reply(update, display.retract_usage(ctx))
        return
    reason = dashed or (" ".join(body.split()[1:]) or None)
    operation = edits.retract_report if report else edits.retract
    try:
        outcome = await operation(deps.sessions, number, editor=editor_of(update), at=deps.clock.now(), reason=reason)
    except edits.EditError as error:
        await _reply(update, display.edit_refused(error, ctx))
        return
    await _reply(update, display.retracted(outcome, ctx))
    if outcome.commitment is not None and outcome.commitment.id:
        poke(context, commitment_ids=[outcome.commitment.id])


async def history(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/history ID`: who changed what, newest first."""
    ctx = await _editor_here(update, context)
    if ctx is None:
        return
    args = context.args or []
    commitment_id = parsing.commitment_id(args[0]) if args else None
    if commitment_id is None:
        await _reply(update, display.history_usage(ctx))
        return
    try:
        tracked, found = await edits.history(deps_of(context).sessions, commitment_id)
    except edits.EditError as error:
        await _reply(update, display.edit_refused(error, ctx))
        return
    await _reply(update, display.history(tracked, found, ctx))


async def review(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/review`: what waits for an editor, a button per item to open its card."""
    ctx = await _editor_here(update, context)
    if ctx is None:
        return
    waiting = await edits.queue(deps_of(context).sessions)
    markup = keyboards.queue_keyboard(
        [t.id for t in waiting.commitments], [report.id for report, _ in waiting.reports], ctx
    )
    await _reply(update, display.review_queue(waiting, ctx), reply_markup=markup if len(waiting) else None)


# --- feeds and links (admins) ------------------------------------------------------------------------------------

FEEDS_KEY = "feeds"  # where bot.app keeps this process's feed poller
_FEED_VERBS = {"add": "add", "remove": "remove", "delete": "remove", "pause": "pause", "resume": "resume"}
_EVERY = frozenset({"every", "alle", "jede", "jeden"})


def poll_soon(context: ContextTypes.DEFAULT_TYPE, feed_id: int) -> None:
    """Ask the feed poller (when this process runs one) to poll a feed now instead of at its next tick."""
    poller = context.application.bot_data.get(FEEDS_KEY)
    if poller is not None:
        poller.poll_soon(feed_id)


async def _admin_here(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Ctx | None:
    """The reader's context when a configured admin speaks; otherwise they are refused and None comes back."""
    _, ctx = await chat_of(update, deps_of(context))
    if not is_admin(update, context):
        await _reply(update, display.not_admin(ctx))
        return None
    return ctx


async def feeds(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/feeds`, `/feeds add URL [every 15m]`, `/feeds pause|resume|remove ID`: admins manage the feeds."""
    ctx = await _admin_here(update, context)
    if ctx is None:
        return
    deps = deps_of(context)
    args = list(context.args or [])
    verb = _FEED_VERBS.get(args[0].lower()) if args else None
    if not args or args[0].lower() == "list":
        await _reply(update, display.feeds_list(await feed_store.list_feeds(deps.sessions), ctx))
    elif verb == "add" and len(args) >= 2:
        await add_feed(update, context, ctx, args[1], args[2:])
    elif verb in ("remove", "pause", "resume") and len(args) == 2:
        await change_feed(update, context, ctx, verb, args[1])
    else:
        await _reply(update, display.feeds_usage(ctx))


async def add_feed(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, url: str, rest: Sequence[str]) -> None:
    """Check the URL (fetched and parsed once), then track it; a page that links feeds offers them as buttons."""
    deps = deps_of(context)
    words = [word for word in rest if word.lower() not in _EVERY]
    interval = parse_interval("".join(words)) if words else None
    if words and interval is None:
        await _reply(update, display.feed_interval_refused(" ".join(words), ctx))
        return
    try:
        found = await intake.check_feed(deps, url)
    except (FetchError, FeedError) as error:
        await _reply(update, display.feed_refused(url, error.kind, error.detail, ctx))
        return
    if isinstance(found, intake.Offer):
        if not found.links:
            await _reply(update, display.feed_not_found(url, ctx))
            return
        intake.keep_offer(context.application.bot_data, found)
        offers = [(token, link.title or link.url) for token, link in found.links]
        text = display.feed_offer(url, [title for _, title in offers], ctx)
        await _reply(update, text, reply_markup=keyboards.feed_offer_keyboard(offers))
        return
    await track_feed(update, context, ctx, found, interval)


async def track_feed(
    update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, checked: Checked, interval: timedelta | None
) -> None:
    """Store a checked feed and have it polled at once; a feed tracked already is named."""
    user = update.effective_user
    try:
        feed = await intake.add_checked(
            deps_of(context), checked, interval=interval, added_by=user.id if user is not None else None
        )
    except feed_store.FeedExists as error:
        await _reply(update, display.feed_exists(error.feed, ctx))
        return
    await _reply(update, display.feed_added(feed, len(checked.feed.entries), ctx))
    poll_soon(context, feed.id)


async def change_feed(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, verb: str, raw: str) -> None:
    """Remove, pause or resume one feed by its number."""
    deps = deps_of(context)
    feed_id = parsing.commitment_id(raw)  # the same rule: a positive number, '#' allowed
    feed = None
    if feed_id is not None:
        if verb == "remove":
            feed = await feed_store.remove_feed(deps.sessions, feed_id)
        else:
            feed = await feed_store.set_paused(deps.sessions, feed_id, verb == "pause", now=deps.clock.now())
    if feed is None:
        await _reply(update, display.unknown_feed(raw, ctx))
        return
    if verb == "remove":
        await _reply(update, display.feed_removed(feed, ctx))
    elif verb == "pause":
        await _reply(update, display.feed_paused(feed, ctx))
    else:
        await _reply(update, display.feed_resumed(feed, ctx))
        poll_soon(context, feed.id)


async def load(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/load URL`: an admin has a web page fetched and loaded, with the same answer as for a `.txt`."""
    ctx = await _admin_here(update, context)
    if ctx is None:
        return
    args = context.args or []
    if len(args) != 1:
        await _reply(update, display.load_usage(ctx))
        return
    await load_url(update, context, ctx, _with_scheme(args[0]))


async def load_url(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, url: str) -> None:
    deps = deps_of(context)
    try:
        found = await intake.load_link(deps, url, sent_at=_message(update).date, extract=_pooled(context))
    except FetchError as error:
        await _reply(update, display.link_refused(url, error.kind, error.detail, ctx))
        return
    except (ArticleError, UnstorableArticle) as error:
        await _reply(update, display.link_refused(url, "not_article", error.reason, ctx))
        return
    except extraction.ExtractionTimeout as error:
        await _reply(update, display.extraction_too_slow(url, error.seconds, ctx))
        return
    if isinstance(found, intake.IsFeed):
        await _reply(update, display.link_is_feed(found.url, ctx))
        return
    await _reply(update, display.load_result(found.outcome, ctx, dated_by=found.dated_by))
    _poke_loaded(context, found.outcome)


def _poke_loaded(context: ContextTypes.DEFAULT_TYPE, outcome: LoadOutcome) -> None:
    poke(context, commitment_ids=[ref.id for ref in (*outcome.created, *outcome.merged)] or None)


def first_link(message: Message) -> str | None:
    """The first web address in a message or its caption: a typed URL or a link behind text."""
    kinds: list[str | None] = [MessageEntity.URL, MessageEntity.TEXT_LINK]
    for found in (message.parse_entities(kinds), message.parse_caption_entities(kinds)):
        for entity, text in found.items():
            url = entity.url if entity.type == MessageEntity.TEXT_LINK else text
            if url:
                return _with_scheme(url)
    return None


def _with_scheme(url: str) -> str:
    """Telegram marks "example.com/news" as a link too; it is fetched over https."""
    url = url.strip()
    return url if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", url) else "https://" + url


async def link_or_post(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A private message from an admin with a link (loaded like `/load URL`), or a forwarded channel post without
    one (its text loaded, dated by the post)."""
    message = _message(update)
    url = first_link(message)
    origin = message.forward_origin
    text = message.text or message.caption
    if url is None and not (isinstance(origin, MessageOriginChannel) and text):
        return  # other chatter is not for the bot
    ctx = await _admin_here(update, context)
    if ctx is None:
        return
    if url is not None:
        await load_url(update, context, ctx, url)
        return
    assert isinstance(origin, MessageOriginChannel)
    assert text
    where = f"telegram:channel/{origin.chat.username or origin.chat.id}/{origin.message_id}"
    try:
        found = await intake.load_post(
            deps_of(context), text, where=where, posted=origin.date, extract=_pooled(context)
        )
    except (ArticleError, UnstorableArticle) as error:
        await _reply(update, display.bad_article(error.reason, ctx))
        return
    except extraction.ExtractionTimeout as error:
        await _reply(update, display.extraction_too_slow(where, error.seconds, ctx))
        return
    await _reply(update, display.load_result(found.outcome, ctx, dated_by=found.dated_by, by_post=True))
    _poke_loaded(context, found.outcome)
