"""Article semantics: which commitments and reports a news story states, by rules a reader can audit.

1. The page layer gives the story sentences; each is normalised (number words -> digits), background is dropped.
2. Word lists classify a sentence: a report kind (violation, denial, ...) and/or commitment kinds + a status cue.
3. Parties get roles (committer, speaker, accuser, accused); times get roles (start, end, point) and dates.
4. What a sentence leaves open comes from context: "both sides", "it", "will" inherit the story so far.
5. Mentions of one commitment or report within the article merge, later ones only filling gaps.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo

from dateutil.relativedelta import relativedelta

from articles import amounts, kinds
from articles.lexicon import Lexicon
from articles.model import (
    ONE_OFF_KINDS,
    Article,
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    Language,
    Moment,
    Report,
    ReportKind,
)
from articles.page import content_hash, parse_page, split_sentences
from articles.parties import Roles, find_parties, leaders_in, roles
from articles.reader import read_text
from articles.when import Direction, TimeMention, find_times, local_zone, to_date

__all__ = ["extract_file", "extract_reports", "extract_text"]

_GROUP_RE = Lexicon(
    r"\b(?:both\s+sides|(?:the\s+)?(?:two|2)\s+(?:sides|delegations|parties)|both\s+delegations|each\s+other"
    r"|one\s+another|the\s+parties|warring\s+(?:sides|parties)|beide[n]?\s+(?:seiten|delegationen)"
    r"|die\s+(?:beiden|2)\s+(?:seiten|delegationen)|gegenseitig|einander|beide\s+konfliktparteien)\b",
)
_LEADERS_RE = Lexicon(
    r"\b(?:(?:the\s+)?(?:two|2|both)\s+(?:leaders|presidents)|beide[n]?\s+(?:präsidenten|staatschefs)"
    r"|die\s+(?:beiden|2)\s+(?:präsidenten|staatschefs))\b",
)
# Sentences that go on about the promise just made: "Sie soll ...", "The agreement takes effect ...".
_PRONOUN_RE = re.compile(
    r"^(?:sie|es|it|this|diese[rs]?|that|(?:the|die|das|der)\s+(?:agreement|deal|accord|moratorium|arrangement"
    r"|vereinbarung|abkommen|moratorium|einigung|absprache|regelung|exchange|swap|handover|austausch"
    r"|gefangenenaustausch|übergabe))\b",
    re.IGNORECASE,
)
# "Putin ordered the military to stop such attacks immediately": a later sentence that points back at the promise
# just reported, anywhere in the sentence, and adds its timing.
_BACKREF_RE = Lexicon(
    r"\b(?:such|these|those|the\s+same)\s+(?:attacks|strikes|hostilities)\b"
    r"|\b(?:solche|diese|derartige)[n]?\s+(?:angriffe|attacken|schläge)\b",
)
_PROPOSAL_RE = Lexicon(r"\b(?:propos\w*|suggest\w*|schlägt|schlug|vorgeschlagen\w*)\b")
_MONITOR_RE = Lexicon(r"\b(?:oversee\w*|monitor\w*|überwach\w*)\b")
_BLOCKING: frozenset[str] = frozenset({"violation", "denial", "reaction", "compliance", "expiry", "fulfilment"})
_FIELDS = ("scope", "start", "duration_days", "end", "due", "quantity")
_HALTS: frozenset[str] = frozenset({"ceasefire", "strike_halt", "maritime_ceasefire"})


@dataclass(slots=True)
class _Draft:
    """A commitment while the article is read; the last three fields are bookkeeping, not output."""

    kind: CommitmentKind
    actors: tuple[str, ...]
    scope: str | None
    start: Moment | None
    duration_days: int | None
    end: Moment | None
    due: Moment | None
    quantity: int | None
    conditions: tuple[str, ...]
    status: CommitmentStatus
    evidence: str
    day_number: int | None = None  # "the 16th day": counted from the ceasefire's start, resolved at the end
    anchored: bool = False  # "within 60 days of the truce taking effect": starts with the ceasefire
    weight: int = -1  # filled fields of the evidence sentence; -1 when it did not name the kind


@dataclass(slots=True)
class _State:
    """What one sentence leaves for the next: the parties and the kind the story is talking about."""

    language: Language
    published: Moment
    local: tzinfo | None
    body: str
    actors: tuple[str, ...] = ()
    read: list[str] = field(default_factory=list)  # sentences so far, for "the two delegations" of the last one
    kind: CommitmentKind | None = None
    pinned: CommitmentKind | None = None  # the commitment a /report names; every report is about it
    drafts: list[_Draft] = field(default_factory=list)
    reports: list[tuple[Report, int]] = field(default_factory=list)

    def recent(self) -> tuple[str, ...]:
        """The parties of the latest sentence that names at least two (looked up only when needed)."""
        for text in reversed(self.read):
            named = tuple(dict.fromkeys(m.name for m in find_parties(text)))
            if len(named) >= 2:
                return named
        return ()


def extract_text(text: str, path: str = "<text>") -> Article:
    """The article a page states; raises ArticleError (from the page layer) when it is not an article."""
    page = parse_page(text, path)
    body = "\n".join(page.paragraphs)
    state = _State(page.language, page.published, local_zone(body), body)
    _read(state, page.sentences())
    return Article(
        path=path,
        language=page.language,
        published=page.published,
        title=page.title,
        content_hash=content_hash(text),
        commitments=_finish(state.drafts),
        reports=_reports(state),
    )


def extract_file(path: str) -> Article:
    """Read a file (ArticleError on bad input) and extract it."""
    return extract_text(read_text(path), path)


def extract_reports(
    text: str, *, language: Language, published: Moment, about: CommitmentKind | None = None
) -> tuple[Report, ...]:
    """Reports in a short text such as an admin's one-line /report, read by the same sentence rules.

    ``about`` names the commitment the text reports on; then every report is about it, and an attack on a halt
    or truce ("Ukraine says Russia struck a power plant") is a violation claim even without "violated".
    """
    state = _State(language, published, local_zone(text), text, pinned=about)
    _read(state, split_sentences(text, language))
    return _reports(state)


def _read(state: _State, sentences: Iterable[str]) -> None:
    """Feed the sentences in order, skipping exact repeats (duplicated headlines, pasted paragraphs)."""
    seen: set[str] = set()
    for raw in sentences:
        sentence = " ".join(raw.split())
        if not sentence or sentence in seen:
            continue
        seen.add(sentence)
        _sentence(state, sentence)


def _sentence(state: _State, sentence: str) -> None:
    """Everything one sentence states, added to the article state."""
    text = amounts.normalise(sentence, state.language)
    anchor = to_date(state.published)
    main = kinds.split_conditions(text)
    state.read.append(main)
    if anchor is None or kinds.is_background(text, anchor.year):
        return
    report_kind = kinds.report_kind(main)
    if report_kind is None and state.pinned in _HALTS and kinds.describes_attack(main):
        report_kind = "violation"
    blocked = report_kind in _BLOCKING
    found = [] if blocked else kinds.commitment_kinds(main)
    anaphora = not found and not blocked and bool(state.drafts) and _refers_back(main)
    if report_kind is None and not found and not anaphora:
        _attach_conditions(state, text)
        return
    mentions = find_parties(main)
    named = tuple(dict.fromkeys(m.name for m in mentions))
    default: Direction = "past" if blocked else "future"
    lowered = text.lower()
    local = state.local
    if "local" in lowered or "ortszeit" in lowered:
        local = local_zone(text) or local  # "local time" is local to the place this sentence names first
    times = find_times(text, state.published, lang=state.language, local=local, default=default)
    parts = roles(main, mentions)
    if report_kind is not None:
        _add_report(state, _report(state, report_kind, main, parts, times, sentence, named))
    if not blocked:
        _commitments(state, text, main, parts, times, sentence, found)


def _refers_back(main: str) -> bool:
    """A sentence about the promise just made: "It will ...", "Die Vereinbarung ...", "... stop such attacks"."""
    return bool(_PRONOUN_RE.match(main)) or _BACKREF_RE.search(main) is not None


def _attach_conditions(state: _State, text: str) -> None:
    """ "Voraussetzung sei, dass ...": a sentence that only states a condition qualifies the last promise."""
    if state.drafts and not state.drafts[-1].conditions and kinds.names_condition(text):
        state.drafts[-1].conditions = kinds.conditions(text)


def _commitments(
    state: _State,
    text: str,
    main: str,
    parts: Roles,
    times: list[TimeMention],
    sentence: str,
    found: list[CommitmentKind],
) -> None:
    """The commitments a sentence states or adds detail to ("Sie soll vom 8. Mai ... gelten")."""
    named = bool(found)
    if (
        not found
        and state.drafts
        and _refers_back(main)
        and any(t.role in {"start", "end"} or t.immediate for t in times)
    ):
        found = [state.drafts[-1].kind]
    conditions = kinds.conditions(text)
    cue = kinds.status(main)
    if not found or cue is None or _MONITOR_RE.search(main):
        _attach_conditions(state, text)
        return
    for kind in found:
        draft = _draft(state, kind, cue, main, parts, times, conditions, sentence)
        if not named:
            draft.weight = -1
        _add_draft(state, draft)
        if draft.actors:
            state.actors = draft.actors
    state.kind = found[0]


def _status(state: _State, cue: kinds.StatusCue, start: Moment | None) -> CommitmentStatus:
    """Plain future ("will", "soll") and validity ("gilt") take their status from the story's main promise."""
    if cue == "valid":
        if start is not None and _not_after(start, state.published):
            return "in_force"
        cue = "modal"
    if cue == "modal":
        return state.drafts[0].status if state.drafts else "announced"
    return cue


