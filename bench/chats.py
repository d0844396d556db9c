"""The subscribed chats the benches seed: private chats in six zones, a third of them in German, a quarter with
quiet hours, all following everything."""

from __future__ import annotations

import datetime as dt
from typing import Any

ZONES = ("UTC", "Europe/Berlin", "Europe/Kyiv", "Asia/Jerusalem", "America/New_York", "Asia/Tokyo")


def chat_rows(count: int, since: dt.datetime, *, first_id: int, quiet_hours: bool = True) -> list[dict[str, Any]]:
    """``count`` rows for ``storage.models.ChatRow``, ids from ``first_id``, subscribed to everything since
    ``since``; without ``quiet_hours`` no chat has any."""
    return [
        {
            "id": first_id + n,
            "type": "private",
            "title": None,
            "language": "de" if n % 3 == 0 else "en",
            "timezone": ZONES[n % len(ZONES)],
            "quiet_start": dt.time(22) if quiet_hours and n % 4 == 0 else None,
            "quiet_end": dt.time(7) if quiet_hours and n % 4 == 0 else None,
            "enabled": True,
            "member": True,
            "subscribed_all": True,
            "subscribed_since": since,
            "created_at": since,
            "updated_at": since,
        }
        for n in range(count)
    ]
