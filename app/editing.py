"""`ceasefire-watch edit | merge | retract | history`: editors' corrections from the command line.

The same rules and the same words as the bot's /edit, /merge, /retract and /history (storage.edits decides,
bot.display words it in English): a refused change is one stderr line and exit code 2, with nothing written. The
running bot sees a change at its next tick (it changes the reconcile fingerprint): pending alerts move, and chats
that had an alert with an old date get one correction.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, NoReturn, TypeVar

from app.settings import Settings
from storage import edits
from storage.db import create_engine, migrate, session_factory
from tracking.corrections import FIELDS

Sessions = Any  # async_sessionmaker[AsyncSession]; kept loose so this module stays light to import
T = TypeVar("T")


def _who(args: argparse.Namespace) -> edits.Editor:
    return edits.Editor(args.by or f"{getpass.getuser()} (command line)")


def _plain(html: str) -> str:
    from bot.display import to_plain

    return to_plain(html)


def _refused(error: edits.EditError, settings: Settings) -> NoReturn:
    """The bot's one-line refusal, in English, without its icon."""
    from app.cli import UsageError
    from bot.display import edit_refused
    from bot.i18n import Ctx

    text = _plain(edit_refused(error, Ctx("en", settings.tz)))
    raise UsageError(text.split(" ", 1)[1] if text[:1] in "⚠ℹ⏳" else text)


def _apply(settings: Settings, change: Callable[[Sessions], Awaitable[T]]) -> T:
    """Run one storage.edits call against the database; a refusal ends the command as the bot words it."""

    async def run() -> T:
        engine = create_engine(settings.database_url)
        try:
            await migrate(engine)
            try:
                return await change(session_factory(engine))
            except edits.EditError as error:
                _refused(error, settings)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def cmd_edit(args: argparse.Namespace, settings: Settings) -> int:
    from app.cli import UsageError, parse_id
    from bot.display import edited
    from bot.i18n import Ctx

    commitment_id = parse_id(args.id)
    assert commitment_id is not None
    changes = [(field, value) for field in FIELDS if (value := getattr(args, field)) is not None]
    if not changes:
        raise UsageError("nothing to change: give at least one of " + ", ".join(f"--{f}" for f in FIELDS))
    outcome = _apply(
        settings,
        lambda sessions: edits.edit(
            sessions,
            commitment_id,
            changes,
            editor=_who(args),
            at=datetime.now(UTC),
            reason=args.reason,
            language=settings.default_language,
        ),
    )
    if args.json:
        print(json.dumps(_outcome_json(outcome), ensure_ascii=False, indent=2))
    else:
        print(_plain(edited(outcome, Ctx("en", settings.tz))))
    return 0


def _outcome_json(outcome: edits.Outcome) -> dict[str, Any]:
    return {
        "commitment": None if outcome.commitment is None else outcome.commitment.id,
        "changes": [{"field": c.field, "old": c.old, "new": c.new, "derived": c.derived} for c in outcome.changes],
        "edits": list(outcome.edit_ids),
        "corrections_to_chats": outcome.told,
    }


def cmd_merge(args: argparse.Namespace, settings: Settings) -> int:
    from app.cli import parse_id
    from bot.display import merged
    from bot.i18n import Ctx

    source, into = parse_id(args.id), parse_id(args.into)
    assert source is not None
    assert into is not None
    outcome = _apply(
        settings,
        lambda sessions: edits.merge(
            sessions, source, into, editor=_who(args), at=datetime.now(UTC), reason=args.reason
        ),
    )
    print(_plain(merged(outcome, Ctx("en", settings.tz))))
    return 0


def cmd_retract(args: argparse.Namespace, settings: Settings) -> int:
    """`retract ID` or `retract report N`."""
    from app.cli import UsageError, parse_id
    from bot.display import retracted
    from bot.i18n import Ctx

    words = list(args.target)
    report = len(words) == 2 and words[0].lower() == "report"
    if len(words) != (2 if report else 1):
        raise UsageError("expected `retract ID` or `retract report N`")
    number = parse_id(words[-1])
    assert number is not None
    operation = edits.retract_report if report else edits.retract
    outcome = _apply(
        settings,
        lambda sessions: operation(sessions, number, editor=_who(args), at=datetime.now(UTC), reason=args.reason),
    )
    print(_plain(retracted(outcome, Ctx("en", settings.tz))))
    return 0


def cmd_history(args: argparse.Namespace, settings: Settings) -> int:
    from app.cli import parse_id
    from bot.display import history, history_json
    from bot.i18n import Ctx

    commitment_id = parse_id(args.id)
    assert commitment_id is not None
    tracked, found = _apply(settings, lambda sessions: edits.history(sessions, commitment_id))
    if args.json:
        print(json.dumps(history_json(tracked, found), ensure_ascii=False, indent=2))
    else:
        print("\n".join(_plain(chunk) for chunk in history(tracked, found, Ctx("en", settings.tz))))
    return 0


def _changes(parser: argparse.ArgumentParser, handler: Callable[[argparse.Namespace, Settings], int]) -> None:
    """Finish a subcommand that changes commitments: ``handler`` runs it, and the history keeps why and by whom."""
    parser.add_argument("--reason", metavar="TEXT", help="why (kept in the history)")
    parser.add_argument("--by", metavar="NAME", help="who makes the change (default: your login name)")
    parser.set_defaults(handler=handler)


def register(commands: Any) -> None:
    """Add the four subcommands to the `ceasefire-watch` parser (``commands`` is its subparsers action)."""
    edit = commands.add_parser("edit", help="correct a commitment's fields (an editor's value wins over sources)")
    edit.add_argument("id", metavar="ID")
    examples = {
        "start": "2025-03-18",
        "end": "2025-04-16",
        "due": "'2025-03-19 18:00 Europe/Moscow'",
        "duration": "'30 days'",
        "quantity": "175",
        "parties": "'Russia, Ukraine'",
        "scope": "'energy infrastructure'",
        "kind": "strike_halt",
        "status": "in_force",
        "title": "TEXT ('-' clears it)",
    }
    for field, example in examples.items():
        edit.add_argument(f"--{field}", metavar="VALUE", help=f"e.g. {example}")
    edit.add_argument("--json", action="store_true", help="print what changed as JSON")
    _changes(edit, cmd_edit)

    merge = commands.add_parser("merge", help="merge commitment ID into INTO_ID (sources, reports, subscriptions)")
    merge.add_argument("id", metavar="ID")
    merge.add_argument("into", metavar="INTO_ID")
    _changes(merge, cmd_merge)

    retract = commands.add_parser(
        "retract", help="withdraw a commitment (`retract ID`) or a report (`retract report N`)"
    )
    retract.add_argument("target", nargs="+", metavar="ID | report N")
    _changes(retract, cmd_retract)

    history = commands.add_parser("history", help="a commitment's edits, merges, retractions and reviews, newest first")
    history.add_argument("id", metavar="ID")
    history.add_argument("--json", action="store_true")
    history.set_defaults(handler=cmd_history)
