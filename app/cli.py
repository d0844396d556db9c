"""The `ceasefire-watch` command line: extract, load, status, evaluate, and the bot (run, chat, demo).

Every file is handled on its own: a bad one is reported on one stderr line and exit code 2 is returned at the end,
while the other files of the same call still go through.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from app.render import conflict_text, status_detail, status_table
from app.settings import Settings
from articles.evaluate import Split, Tally, evaluate_folder, summarise
from articles.extract import extract_file
from articles.model import Article, ArticleError, Moment, parse_moment
from storage.db import create_engine, describe, migrate, session_factory, sqlite_path
from storage.loader import LoadOutcome, UnstorableArticle, load_article
from storage.queries import UnknownCommitment, tracked
from tracking.model import ConflictFacts
from tracking.status import as_json, status_values

if TYPE_CHECKING:
    from app.run import RunOptions

# What `make demo` shows: 20 clock hours per real second for 42 s, i.e. the evening of 17 March to 21 April 2025
# of the Trump–Putin story: the energy-strike halt in force, the exchange due and carried out, the conflicts, the
# halt halfway, 3 and 1 days before its end and lapsing, the Easter truce. The clock holds for a second after each
# alert (the Sender's one message a second per chat), which adds about 20 s.
DEMO_SPEED = 72_000.0
DEMO_DURATION = 42.0
MAX_DEMO_SECONDS = 3_600  # a typo like 6000 should not hold a terminal for hours
# Faster shows nothing more: alerts queue behind the per-chat pace of one message a second.
MAX_DEMO_SPEED = 604_800.0

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
PROG = "ceasefire-watch"


class UsageError(Exception):
    """A bad argument: reported on one line, exit code 2."""


def _error(message: str, stream: TextIO | None = None) -> None:
    print(f"{PROG}: error: {message}", file=stream or sys.stderr)


def _shown(text: str) -> str:
    """An argument quoted in an error line: at most 40 characters of it, so a 5,000-digit id stays one line."""
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _instant(text: str, settings: Settings, option: str) -> datetime:
    """An ISO 8601 instant; one without an offset is read in the configured zone. Refused (UsageError) when it
    is not ISO or lies so near year 1 or 9999 that it has no UTC equivalent (9999-12-31T23:59:59-23:59)."""
    try:
        value = datetime.fromisoformat(text)
        value = value.replace(tzinfo=settings.tz) if value.tzinfo is None else value
        value.astimezone(UTC)
    except ValueError:
        expected = "expected ISO 8601 like 2025-03-22T12:00:00+00:00"
        raise UsageError(f"bad {option} value {_shown(text)}: {expected}") from None
    except OverflowError:
        out_of_range = "out of the range of dates that can be compared"
        raise UsageError(f"bad {option} value {_shown(text)}: {out_of_range}") from None
    return value


def parse_at(text: str | None, settings: Settings) -> datetime:
    """`--at` in ISO 8601; a value without an offset is read in the configured default zone."""
    return datetime.now(UTC) if text is None else _instant(text, settings, "--at")


def parse_id(text: str | None) -> int | None:
    """A commitment id as typed: ASCII digits ("³" is a digit to str.isdigit, not to int). An id past what the
    database holds names no commitment (UsageError), rather than overflowing SQLite's integers."""
    if text is None:
        return None
    digits = text.strip().removeprefix("#").lstrip("0")
    if re.fullmatch(r"#?[0-9]+", text.strip()) is None or not digits:
        raise UsageError(f"bad commitment id {_shown(text)}: expected a positive number like 3")
    if len(digits) > 18:  # past 2**62 (bot.parsing.MAX_ID): int() would also refuse 4,300 digits and more
        raise UsageError(f"unknown commitment id {_shown(digits)}; `ceasefire-watch status` lists them")
    return int(digits)


def parse_published(text: str | None) -> Moment | None:
    """`--published`: the publication date of pages that carry none (a day, or a day and a time)."""
    if text is None:
        return None
    try:
        return parse_moment(text)
    except ValueError:
        raise UsageError(
            f"bad --published value {text!r}: expected ISO 8601 like 2025-03-18 or 2025-03-18T20:51+01:00"
        ) from None


def _extract_all(paths: Sequence[str], published: Moment | None = None) -> tuple[list[Article], int]:
    articles: list[Article] = []
    code = EXIT_OK
    for path in paths:
        try:
            articles.append(extract_file(path, published=published))
        except ArticleError as exc:
            _error(f"{exc.path}: {exc.reason}")
            code = EXIT_USAGE
        except Exception as exc:  # an extractor bug must not cost the other files
            _error(f"{path}: internal error while extracting ({type(exc).__name__}: {exc})")
            code = max(code, EXIT_INTERNAL)
    return articles, code


