"""Admins feed the bot: /report, an uploaded .txt, and what every chat gets for an unknown command or /health."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, replace

from telegram import Update
from telegram.ext import ContextTypes

from articles.extract import extract_reports
from articles.model import Article, ArticleError, Moment
from articles.page import NO_DATE, detect_language
from articles.reader import MAX_BYTES, decode_text
from bot import display, extraction, intake, parsing, service
from bot.access import Handler, is_admin
from bot.commands.common import admin_here, message_of, poke, reply
from bot.context import chat_of, deps_of
from bot.i18n import Ctx
from storage import outbox
from storage.loader import load_article


async def report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/report ID text`: an admin logs what a source says about a commitment; the text is kept as evidence."""
    deps = deps_of(context)
    ctx = await admin_here(update, context)
    if ctx is None:
        return
    args = context.args or []
    commitment_id = parsing.commitment_id(args[0]) if args else None
    text = " ".join(args[1:]).strip()
    if commitment_id is None or not text:
        await reply(update, display.report_usage(ctx))
        return
    found = await service.detail(deps, ctx, commitment_id)
    if found is None:
        await reply(update, display.unknown_id(args[0], ctx))
        return
    now = deps.clock.now()
    kind = found[0]["kind"]
    reports = extract_reports(text, language=detect_language(text), published=now, about=kind)
    if not reports:
        await reply(update, display.report_not_understood(ctx))
        return
    user = update.effective_user
    message = message_of(update)
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
    await reply(update, display.report_result(outcome, ctx))
    poke(context, commitment_ids=[commitment_id])  # a new conflict alerts subscribers now, not at the next tick


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A `.txt` sent by an admin is loaded as an article, with the same checks as `ceasefire-watch load`."""
    deps = deps_of(context)
    _, ctx = await chat_of(update, deps)
    message = message_of(update)
    upload = message.document
    if upload is None:
        return
    if not is_admin(update, context):
        await reply(update, display.not_admin(ctx))
        return
    name = upload.file_name or "article.txt"
    if not name.lower().endswith(".txt"):
        await reply(update, display.bad_article(f"{name}: send the article as a .txt file", ctx))
        return
    if upload.file_size is not None and upload.file_size > MAX_BYTES:
        await reply(update, display.bad_article(f"{name}: file too large (limit 5 MB)", ctx))
        return
    data = bytes(await (await upload.get_file()).download_as_bytearray())
    # Read in a task of its own, so the next update (another chat's /status) need not wait for a long page;
    # its failure reaches the error handler with this update, like a handler's.
    context.application.create_task(_read_upload(update, context, ctx, name, data), update=update)


def pooled_extract(context: ContextTypes.DEFAULT_TYPE) -> intake.Extract:
    """The worker pool's extraction, in the shape intake takes (a large page never holds the event loop)."""
    pool = extraction.pool_of(context.application)

    async def extract(text: str, path: str, published: Moment | None) -> Article:
        return await pool.extract(text, path, published=published)

    return extract


async def _read_upload(update: Update, context: ContextTypes.DEFAULT_TYPE, ctx: Ctx, name: str, data: bytes) -> None:
    """Extract an uploaded page in a worker process with a time limit (a large page takes seconds of CPU, which on
    this loop would stall every other chat: bot.extraction), load it and answer."""
    deps = deps_of(context)
    message = message_of(update)
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
        await reply(update, display.bad_article(f"{error.path}: {error.reason}", ctx))
        return
    except extraction.ExtractionTimeout as error:
        await reply(update, display.extraction_too_slow(name, error.seconds, ctx))
        return
    outcome = await load_article(deps.sessions, article, review=deps.settings.reviewing)
    await reply(update, display.load_result(outcome, ctx, dated_by=dated_by_message))
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
    await reply(update, display.unknown_command(ctx))


async def health(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins see the outbox: what is owed, sent and failed, paused chats and the last delivery error."""
    ctx = await admin_here(update, context)
    if ctx is None:
        return
    await reply(update, display.health(asdict(await outbox.health(deps_of(context).sessions)), ctx))


ROUTES: dict[str, Handler] = {"report": report, "health": health}