def _not_after(moment: Moment, published: Moment) -> bool:
    """A start on or before the publication day means the promise already applies."""
    day, anchor = to_date(moment), to_date(published)
    return day is not None and anchor is not None and day <= anchor


def _actors(state: _State, kind: CommitmentKind, main: str, parts: Roles) -> tuple[str, ...]:
    """Who commits: named subjects, else "the two leaders"/"both sides" from context, else the speakers."""
    actors = _bound_by_proposal(main, parts.actors)
    if not actors and _LEADERS_RE.search(main):
        actors = parts.speakers or tuple(leaders_in(state.body)[:2])
    if not actors and _GROUP_RE.search(main):
        actors = state.actors or state.recent()
    if not actors and kind == "release":
        actors = parts.speakers  # "Kyiv said it would release ...": a handover is one-sided, by the speaker
    if not actors and kind == "negotiations" and state.drafts:
        actors = state.drafts[0].actors  # talks about "the second phase" are between the deal's parties
    if not actors:
        actors = state.actors or parts.speakers
    if kind == "prisoner_exchange" and len(actors) < 2:
        context = state.actors or state.recent()
        actors = tuple(dict.fromkeys((*context, *actors)))
    return actors


def _bound_by_proposal(main: str, actors: tuple[str, ...]) -> tuple[str, ...]:
    """ "Zelensky proposed that Russia and Ukraine halt ...": the sides named after the proposal are bound."""
    proposal = _PROPOSAL_RE.search(main)
    if proposal is None or len(actors) < 2:
        return actors
    bound = tuple(dict.fromkeys(m.name for m in find_parties(main) if m.start > proposal.end() and m.name in actors))
    return bound if len(bound) >= 2 else actors