def cmd_extract(args: argparse.Namespace) -> int:
    articles, code = _extract_all(args.paths, parse_published(args.published))
    if args.json:
        print(json.dumps({"articles": [a.to_json() for a in articles]}, ensure_ascii=False, indent=2))
        return code
    for article in articles:
        print(f"{article.path} [{article.language}, {article.published.isoformat()}] {article.title}")
        for c in article.commitments:
            when = f"due {c.due}" if c.due else f"{c.start or '?'} → {c.end or '?'}"
            print(f"  commitment {c.kind} ({c.status}) by {', '.join(c.actors) or '?'}: {when}")
        for r in article.reports:
            print(f"  report {r.kind} about {r.about}, claimed by {r.claimed_by or '?'} on {r.date or '?'}")
        for note in article.notes:
            print(f"  ignored {note}")
    return code


def _extract_for_evaluation(path: Path) -> dict[str, Any]:
    """One article for scoring; an extractor bug counts as an unread article, not as the end of the run."""
    try:
        return extract_file(str(path)).to_json()
    except ArticleError:
        raise
    except Exception as exc:
        raise ArticleError(str(path), f"internal error while extracting ({type(exc).__name__}: {exc})") from exc


def cmd_evaluate(args: argparse.Namespace) -> int:
    """Score annotated folders; exit 1 when the commitment F1 over all of them is below ``--min-f1``."""
    splits: list[Split] = []
    for folder in args.folders:
        path = Path(folder)
        if not path.is_dir():
            raise UsageError(f"{folder}: not a folder of annotated articles")
        try:
            found = evaluate_folder(path, _extract_for_evaluation)
        except ValueError as exc:  # an unreadable annotation
            raise UsageError(str(exc)) from None
        splits.extend(found)
    for split in splits:
        for article in split.articles:
            if article.problems and not args.quiet:
                print(f"{split.name} / {article.name}")
                print("\n".join(f"    {problem}" for problem in article.problems))
    if not args.quiet:
        print()
    print("\n".join(summarise(splits)))
    total = Tally()
    for split in splits:
        total.add(split.total("commitments"))
    if args.min_f1 is not None and total.f1 < args.min_f1:
        _error(f"commitment F1 {total.f1:.2f} is below --min-f1 {args.min_f1:.2f}")
        return EXIT_INTERNAL
    return EXIT_OK


def _outcome_lines(path: str, outcome: LoadOutcome) -> list[str]:
    if outcome.duplicate:
        return [f"{path}: already loaded as article #{outcome.article_id}; nothing changed"]
    lines = [f"{path}: loaded as article #{outcome.article_id} “{outcome.title}”"]
    lines += [f"  created   #{ref.id} {ref.title}" for ref in outcome.created]
    lines += [f"  merged    #{ref.id} {ref.title} (one more source)" for ref in outcome.merged]
    lines += [f"  linked    report #{report} → #{commitment}" for report, commitment in outcome.linked]
    lines += [f"  unlinked  report #{report} (no matching commitment yet)" for report in outcome.unlinked]
    lines += [f"  conflict  {c.kind}: {conflict_text(c.kind, c.facts, c.summary)}" for c in outcome.conflicts]
    return lines


def _facts(facts: ConflictFacts | None) -> dict[str, Any] | None:
    return None if facts is None else facts.as_json()


def _outcome_json(path: str, outcome: LoadOutcome) -> dict[str, Any]:
    return {
        "path": path,
        "article_id": outcome.article_id,
        "duplicate": outcome.duplicate,
        "created": [{"id": ref.id, "title": ref.title} for ref in outcome.created],
        "merged": [{"id": ref.id, "title": ref.title} for ref in outcome.merged],
        "linked": [{"report": r, "commitment": c} for r, c in outcome.linked],
        "unlinked": list(outcome.unlinked),
        "conflicts": [
            {"id": c.id, "kind": c.kind, "text": conflict_text(c.kind, c.facts, c.summary), "facts": _facts(c.facts)}
            for c in outcome.conflicts
        ],
    }


async def _load(args: argparse.Namespace, settings: Settings) -> int:
    articles, code = _extract_all(args.paths, parse_published(args.published))
    engine = create_engine(settings.database_url)
    results: list[dict[str, Any]] = []
    try:
        await migrate(engine)
        sessions = session_factory(engine)
        for article in articles:
            try:
                outcome = await load_article(sessions, article, review=settings.reviewing)
            except UnstorableArticle as exc:
                _error(f"{exc.path}: not loaded, {exc.reason}; nothing written")
                code = max(code, EXIT_USAGE)
                continue
            except SQLAlchemyError as exc:
                _error(f"{article.path}: not loaded, database error ({type(exc).__name__}); nothing written")
                code = max(code, EXIT_USAGE)
                continue
            if args.json:
                results.append({**_outcome_json(article.path, outcome), "ignored": list(article.notes)})
            else:
                ignored = [] if outcome.duplicate else [f"  ignored   {note}" for note in article.notes]
                print("\n".join(_outcome_lines(article.path, outcome) + ignored))
    finally:
        await engine.dispose()
    if args.json:
        print(json.dumps({"loaded": results}, ensure_ascii=False, indent=2))
    return code


