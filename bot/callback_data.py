"""Inline-button payloads: one codec shared by the keyboards that write them and the callbacks that read them.

Telegram limits callback data to 64 bytes, so actions are short prefixes with one argument; anything that does
not decode is treated as a stale or forged button and answered politely, never trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Action = Literal["open", "page", "sub", "unsub", "set", "menu", "review", "field", "into", "feed"]
_PREFIX: dict[Action, str] = {
    "open": "o",
    "page": "p",
    "sub": "s",
    "unsub": "u",
    "set": "t",
    "menu": "m",
    "review": "r",
    "field": "f",
    "into": "i",
    "feed": "d",
}
_ACTION = {prefix: action for action, prefix in _PREFIX.items()}
_ARG = re.compile(r"^[A-Za-z0-9_:/+\-.]{1,60}$")
MAX_BYTES = 64


@dataclass(frozen=True, slots=True)
class Button:
    """What a button asks for.

    open ID · page N (status list page) · sub ID|all · unsub ID|all · set FIELD:VALUE (settings) · menu NAME
    · review VERB:c|r:ID:VERSION (a review card's buttons: ok, no, edit, merge, card) · field ID:FIELD (which
    field /edit asks the value of) · into ID:INTO_ID (merge ID into INTO_ID) · feed add:TOKEN (add a feed a page
    links, as /feeds add offered it)
    """

    action: Action
    arg: str

    def encode(self) -> str:
        data = f"{_PREFIX[self.action]}|{self.arg}"
        if len(data.encode()) > MAX_BYTES or not _ARG.match(self.arg):
            raise ValueError(f"callback data does not fit Telegram's 64 bytes: {data!r}")
        return data


def decode(data: str | None) -> Button | None:
    """The button behind ``data``, or None for anything malformed."""
    if not data or "|" not in data:
        return None
    prefix, arg = data.split("|", 1)
    action = _ACTION.get(prefix)
    if action is None or not _ARG.match(arg):
        return None
    return Button(action, arg)
