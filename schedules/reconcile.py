"""Derive the outbox from stored state: which alerts exist and which chat is owed which, by when.

The database is the source of truth, so this is idempotent and safe to run at any time, in any process, as often
as every second: it only inserts what is missing, moves pending deliveries whose date moved, and cancels pending
ones nobody is owed any more. Deliveries that are sending, sent or failed are never touched, so a milestone that
went out is not sent again even when a later source moves its date.

Milestones: for every subscribed (chat, commitment), the plan of the commitment as known at ``now`` in the chat's
zone (:func:`tracking.state.known_at`: only what its sources and reports published by then say, so a replay alerts
nothing from later news; a commitment none of whose sources is out yet has no plan, and its pending deliveries are
cancelled until it is); a delivery is owed when the milestone falls at or after the moment the chat subscribed
(bot clock). A chat that subscribed before a milestone is owed it even when it is already past (the bot was down,
or the news came out after it): the dispatcher sends it late or folds it into the offline summary. Paused chats
keep their pending deliveries (claim_due skips them until /start).

Conflicts (schedules.watermark): every conflict with an id above the ``conflict_watermark`` becomes an alert due
``now`` for every chat subscribed to its commitment or to everything; the watermark moves in the same transaction.

Where it lives: this module runs the steps in one transaction; schedules.fingerprint says whether there is anything
to do, schedules.planning plans per chat zone, schedules.watermark picks the new conflicts, and storage.fanout holds
the SQL that writes alerts and deliveries.

Editors (storage.edits): only confirmed commitments are planned; a commitment that stops being one (retracted,
rejected, merged away) has its pending deliveries cancelled, and no milestone before its ``alerts_from`` (the
moment it was confirmed or re-dated) is owed, so nothing is sent late as if missed. Corrections are alerts the
editor's own transaction writes, with their deliveries; this module leaves them to the dispatcher. Review cards
("review:commitment:<id>", "review:report:<id>") are owed to the reviewers' chats (the admins') for every
unconfirmed item, and cancelled while still pending once the item is decided.

Cost: the fan-out is set-based SQL (plan rows as a VALUES list joined with chats, INSERT ... SELECT ... ON
CONFLICT), so 2,000 chats cost one statement, not 2,000. A periodic call with nothing changed costs one query: a
fingerprint over the tables the outbox derives from is compared with the one stored by the last full run. What is
known also changes without a write, as the clock passes a publication: the last full run stores the span of clock
time its knowledge holds for (from the latest publication it counted to the next one, in every chat zone), and a
``now`` outside it makes the fingerprint stale. With the real clock that span is open-ended once every article is
out, so live operation runs no more often for it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import json
import logging
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schedules.fingerprint import is_fresh, read_probe
from schedules.plan import PlanOffsets
from schedules.planning import Known, Run, Scope, changed_milestones, plan_milestones
from schedules.watermark import alert_new_conflicts
from storage.db import writing
from storage.fanout import FINGERPRINT, ReconcileResult, put_state, review_cards
from storage.models import utc_now

log = logging.getLogger(__name__)

__all__ = ["RECONCILE_LOCK_KEY", "ReconcileResult", "reconcile"]


# Reconciles queue behind each other on PostgreSQL (SQLite: BEGIN IMMEDIATE); distinct from the loader's key.
RECONCILE_LOCK_KEY = 0x6365617365726563


async def reconcile(
    sessions: async_sessionmaker[AsyncSession],
    *,
    now: datetime,
    default_tz: ZoneInfo,
    offsets: PlanOffsets,
    commitment_ids: Sequence[int] | None = None,
    chat_ids: Sequence[int] | None = None,
    reviewers: Sequence[int] = (),
) -> ReconcileResult:
    """Bring alerts and deliveries in step with commitments, reports, chats, subscriptions and conflicts.

    ``now`` is the bot's clock: conflict alerts fall due then, and milestones are planned from what is known at
    it (see the module doc). ``default_tz`` plans for chats whose stored zone cannot be loaded. ``commitment_ids``
    / ``chat_ids`` narrow the milestone work to what just changed (after /subscribe, /report, an upload); new
    conflicts are always picked up, whoever wrote them. ``reviewers`` (the admins' user ids, which are their
    private chats' ids) get a review card for each unconfirmed commitment or report (REVIEW_MODE=review).
    """
    if now.tzinfo is None:
        raise ValueError("now needs a timezone")
    full = commitment_ids is None and chat_ids is None
    settings = f"{default_tz.key}|{offsets!r}|{sorted(set(reviewers))}"
    real_now = utc_now()
    if full:
        async with sessions() as session:
            probe = await read_probe(session, settings)
        if is_fresh(probe, real_now, now) and probe.watermark is not None and probe.max_conflict <= probe.watermark:
            return ReconcileResult()
    known = Known(now)
    trim = False
    async with writing(sessions, lock_key=RECONCILE_LOCK_KEY) as session:
        probe = await read_probe(session, settings)
        result = await alert_new_conflicts(session, now, real_now, probe)
        run = Run(session, real_now, default_tz, offsets, known)
        if not full:
            result += await plan_milestones(run, Scope(_ids(commitment_ids), _ids(chat_ids)))
            result += await review_cards(session, now, real_now, reviewers)
        elif not is_fresh(probe, real_now, now):
            result += await changed_milestones(run, settings)
            result += await review_cards(session, now, real_now, reviewers)
            stamp = [probe.fingerprint, real_now.isoformat(), *known.holds_for()]
            await put_state(session, FINGERPRINT, json.dumps(stamp))
            trim = True
    if trim:
        _trim_heap()
    if result != ReconcileResult():
        log.info("reconcile: %s", result)
    return result


@functools.cache
def _malloc_trim() -> ctypes._NamedFuncPointer | None:
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc
        return None


def _trim_heap() -> None:
    """Give the memory a run over every commitment freed back to the system: glibc keeps freed heap for reuse, and
    an idle bot would otherwise stay at the size of its largest run."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _ids(values: Sequence[int] | None) -> list[int] | None:
    return None if values is None else sorted(set(values))
