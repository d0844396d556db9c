"""`ceasefire-watch run` against a misbehaving Bot API: passing faults at start-up are retried and the bot then
answers; refusals and faults that outlast the patience end in one line and exit 1. In every mode, nothing the
process writes contains the token, in any letter case (as `grep -i` finds it)."""

from __future__ import annotations

import asyncio
import signal
import socket
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.localapi import Chat, Fault, LocalBotApi, User
from tests.bot.test_run_process import TOKEN, environment, start

KEY = TOKEN.split(":", 1)[1]
PATH = f"/bot{TOKEN}"  # what a server's error text may echo back
ALICE = User(101, "Alice")


def leaks(output: str) -> list[str]:
    """Lines holding the token or its key, compared without regard to case."""
    return [line for line in output.splitlines() if TOKEN.lower() in line.lower() or KEY.lower() in line.lower()]


# Passing faults Telegram may answer start-up with, met one after another by one start-up (each attempt starts over
# and fails at the next one; a process per fault would cost a long-poll's stop each).
def passing() -> list[Fault]:
    return [
        Fault("getMe", error_code=429, description="Too Many Requests: retry after 1", parameters={"retry_after": 1}),
        Fault("getMe", error_code=200, raw=f"<html>proxy error at {PATH.upper()}/getMe</html>".encode()),
        Fault(
            "setMyCommands", error_code=500, times=2, description=f"Internal Server Error {PATH.lower()}/setmycommands"
        ),
        Fault("deleteWebhook", error_code=502, description=f"Bad Gateway: {PATH}/deleteWebhook"),  # after a good getMe
    ]


async def test_passing_faults_at_start_up_are_retried(tmp_path: Path) -> None:
    faults = passing()
    async with LocalBotApi(token=TOKEN) as api:
        api.faults.extend(faults)
        process = await start(environment(api, tmp_path), tmp_path)
        try:
            await api.wait_for(lambda calls: any(c.method == "getUpdates" for c in calls), within=60)
            api.send_text(Chat(ALICE.id), ALICE, "/start")
            await api.wait_for(lambda calls: bool(api.sent(ALICE.id)), within=20)
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    output = out.decode() + err.decode()
    assert process.returncode == 0, output[-3000:]
    assert [f.times for f in faults] == [0, 0, 0, 0], "every fault was met"
    assert output.count("retrying in") == 5
    assert "This Application is still running" not in output
    assert leaks(output) == []


@dataclass(frozen=True)
class Fatal:
    """A start-up that cannot succeed: one line naming why, the exit code, no traceback, no token."""

    name: str
    faults: tuple[Fault, ...]
    code: int
    needle: str


FATAL = [
    Fatal("400 echoing the lower-cased path", (Fault("deleteWebhook", error_code=400,
          description=f"Bad Request: {PATH.lower()}/deletewebhook is not allowed"),), 1, "refused start-up"),
    Fatal("403 from getMe", (Fault("getMe", error_code=403, description=f"Forbidden: {PATH}/getMe"),), 1,
          "refused start-up"),
    Fatal("502 for good", (Fault("getMe", error_code=502, times=10_000, description=f"Bad Gateway {PATH}"),), 1,
          "kept failing"),
    Fatal("401: the token rejected", (Fault("getMe", error_code=401, description=f"Unauthorized {PATH}"),), 2,
          "rejected"),
]  # fmt: skip


@pytest.mark.parametrize("case", FATAL, ids=[c.name for c in FATAL])
async def test_start_up_that_cannot_succeed_is_one_line(tmp_path: Path, case: Fatal) -> None:
    async with LocalBotApi(token=TOKEN) as api:
        api.faults.extend(case.faults)
        process = await start(environment(api, tmp_path, TELEGRAM_STARTUP_RETRY_SECONDS="2"), tmp_path)
        out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    output = out.decode() + err.decode()
    assert process.returncode == case.code, output[-3000:]
    errors = [line for line in output.splitlines() if line.startswith("ceasefire-watch: error:")]
    assert len(errors) == 1, output[-3000:]
    assert case.needle in errors[0]
    assert "Traceback" not in output
    assert leaks(output) == []


async def test_an_unreachable_bot_api_is_one_line_after_the_patience(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with LocalBotApi(token=TOKEN) as api:
        env = environment(
            api, tmp_path, TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{port}/bot", TELEGRAM_STARTUP_RETRY_SECONDS="2"
        )
        process = await start(env, tmp_path)
        out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    output = out.decode() + err.decode()
    assert process.returncode == 1, output[-3000:]
    [line] = [line for line in output.splitlines() if line.startswith("ceasefire-watch: error:")]
    assert "kept failing" in line
    assert f"127.0.0.1:{port}" in line
    assert "Traceback" not in output
    assert leaks(output) == []


async def test_sigterm_while_start_up_waits_to_retry_stops_at_once(tmp_path: Path) -> None:
    async with LocalBotApi(token=TOKEN) as api:
        api.faults.append(Fault("getMe", error_code=502, times=10_000))
        process = await start(environment(api, tmp_path, TELEGRAM_STARTUP_RETRY_SECONDS="600"), tmp_path)
        await api.wait_for(lambda calls: sum(c.method == "getMe" for c in calls) >= 2, within=60)
        process.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    output = out.decode() + err.decode()
    assert process.returncode == 0, output[-3000:]
    assert "stopped during start-up" in output
    assert leaks(output) == []


def test_redaction_ignores_case_and_finds_the_key_alone() -> None:
    from app.logs import REDACTED, redact, secrets_of

    secrets = secrets_of(TOKEN)
    assert redact(f"POST /bot{TOKEN.lower()}/getme", secrets) == f"POST /bot{REDACTED}/getme"
    assert redact(f"url=/bot987654321%3A{KEY.upper()}/x", secrets) == f"url=/bot987654321%3A{REDACTED}/x"