async def _status(args: argparse.Namespace, settings: Settings) -> int:
    at = parse_at(args.at, settings)
    wanted = parse_id(args.id)
    path = sqlite_path(settings.database_url)
    if path is not None and not path.is_file():
        # Reading must not create: run from another folder, the default relative path names a file not there.
        raise UsageError(
            f"no database at {path} (DATABASE_URL={describe(settings.database_url)}); "
            "`ceasefire-watch load FILE…` creates it, or run from the folder that holds data/"
        )
    engine = create_engine(settings.database_url)
    try:
        await migrate(engine)
        items = await tracked(session_factory(engine), None if wanted is None else [wanted])
    except UnknownCommitment:
        raise UsageError(f"unknown commitment id {wanted}; `ceasefire-watch status` lists them") from None
    finally:
        await engine.dispose()
    try:
        document = status_values(items, at, settings.tz)
    except OverflowError:  # an --at near year 1 or 9999 that a commitment's day counts step past
        raise UsageError(f"bad --at value {_shown(args.at or '')}: too far from the tracked dates") from None
    if wanted is not None and not document["commitments"]:
        raise UsageError(
            f"commitment {wanted} was not yet known at {document['at'].isoformat()} (no source published by then)"
        )
    if args.json:
        print(json.dumps(as_json(document), ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"database: {path if path is not None else describe(settings.database_url)}")
    if wanted is not None:
        print(status_detail(document["commitments"][0], document["at"], settings.tz))
    else:
        print(status_table(document, settings.tz))
    return EXIT_OK


def _replay(args: argparse.Namespace, settings: Settings) -> tuple[datetime | None, float]:
    if args.speed <= 0:
        raise UsageError(f"bad --speed {args.speed:g}: expected a positive number like 43200")
    if args.replay_from is None:
        if args.speed != 1:
            raise UsageError("--speed needs --replay-from (the real clock cannot run fast)")
        return None, 1.0
    return _instant(args.replay_from, settings, "--replay-from"), args.speed


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from app.run import StartupError, run  # the bot stack loads only for the commands that need it

    replay_from, speed = _replay(args, settings)
    try:
        return run(settings, replay_from=replay_from, speed=speed, options=_run_options(args, settings))
    except ValueError as exc:  # a missing or malformed token: the message never contains it
        raise UsageError(str(exc)) from None
    except StartupError as exc:
        _error(str(exc))
        return exc.code


def _run_options(args: argparse.Namespace, settings: Settings) -> RunOptions:
    """Webhook and metrics flags, checked before anything starts."""
    from app.run import RunOptions

    for flag, port in (("--port", args.port), ("--metrics-port", args.metrics_port)):
        if port is not None and not 0 <= port <= 65535:
            raise UsageError(f"bad {flag} {port}: expected a TCP port from 0 to 65535")
    if args.webhook_url is None:
        if args.listen is not None or args.port is not None:
            raise UsageError("--listen and --port need --webhook-url (long polling listens on nothing)")
        return RunOptions(metrics_port=args.metrics_port, metrics_listen=args.metrics_listen)
    if not args.webhook_url.startswith("https://"):
        raise UsageError(f"bad --webhook-url {args.webhook_url[:80]!r}: Telegram posts only to https:// addresses")
    if settings.webhook_secret is None or not settings.webhook_secret.get_secret_value():
        raise UsageError("--webhook-url needs WEBHOOK_SECRET (see .env.example): requests without it are refused")
    return RunOptions(
        webhook_url=args.webhook_url,
        listen=args.listen or "0.0.0.0",
        port=8443 if args.port is None else args.port,
        metrics_port=args.metrics_port,
        metrics_listen=args.metrics_listen,
    )


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from app.chat import interactive
    from app.run import make_clock

    replay_from, speed = _replay(args, settings)
    asyncio.run(interactive(settings, make_clock(replay_from, speed), Path(args.files)))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from app.demo import demo

    if not 0 < args.speed <= MAX_DEMO_SPEED:
        raise UsageError(
            f"bad --speed {args.speed:g}: expected clock seconds per real second up to {MAX_DEMO_SPEED:g} (a week), "
            "like 108000 (30 hours)"
        )
    if not 0 <= args.duration <= MAX_DEMO_SECONDS:
        raise UsageError(f"bad --duration {args.duration:g}: expected real seconds from 0 to {MAX_DEMO_SECONDS}")
    return demo(settings, Path(args.articles), Path(args.database), speed=args.speed, duration=args.duration)


def _clock_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--replay-from", metavar="ISO", help="start the bot's clock at this past instant")
    parser.add_argument("--speed", type=float, default=1.0, help="clock seconds per real second (43200: half a day)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Track ceasefire commitments reported in news articles.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    extract = commands.add_parser("extract", help="print what articles commit to, without loading them")
    extract.add_argument("paths", nargs="+", metavar="PATH")
    extract.add_argument("--json", action="store_true", help="one JSON object (the extraction contract)")
    extract.add_argument("--published", metavar="ISO", help="publication date for pages that carry none")
    extract.set_defaults(handler=lambda args, settings: cmd_extract(args))

    load = commands.add_parser("load", help="extract articles and store them (each in its own transaction)")
    load.add_argument("paths", nargs="+", metavar="PATH")
    load.add_argument("--json", action="store_true", help="print what was created, merged and linked as JSON")
    load.add_argument("--published", metavar="ISO", help="publication date for pages that carry none")

    evaluate = commands.add_parser(
        "evaluate", help="score extraction against annotated articles (<name>.json beside <name>.txt)"
    )
    evaluate.add_argument("folders", nargs="+", metavar="DIR")
    evaluate.add_argument("--min-f1", type=float, metavar="X", help="exit 1 when the commitment F1 is below X")
    evaluate.add_argument("-q", "--quiet", action="store_true", help="only the summary table")
    evaluate.set_defaults(handler=lambda args, settings: cmd_evaluate(args))
    load.set_defaults(handler=lambda args, settings: asyncio.run(_load(args, settings)))

    status = commands.add_parser("status", help="where each tracked commitment stands at a given time")
    status.add_argument("id", nargs="?", metavar="ID", help="one commitment in detail")
    status.add_argument("--at", metavar="ISO", help="the instant to evaluate (default: now)")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=lambda args, settings: asyncio.run(_status(args, settings)))

    run = commands.add_parser("run", help="run the Telegram bot (long polling) until SIGTERM or Ctrl-C")
    _clock_options(run)
    run.add_argument("--webhook-url", metavar="URL", help="webhook mode: Telegram posts updates to this https URL")
    run.add_argument("--listen", metavar="ADDR", help="webhook mode: the address to listen on (default 0.0.0.0)")
    run.add_argument("--port", type=int, metavar="PORT", help="webhook mode: the port to listen on (default 8443)")
    run.add_argument("--metrics-port", type=int, metavar="PORT", help="serve /healthz and /metrics on this port")
    run.add_argument(
        "--metrics-listen", default="127.0.0.1", metavar="ADDR", help="address for --metrics-port (default 127.0.0.1)"
    )
    run.set_defaults(handler=cmd_run)

    chat = commands.add_parser("chat", help="talk to the bot offline in this terminal (you are an admin)")
    _clock_options(chat)
    chat.add_argument("--files", default="data/chat-files", help="where photos and files from the bot are saved")
    chat.set_defaults(handler=cmd_chat)

    demo = commands.add_parser("demo", help="replay the Trump–Putin story to a scripted chat, offline")
    demo.add_argument("--articles", default="examples/articles", help="the folder holding the story's articles")
    demo.add_argument("--database", default="data/demo.sqlite3")
    demo.add_argument(
        "--speed",
        type=float,
        default=DEMO_SPEED,
        help="clock seconds per real second after the chat (default: 20 hours)",
    )
    demo.add_argument(
        "--duration",
        type=float,
        default=DEMO_DURATION,
        metavar="SECONDS",
        help="real seconds the fast clock runs after the chat, printing alerts as they arrive",
    )
    demo.set_defaults(handler=cmd_demo)

    from app import editing  # edit, merge, retract, history: editors' corrections (imports app.cli itself)

    editing.register(commands)
    from app import feeds  # feeds add|list|remove|poll

    feeds.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        _error(f"bad setting {'.'.join(str(p) for p in first['loc']).upper()}: {first['msg']}")
        return EXIT_USAGE
    try:
        code: int = args.handler(args, settings)
    except UsageError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except (OSError, SQLAlchemyError) as exc:
        _error(f"cannot open the database {settings.database_url.split('://')[0]}: {type(exc).__name__}: {exc}")
        return EXIT_INTERNAL
    return code


if __name__ == "__main__":
    sys.exit(main())