def _first(times: list[TimeMention], *wanted: str) -> TimeMention | None:
    """The first mention with the most wanted role: the roles are tried in order of preference."""
    for role in wanted:
        for mention in times:
            if mention.role == role:
                return mention
    return None


def _draft(
    state: _State,
    kind: CommitmentKind,
    cue: kinds.StatusCue,
    main: str,
    parts: Roles,
    times: list[TimeMention],
    conditions: tuple[str, ...],
    sentence: str,
) -> _Draft:
    """One commitment as this sentence states it."""
    dated = [t for t in times if t.moment is not None]
    start = end = due = None
    day_number = duration = None
    if kind in ONE_OFF_KINDS:
        hit = _first(dated, "point", "start", "end")
        due = hit.moment if hit else None
        numbered = next((t for t in times if t.day_number is not None), None)
        day_number = numbered.day_number if numbered and due is None else None
    else:
        start_hit = _first(dated, "start") or next((t for t in dated if t.immediate), None)
        end_hit = _first(dated, "end")
        start = start_hit.moment if start_hit else None
        end = end_hit.moment if end_hit else None
        duration = amounts.duration_days(main)
    quantity = amounts.quantity(main) if kind in {"prisoner_exchange", "release"} else None
    draft = _Draft(
        kind=kind,
        actors=_actors(state, kind, main, parts),
        scope=kinds.scope(kind, main),
        start=start,
        duration_days=duration,
        end=end,
        due=due,
        quantity=quantity,
        conditions=conditions,
        status=_status(state, cue, start),
        evidence=sentence,
        day_number=day_number,
        anchored=kind not in ONE_OFF_KINDS and kinds.anchored(main),
    )
    draft.weight = sum(getattr(draft, name) is not None for name in _FIELDS)
    return draft


