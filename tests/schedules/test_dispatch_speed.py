"""Real durations scaled to a fast replay clock stay inside the calendar (24 h at 740,000× reaches before year 1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from schedules.dispatch import _scaled, plan_messages


@pytest.mark.parametrize("speed", [1.0, 43_200.0, 604_800.0, 1e6, 1e9])
def test_scaled_windows_never_overflow(speed: float) -> None:
    now = datetime(2025, 3, 18, tzinfo=UTC)
    staleness = _scaled(timedelta(hours=24), speed)
    assert now - staleness > datetime.min.replace(tzinfo=UTC)
    assert plan_messages([], now, staleness=staleness, late_after=_scaled(timedelta(minutes=5), speed)) == []


def test_ordinary_speeds_scale_exactly() -> None:
    assert _scaled(timedelta(hours=24), 43_200.0) == timedelta(days=43_200)
    assert _scaled(timedelta(minutes=5), 1.0) == timedelta(minutes=5)
