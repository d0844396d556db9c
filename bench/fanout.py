"""One alert fanned out to thousands of chats through the outbox, side by side with a bare send loop.

Run: ``.venv/bin/python -m bench.fanout`` (``--help`` for sizes). Each part uses a fresh SQLite file in a temporary
directory holding N enabled private chats subscribed to everything (English and German, six zones, a quarter with
quiet hours) and one commitment in force, and one :class:`bot.localapi.LocalBotApi`.

(a) Limiter off, 2,000 chats. A conflict is stored and fanned out the way the bot does it: ``reconcile`` writes one
    delivery per chat (one set-based statement), then ``Dispatcher.run_due`` — the real Sender, storage.outbox and
    bot.alerting.render — runs until it claims nothing. The baseline sends the same texts (rendered beforehand) to
    the same chats with bare ``bot.send_message`` calls from as many tasks as the dispatcher runs (``--concurrency``,
    the dispatcher's default), and once one at a time for reference. Both share one ``Application.bot`` made by
    bot.app.build_application (so one HTTPXRequest, PTB's pool of 256 connections). Runs alternate (bare, outbox,
    then outbox, bare, ...) so drift in machine load hits both; each outbox round fans out a new conflict, so its
    deliveries are fresh. Medians are reported, and outbox rate / bare rate. Every outbox round is checked: exactly
    N messages, one per chat, the same (chat, text) pairs as the bare loop sent, and N deliveries ended 'sent'.
    The outbox time runs from the conflict being stored to the last confirmation (reconcile included); the
    dispatch-only time is shown beside it.
(b) Limiter on, 1,000 chats: the same fan-out through an Application from build_application(rate_limit=True) —
    python-telegram-bot's AIORateLimiter exactly as the bot builds it (bot.app.rate_limiter) — against LocalBotApi
    with Telegram's limits (``Limits()``): messages per second over the fan-out, and the 429s the server answered.

(c) ``--hog N``: part (b) again while N bounded CPU hogs (child processes spinning for at most the run's length)
    share the machine, so the event loop stalls as on a loaded host; ``--pacer off`` leaves out the Sender's
    overall pace (schedules.sender.PACE) to compare with. ``--backend postgresql`` (or ``both``) runs the parts on
    PostgreSQL too (127.0.0.1:5432, database bench_fanout), beside SQLite.

The Bot API server runs in a child process by default, with a core of its own as Telegram's servers would have:
then the figures measure the bot's side of the work. ``--in-process`` serves it from the bot's own event loop, as
the tests do. A run takes about a minute and a half with the defaults. The server is bench.fanout_api, the database
bench.fanout_seed, the two paths and their checks bench.fanout_run; this module measures and reports.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from bench.fanout_run import CONCURRENCY, check, fixture
from bench.targets import Target, add_backend, postgres, report
from schedules.sender import PACE

TARGET_RATIO = 0.8
TARGET_LIMITED = 29.0
TARGETS = {
    "rate": Target("limited fan-out rate", TARGET_LIMITED, "msg/s", at_least=True),
    "429": Target("429s answered", 0, "× 429"),
}


def _median_rate(chats: int, seconds: Sequence[float]) -> str:
    median = statistics.median(seconds)
    rates = [chats / s for s in seconds]
    return f"{median:8.2f} {chats / median:9.0f} {min(rates):7.0f}..{max(rates):.0f}"


async def part_a(path: Path | str, chats: int, rounds: int, concurrency: int, in_process: bool) -> bool:
    """Limiter off: alternate bare and outbox rounds; print medians and the ratio. False when a check failed."""
    async with fixture(path, chats, limited=False, in_process=in_process, concurrency=concurrency) as fan:
        warm = await fan.outbox()  # untimed: connections, caches, the first texts
        await fan.prepare_texts()
        _, warm_bare = await fan.bare(concurrency)
        problems = [f"warm-up: {p}" for p in check(warm, chats, warm_bare.digest)]
        bare: list[float] = []
        total: list[float] = []
        dispatch: list[float] = []
        sequential: list[float] = []

        async def bare_round() -> None:
            seconds, stats = await fan.bare(concurrency)
            if stats.digest != warm_bare.digest or stats.messages != chats:
                problems.append(f"bare round: {stats.messages} messages, digest {stats.digest}")
            bare.append(seconds)

        async def outbox_round() -> None:
            run = await fan.outbox()
            problems.extend(f"outbox round {len(total) + 1}: {p}" for p in check(run, chats, warm_bare.digest))
            total.append(run.total)
            dispatch.append(run.dispatch)

        for number in range(rounds):
            steps: list[Callable[[], Awaitable[None]]] = [bare_round, outbox_round]
            for step in steps if number % 2 == 0 else reversed(steps):
                await step()
        for _ in range(max(1, rounds // 3)):
            sequential.append((await fan.bare(1))[0])

    where = "in this event loop" if in_process else "in a child process"
    print(f"(a) limiter off: {chats:,} chats, {rounds} alternating rounds, concurrency {concurrency}, server {where}")
    print(f"    {'':<32} {'median s':>8} {'msg/s':>9} {'min..max msg/s':>15}")
    print(f"    {f'bare loop, {concurrency} tasks':<32} {_median_rate(chats, bare)}")
    print(f"    {'outbox: reconcile + dispatch':<32} {_median_rate(chats, total)}")
    print(f"    {'  of which dispatch':<32} {_median_rate(chats, dispatch)}")
    print(f"    {'bare loop, sequential (reference)':<32} {_median_rate(chats, sequential)}")
    ratio = statistics.median(bare) / statistics.median(total)
    ratio_dispatch = statistics.median(bare) / statistics.median(dispatch)
    paired = sorted(b / t for b, t in zip(bare, total, strict=True))  # each round's two runs, side by side in time
    verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
    print(f"    ratio outbox / bare (medians): {ratio:.2f}, dispatch only {ratio_dispatch:.2f}", end="")
    print(f"; per round {paired[0]:.2f}..{paired[-1]:.2f}; target >= {TARGET_RATIO}: {verdict}")
    if problems:
        print("    CHECK FAILED: " + "; ".join(problems))
    else:
        print(
            f"    checked every outbox round: {chats:,} messages, one per chat, the bare loop's texts; "
            f"{chats:,} deliveries 'sent'"
        )
    return not problems


def _hog(seconds: float) -> None:
    """One bounded CPU hog: spin until ``seconds`` have passed (the bench ends it sooner when done)."""
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        sum(range(10_000))


async def part_b(
    path: Path | str, chats: int, concurrency: int, in_process: bool, *, hogs: int = 0, paced: bool
) -> bool:
    """Limiter on, Telegram's limits at the server: one fan-out (beside ``hogs`` CPU hogs); print the rate, the 429s
    and how long the last chat waited against chats / 30 s."""
    context = multiprocessing.get_context("spawn")
    bound = 3 * chats / 30 + 60  # seconds: a hog never outlives a slow run by much
    spinning = [context.Process(target=_hog, args=(bound,), daemon=True) for _ in range(hogs)]
    for process in spinning:
        process.start()
    try:
        async with fixture(
            path, chats, limited=True, in_process=in_process, concurrency=concurrency, paced=paced
        ) as fan:
            run = await fan.outbox()
    finally:
        for process in spinning:
            process.terminate()
            process.join(10)
    problems = check(run, chats, None)
    rate = chats / run.total
    first, last = run.stats.first, run.stats.last
    spread = last - first if first is not None and last is not None else 0.0
    arriving = (run.stats.messages - 1) / spread if spread > 0 else 0.0
    pace = f"Sender pace {PACE}/s" if paced else "no Sender pace"
    where = "PostgreSQL" if isinstance(path, str) else "SQLite"
    load = f", beside {hogs} CPU hog{'s' if hogs != 1 else ''}" if hogs else ""
    print(f"(b) limiter on (AIORateLimiter as bot.app builds it; {pace}), Telegram's limits at the server: ", end="")
    print(f"{chats:,} chats on {where}{load}")
    print(
        f"    {rate:.1f} msg/s over the fan-out ({run.total:.1f} s, reconcile included); "
        f"{arriving:.1f} msg/s first to last arrival at the server; 429s answered: {run.stats.rejected}"
    )
    ideal = chats / 30
    met = report(TARGETS["429"], run.stats.rejected, indent="    ")
    if not hogs:
        met &= report(TARGETS["rate"], rate, indent="    ")
    met &= report(
        Target(f"last chat reached, within 5 % of {chats:,} / 30 s", ideal * 1.05, "s"), run.total, indent="    "
    )
    print(f"    never faster than the limit: {'yes' if arriving <= 30.0 else 'NO'} ({arriving:.2f} msg/s ≤ 30)")
    if problems:
        print("    CHECK FAILED: " + "; ".join(problems))
    return not problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.fanout", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chats", type=int, default=2000, help="chats in part (a) (default 2000)")
    parser.add_argument("--limited-chats", type=int, default=1000, help="chats in part (b) (default 1000)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of each loop in part (a) (default 5)")
    parser.add_argument(
        "--concurrency", type=int, default=CONCURRENCY, help=f"send tasks, both paths (default {CONCURRENCY})"
    )
    parser.add_argument("--part", choices=("a", "b", "both"), default="both")
    parser.add_argument("--in-process", action="store_true", help="serve the Bot API from the bot's event loop")
    parser.add_argument("--hog", type=int, default=1, help="part (b) again beside N CPU hogs (default 1; 0: not)")
    parser.add_argument("--pacer", choices=("on", "off", "both"), default="on", help="the Sender's overall pace")
    add_backend(parser, "sqlite")
    args = parser.parse_args(argv)
    # With max_retries=0, AIORateLimiter logs every 429 with a traceback; part (b) counts them instead.
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{os.cpu_count()} CPUs, load average {load} (the figures move with it: compare medians, not single runs)")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        places: list[Path | str] = []
        if args.backend in ("sqlite", "both"):
            places.append(Path(tmp))
        if (url := postgres(args.backend, "bench_fanout")) is not None:
            places.append(url)
        pacers = [True, False] if args.pacer == "both" else [args.pacer == "on"]
        for place in places:
            where = "PostgreSQL" if isinstance(place, str) else "SQLite"
            if args.part in ("a", "both"):
                print(f"on {where}:")
                path = place if isinstance(place, str) else place / "fanout-a.sqlite3"
                ok &= asyncio.run(part_a(path, args.chats, args.rounds, args.concurrency, args.in_process))
            if args.part in ("b", "both"):
                for hogs, paced in itertools.product(sorted({0, args.hog}), pacers):
                    path = place if isinstance(place, str) else place / f"fanout-b-{hogs}-{paced}.sqlite3"
                    ok &= asyncio.run(
                        part_b(path, args.limited_chats, args.concurrency, args.in_process, hogs=hogs, paced=paced)
                    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