def _compatible(old: _Draft, new: _Draft) -> bool:
    """Same kind, no field that disagrees, and not two different sets of parties."""
    if old.kind != new.kind:
        return False
    if old.actors and new.actors and not set(old.actors) & set(new.actors):
        return False
    return all(
        getattr(old, name) is None or getattr(new, name) is None or getattr(old, name) == getattr(new, name)
        for name in _FIELDS
    )


def _add_draft(state: _State, new: _Draft) -> None:
    """Merge into an earlier mention of the same commitment (filling its gaps) or add a new one."""
    for index, old in enumerate(state.drafts):
        if _compatible(old, new):
            state.drafts[index] = _fill(old, new)
            return
    state.drafts.append(new)


def _fill(old: _Draft, new: _Draft) -> _Draft:
    """Gaps of the earlier mention filled by the later; the evidence is the mention that says the most."""
    changes: dict[str, object] = {
        name: getattr(new, name) for name in (*_FIELDS, "day_number") if getattr(old, name) is None
    }
    if not old.actors:
        changes["actors"] = new.actors
    if not old.conditions:
        changes["conditions"] = new.conditions
    if new.weight > old.weight:
        changes["evidence"] = new.evidence
        changes["weight"] = new.weight
    changes["anchored"] = old.anchored or new.anchored
    return replace(old, **changes)  # type: ignore[arg-type]


def _finish(drafts: list[_Draft]) -> tuple[Commitment, ...]:
    """Resolve day numbers and anchored periods against the ceasefire's start; end = start + duration."""
    anchor = next((d.start for d in drafts if d.start is not None and d.kind not in ONE_OFF_KINDS), None)
    out: list[Commitment] = []
    for draft in drafts:
        due, start = draft.due, draft.start
        if due is None and draft.day_number is not None and anchor is not None:
            due = to_date(_plus_days(anchor, draft.day_number - 1))  # day 1 is the first day
        if start is None and draft.anchored:
            start = anchor
        end = draft.end
        if end is None and start is not None and draft.duration_days:
            end = _plus_days(start, draft.duration_days)
        out.append(
            Commitment(
                kind=draft.kind,
                actors=draft.actors,
                scope=draft.scope,
                start=start,
                duration_days=draft.duration_days,
                end=end,
                due=due,
                quantity=draft.quantity,
                conditions=draft.conditions,
                status=draft.status,
                evidence=draft.evidence,
            )
        )
    return tuple(out)


