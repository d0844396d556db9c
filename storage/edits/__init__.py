"""Editors' changes: correct, merge, retract, confirm and reject what the extractor found, each kept as an edit.

Every operation is one transaction that queues behind loads (:func:`storage.loader.serialise`: both write
commitments and conflicts) and either does all it says or nothing: a value that cannot be read, an unknown id, a
merge into itself, a retraction of what is already retracted raise :class:`EditError` before anything is written.
Each change adds :class:`~storage.models.EditRow` rows (who, when on the bot's clock, field, old and new value,
reason), so /history can show them and the status cache (storage.queries.data_version) sees them.

What subscribers hear follows in the same transaction, through the outbox, so it is sent once and survives a
restart: a corrected date (or duration) tells every chat that already had a milestone alert of the commitment, in
one "correction" alert; a retraction tells every chat that had any alert about it, and cancels what was still
pending. Moving the pending milestones themselves is schedules.reconcile's work, which the bot asks for at once
(the CLI's changes are seen by the running bot's next tick: they change the reconcile fingerprint).

Review (REVIEW_MODE=review): confirming and rejecting are compare-and-set updates on the item's review state and,
for a commitment, its ``version``: of two admins pressing at once, one changes the row and the other is told it
was already done; a card sent before the item changed carries an old version and is refused as stale. Confirming
a commitment plans its alerts from that instant (``alerts_from``: milestones already past are not owed) and stores
its conflicts then; confirming a report stores the conflicts it raises, so their alerts go out only now.
"""

from __future__ import annotations

from storage.edits.base import (
    EditError,
    Editor,
    EditView,
    Outcome,
    Queue,
    Reason,
    Target,
)
from storage.edits.corrections import (
    edit,
    merge,
    retract,
    retract_report,
)
from storage.edits.review import (
    commitment,
    decide,
    decided_by,
    history,
    merge_targets,
    queue,
    report,
    reports,
)

__all__ = [
    "EditError",
    "EditView",
    "Editor",
    "Outcome",
    "Queue",
    "Reason",
    "Target",
    "commitment",
    "decide",
    "decided_by",
    "edit",
    "history",
    "merge",
    "merge_targets",
    "queue",
    "report",
    "reports",
    "retract",
    "retract_report",
]
