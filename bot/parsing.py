"""Command arguments to values, as pure functions: a bad value comes back as a reason to show, never an exception."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from functools import cache
from typing import Literal
from zoneinfo import available_timezones

SettingName = Literal["language", "timezone", "quiet"]
_ALIASES: dict[str, SettingName] = {
    "language": "language", "lang": "language", "sprache": "language",
    "timezone": "timezone", "tz": "timezone", "zone": "timezone", "zeitzone": "timezone",
    "quiet": "quiet", "ruhezeit": "quiet", "ruhe": "quiet",
}  # fmt: skip
_QUIET = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-3]):([0-5]\d)$")
_OFF = {"off", "aus", "none", "no"}
# ASCII digits only: str.isdigit() also accepts "³" and "٣", which int() then refuses or reads as another number.
_ID = re.compile(r"#?([0-9]{1,19})")
MAX_ID = 2**62  # ids are 64-bit in the database; anything larger cannot name a row (and would overflow SQLite)
MAX_ZONE = 64  # the longest IANA name is 32 characters; chats.timezone holds 64


@dataclass(frozen=True, slots=True)
class Change:
    """A valid settings change. ``value`` is the normalised text ("de", "Europe/Berlin", "22:00-07:00", "off");
    for quiet hours ``quiet`` holds the window, None meaning off."""

    name: SettingName
    value: str
    quiet: tuple[time, time] | None = None


@dataclass(frozen=True, slots=True)
class Invalid:
    name: str
    value: str
    reason: Literal["unknown_setting", "language", "timezone", "quiet", "missing_value"]


def commitment_id(text: str) -> int | None:
    """'12' or '#12' → 12; anything else (0, negative, words, other scripts' digits, past 2**62) → None."""
    match = _ID.fullmatch(text.strip())
    if match is None:
        return None
    value = int(match.group(1))
    return value if 0 < value < MAX_ID else None


@cache
def _zones() -> dict[str, str]:
    """Every IANA zone name tzdata knows, by its lower-case spelling."""
    return {name.lower(): name for name in available_timezones()}


def zone_name(text: str) -> str | None:
    """The IANA zone ``text`` names ("europe/berlin" → "Europe/Berlin"), or None. Looked up in the list of zones
    rather than opened: ZoneInfo("Europe") raises IsADirectoryError and a 300-character name OSError."""
    name = text.strip()
    return _zones().get(name.lower()) if 0 < len(name) <= MAX_ZONE else None


def quiet_hours(text: str) -> tuple[time, time] | None:
    match = _QUIET.match(text.strip())
    if match is None:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    return time(h1, m1), time(h2, m2)


def setting(args: list[str]) -> Change | Invalid:
    """`/settings timezone Europe/Berlin`, `/settings language de`, `/settings quiet 22:00-07:00` or `… quiet off`."""
    if not args:
        return Invalid("", "", "missing_value")
    name = _ALIASES.get(args[0].lower())
    value = " ".join(args[1:]).strip()
    if name is None:
        return Invalid(args[0], value, "unknown_setting")
    if not value:
        return Invalid(name, value, "missing_value")
    if name == "language":
        code = value.lower()
        return Change("language", code) if code in ("en", "de") else Invalid(name, value, "language")
    if name == "timezone":
        zone = zone_name(value)
        return Invalid(name, value, "timezone") if zone is None else Change("timezone", zone)
    if value.lower() in _OFF:
        return Change("quiet", "off")
    window = quiet_hours(value)
    if window is None or window[0] == window[1]:
        return Invalid(name, value, "quiet")
    return Change("quiet", f"{window[0]:%H:%M}-{window[1]:%H:%M}", window)


def in_quiet_hours(now: time, window: tuple[time, time] | None) -> bool:
    """Whether a local clock time falls in a quiet window; windows may wrap midnight (22:00-07:00)."""
    if window is None:
        return False
    start, end = window
    return start <= now < end if start < end else now >= start or now < end