def _plus_days(moment: Moment, days: int) -> Moment:
    """Calendar arithmetic that keeps a date a date and a datetime its wall clock and offset."""
    if isinstance(moment, datetime):
        return moment + relativedelta(days=days)
    return moment + timedelta(days=days)


def _report(
    state: _State,
    kind: ReportKind,
    main: str,
    parts: Roles,
    times: list[TimeMention],
    sentence: str,
    named: tuple[str, ...],
) -> Report:
    """One claim: who says it, about which commitment, against whom, on what day."""
    about = kinds.mentioned_kind(main) if kind != "fulfilment" else _fulfilled_kind(main)
    about = (
        state.pinned
        or _known_kind(state, about)
        or (state.drafts[0].kind if state.drafts else state.kind)
        or "ceasefire"
    )
    each_other = bool(_GROUP_RE.search(main))
    accused: tuple[str, ...] = ()
    claimed_by: str | None
    if kind == "violation":
        claimed_by = None if each_other and not parts.accusers else _head(parts.accusers)
        accused = parts.accused or ((state.actors or state.recent()) if each_other else ())
        accused = tuple(a for a in accused if a != claimed_by)
    else:
        claimed_by = _head(parts.speakers) or _head(parts.actors) or _head(named)
    dated = [t for t in times if t.moment is not None]
    # A new end date is not the day of an extension; only an expiry happens at the end it names.
    hit = (
        _first(dated, "point", "said", "end", "start") if kind == "expiry" else _first(dated, "point", "said", "start")
    )
    quantity = amounts.quantity(main) if kind == "fulfilment" else None
    return Report(kind, about, accused, claimed_by, to_date(hit.moment) if hit else None, quantity, sentence)


def _known_kind(state: _State, kind: CommitmentKind | None) -> CommitmentKind | None:
    """ "The truce has held" in a story about an energy halt is about that halt, not a new general ceasefire."""
    family = ("ceasefire", "strike_halt", "maritime_ceasefire")
    known = [d.kind for d in state.drafts]
    if kind == "ceasefire" and kind not in known:
        return next((k for k in known if k in family), kind)
    return kind


def _fulfilled_kind(main: str) -> CommitmentKind | None:
    """A handover or swap that happened fulfils the one-off promise it names."""
    found = kinds.commitment_kinds(main)
    one_off: tuple[CommitmentKind, ...] = ("prisoner_exchange", "release", "negotiations", "withdrawal")
    for kind in one_off:
        if kind in found:
            return kind
    return kinds.mentioned_kind(main)


def _head(names: tuple[str, ...]) -> str | None:
    """The first name, if any: the subject is named first."""
    return names[0] if names else None


def _weight(report: Report) -> int:
    """How much a report mention says: the most specific one becomes the evidence."""
    return (report.date is not None) + (report.quantity is not None)


def _add_report(state: _State, new: Report) -> None:
    """The same claim said twice (same kind, claimant, accused) is one report; the later mention fills gaps."""
    state.kind = new.about
    for index, (old, weight) in enumerate(state.reports):
        same = (old.kind, old.about, old.claimed_by, old.accused) == (new.kind, new.about, new.claimed_by, new.accused)
        if same and (old.date is None or new.date is None or old.date == new.date):
            merged = replace(
                old, date=old.date or new.date, quantity=old.quantity if old.quantity is not None else new.quantity
            )
            if _weight(new) > weight:
                merged = replace(merged, evidence=new.evidence)
            state.reports[index] = (merged, max(weight, _weight(new)))
            return
    state.reports.append((new, _weight(new)))


def _reports(state: _State) -> tuple[Report, ...]:
    """Reports in order; one that names no day happened, as far as the story tells, on its publication day."""
    day = to_date(state.published)
    return tuple(replace(r, date=r.date or day) for r, _ in state.reports)
