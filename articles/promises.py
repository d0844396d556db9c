"""The commitments a story makes, sentence by sentence (the commitment half of :mod:`articles.discourse`): the
kind and status a sentence states, who is bound, the terms and days it gives, merged into the story's drafts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from articles import amounts, frames
from articles.conflicts import belligerents, conflict_of
from articles.drafts import FIELDS, HALTS, Draft, first_time, phases
from articles.entities import Mention, leaders_in
from articles.lexicon import Lexicon
from articles.model import ONE_OFF_KINDS, Commitment, CommitmentKind, CommitmentStatus, Moment, Report
from articles.roles import Roles, clause_cut, clause_end, inverted_subject
from articles.rules import rules
from articles.temporal import TimeMention, plus_days, to_date

if TYPE_CHECKING:
    from articles.discourse import Story

__all__ = ["act_done", "due_when_done", "from_sentence"]

_DONE_DAYS = 6  # an act done this close before the publication can be the one an undated promise was for
_ACTS = frozenset({"prisoner_exchange", "release"})  # acts done once, on a day a report can tell


def from_sentence(
    story: Story,
    text: str,
    main: str,
    parts: Roles,
    times: list[TimeMention],
    sentence: str,
    found: list[CommitmentKind],
    *,
    headline: bool,
) -> None:
    """The commitments a sentence states or adds detail to ("Sie soll vom 8. Mai ... gelten")."""
    named = bool(found)
    restates: bool | None = None  # the sentence points back to the last promise and adds terms (asked once)
    if not found:
        restates = story.restates_last(main, times)
        if restates:
            halt = story.halt() if rules(story.language).cue("phase").search(main) else None
            found = [halt.kind if halt is not None else story.drafts[-1].kind]  # "the first phase": the truce's
    conditions = frames.conditions(text, story.language)
    cue = frames.status(main, story.language)
    if cue is None and found and story.terms_left > 0:
        cue = "agreed"  # an item of the terms listed under "the statement says:" is part of the deal
    if cue is None and found and (restates if restates is not None else story.restates_last(main, times)):
        cue = "modal"  # "Die Feuerpause beginne am 25. Mai ...": the terms of the promise just told
    if found and rules(story.language).cue("monitor").search(main):
        # "observers will monitor the truce" restates no truce; letting observers in is a term of its own
        found = [k for k in found if k == "other"]
    if not found or cue is None:
        story.attach_conditions(text)
        return
    for kind in found:
        draft = _draft(story, kind, cue, main, parts, times, conditions, sentence)
        if not draft.actors and (story.context is None or draft.weight <= 0):
            if not headline and draft.status == "agreed":
                story.unbound = draft  # the next sentence may name whom it binds
            continue  # a promise by nobody the story names binds nobody, unless its terms are stated
        if not named or headline:
            draft = replace(draft, weight=-1)
        for phase in phases(draft, times):
            story.add_draft(phase, create=not headline)
        if draft.actors:
            story.actors = draft.actors
    story.kind = found[0]


def _status(story: Story, cue: frames.StatusCue, start: Moment | None, main: str) -> CommitmentStatus:
    """Plain future ("will", "soll") and validity ("gilt") take their status from the story's main promise; a
    truce that "begins" on a day still to come is not in force yet: the sentence's other cue tells what it is
    ("agreed to a ceasefire that begins on August 3")."""
    day, anchor = to_date(start), to_date(story.now)
    if cue == "in_force" and day is not None and anchor is not None and day > anchor:
        cue = frames.status(main, story.language, besides="in_force") or "modal"
    if cue == "valid":
        if day is not None and anchor is not None and day <= anchor:
            return "in_force"
        cue = "modal"
    if cue == "modal":
        return story.drafts[0].status if story.drafts else "announced"
    return cue


def _actors(story: Story, kind: CommitmentKind, main: str, parts: Roles) -> tuple[str, ...]:
    """Who commits: named subjects, else "the two leaders"/"both sides" from context, else the speakers."""
    cues = rules(story.language)
    actors = _bound_by_proposal(story, main, parts.actors)
    if parts.counterparts and (kind in HALTS or kind == "negotiations"):
        actors = _with_counterpart(story, main, parts, actors)
    if kind == "withdrawal":
        actors = _not_the_place_left(story, main, actors)
    group = cues.cue("group").search(main) is not None
    if group and not belligerents(actors, story.context) and (kind != "negotiations" or len(actors) < 2):
        actors = ()  # "the two sides ... signed what the UN called a ceasefire": the sides, not the UN
    if not actors and cues.cue("leaders").search(main):
        # "the two presidents": two speakers are they; otherwise the two leaders the story names
        many = parts.speakers if len(parts.speakers) >= 2 else ()
        actors = many or tuple(leaders_in(story.body, story.language, story.parties(story.body))[:2])
    if kind == "negotiations":
        actors = _talks_parties(story, main, parts) or actors
    if not actors and group:
        # the pair the story last bound ('the two sides also signed …'), else its conflict's sides
        actors = (story.actors if len(story.actors) == 2 else ()) or story.sides() or story.actors or story.recent()
    if not actors and kind == "release":
        actors = parts.speakers  # "Kyiv said it would release ...": a handover is one-sided, by the speaker
    if not actors and kind == "negotiations":
        # talks "on this" are between the parties of the sentence before, or of the story's deal; when the
        # sentence before named only mediators, between the story's sides
        recent = story.recent()
        if recent and not belligerents(recent, story.context):
            recent = story.sides()
        actors = recent or (story.drafts[0].actors if story.drafts else ())
    if kind == "negotiations" and actors:
        # "Die Türkei soll die Gespräche begleiten", "with Turkey acting as facilitator": talks of the sides
        bound = belligerents(actors, story.context)
        if bound != actors and story.mediators_in(main, bound):
            actors = bound if len(bound) >= 2 else story.sides() or actors
    if parts.speakers and kind != "negotiations" and cues.cue("self_commit").search(main):
        actors = parts.speakers[-1:]  # "M23 rebels said on Saturday they would withdraw": the speaker commits
    if not actors and not parts.actors:
        # "the withdrawal is to be completed by June": the story's promise of that kind, by its parties
        same = [d for d in reversed(story.drafts) if d.kind == kind and d.actors]
        # the promise made rather than one only proposed beside it, when the story has both
        earlier = next((d.actors for d in same if d.status != "proposed"), same[0].actors if same else ())
        if earlier:
            return earlier
    if not actors:
        actors = story.actors or parts.speakers
    swappers = tuple(dict.fromkeys((*actors, *parts.speakers))) if kind == "prisoner_exchange" else ()
    if len(swappers) == 2 and len(actors) == 1:
        # "The Kremlin said the United States would free Vinnik in exchange for Fogel": the speaker is the other
        # side of the swap, whatever war the story tells of
        return swappers
    if kind == "prisoner_exchange" and len(actors) < 2:
        context = story.actors or story.recent()
        actors = tuple(dict.fromkeys((*context, *actors)))
    if kind == "withdrawal" and actors and actors == parts.actors:
        # a withdrawal binds whoever the sentence says leaves, outsiders too ("the UN mission pulled out")
        actors = _who_leaves(story, main, actors)
    elif kind != "negotiations" and not (kind == "other" and len(actors) == 2 and actors == parts.actors):
        # two named subjects of a settlement of their own ("Iran and Saudi Arabia agreed to restore relations")
        # are both bound, whichever war the story tells of beside it
        bound = belligerents(actors, story.context)
        if not bound and actors:
            # a mediator announced it: the story's sides are bound
            bound = belligerents(story.actors, story.context) or story.sides()
        actors = bound
    if not actors and kind in HALTS and story.previous and cues.cue("truce_of_theirs").search(main):
        # "Die TTP-Vertreter baten um Bedenkzeit. Bis dahin, so sicherten sie zu, werde ihre Waffenruhe verlängert."
        actors = tuple(m.name for m in story.parties(story.previous)[:1])
    if not actors and kind in HALTS:
        actors = story.sides()  # "a ceasefire in Nagorno-Karabakh came into force": between the story's sides
    return actors


def _with_counterpart(story: Story, main: str, parts: Roles, actors: tuple[str, ...]) -> tuple[str, ...]:
    """ "Colombia said the ceasefire with the EMC …": with no subject named, a truce binds the party it is "with" and
    who speaks of it, else that party's enemy; one agreed "with" a party binds it beside the subject ("his government
    had agreed a ceasefire with the ELN"), one declared does not ("Putin declared a truce with Ukraine")."""
    side = parts.counterparts[0]
    if not actors:
        other = next((s for s in parts.speakers if s != side), None) or story.opponent_of(side)
        return (other, side) if other is not None and other != side else (side,)
    if len(actors) == 1 and side not in actors and frames.status(main, story.language) in {"agreed", "in_force"}:
        return (actors[0], side)
    return actors


def _not_the_place_left(story: Story, main: str, actors: tuple[str, ...]) -> tuple[str, ...]:
    """ "aus der Stadt Walikale im Osten der Demokratischen Republik Kongo abziehen": a party named only inside
    the place troops leave is where they are, not who leaves."""
    place = rules(story.language).cue("withdraw_from").search(main)
    if place is None:
        return actors
    start, end = place.span("s")
    mentions = story.parties(main)
    outside = {m.name for m in mentions if not start <= m.start < end}
    inside = {m.name for m in mentions if start <= m.start < end}
    return tuple(a for a in actors if a in outside or a not in inside)


def _who_leaves(story: Story, main: str, actors: tuple[str, ...]) -> tuple[str, ...]:
    """ "The United States will move some of its personnel out of Chad …, after a Chadian officer challenged …": a
    party named only in the place left or in a clause of time or reason does not leave; one named in the clause
    that tells of leaving ("agreed that Russian troops would leave") does."""
    cues = rules(story.language)
    verb = cues.cue("withdraw").search(main)
    leads = list(cues.cue("complementizer").finditer(main, 0, verb.start())) if verb is not None else []
    if verb is not None and leads:
        # "Putin und Paschinjan hätten sich verständigt, dass russische Militärs … verlassen": who the clause says
        # leaves, not who agreed on it
        inside = [m.name for m in story.parties(main) if leads[-1].end() <= m.start < verb.start() and m.name in actors]
        if inside:
            return tuple(inside[:1])  # its subject comes first: "dass russische Militärs einige Regionen Armeniens"
    apart = [(m.start(), clause_end(main, m.end())) for m in cues.cue("aside_clause").finditer(main)]
    if not apart:
        return actors
    place = cues.cue("withdraw_from").search(main)
    if place is not None:
        apart.append(place.span("s"))
    told = {m.name for m in story.parties(main) if not any(a <= m.start < b for a, b in apart)}
    leaving = tuple(a for a in actors if a in told)
    return leaving or actors


def _talks_parties(story: Story, main: str, parts: Roles) -> tuple[str, ...]:
    """The parties named in the clause that announces the talks ("..., while US and Russian negotiators
    are to meet"): not those of another clause of the same sentence."""
    cues = rules(story.language)
    match = cues.cue("talks").search(main)
    if match is None:
        return ()
    clause_break = cues.cue("clause_break")
    bounds = [m.end() for m in clause_break.finditer(main, 0, match.start())]
    start = bounds[-1] if bounds else 0
    after = clause_break.search(main, match.end())
    end = after.start() if after else len(main)
    inside = [m.name for m in story.parties(main[start:end])]
    named = tuple(dict.fromkeys(n for n in inside if n not in parts.speakers))
    return named if len(named) >= 2 else ()


def _bound_by_proposal(story: Story, main: str, actors: tuple[str, ...]) -> tuple[str, ...]:
    """ "Zelensky proposed that Russia and Ukraine halt ...": the sides named after the proposal are bound."""
    proposal = rules(story.language).cue("proposal").search(main)
    if proposal is None or len(actors) < 2:
        return actors
    bound = tuple(dict.fromkeys(m.name for m in story.parties(main) if m.start > proposal.end() and m.name in actors))
    return bound if len(bound) >= 2 else actors


def _draft(
    story: Story,
    kind: CommitmentKind,
    cue: frames.StatusCue,
    main: str,
    parts: Roles,
    times: list[TimeMention],
    conditions: tuple[str, ...],
    sentence: str,
) -> Draft:
    """One commitment as this sentence states it."""
    dated = [t for t in times if t.moment is not None]
    start = end = due = None
    day_number = duration = hours = None
    rough_end = False
    point = first_time(dated, "point", "ref")  # "on October 15 they agreed to a 48-hour truce": the day it dates
    if kind in ONE_OFF_KINDS:
        hit = first_time(dated, "point", "start", "end")
        due = hit.moment if hit else None
        numbered = next((t for t in times if t.day_number is not None), None)
        day_number = numbered.day_number if numbered and due is None else None
        if kind == "negotiations":
            opens, closes = first_time(dated, "start"), first_time(dated, "end")
            if opens is not None and closes is not None:
                start, end = opens.moment, closes.moment  # "talks from Monday to Thursday": the days they run
    else:
        # a start of its own ("from midnight") before "immediate", which only says it starts at once
        start_hit = first_time([t for t in dated if not t.immediate], "start") or next(
            (t for t in dated if t.immediate), None
        )
        end_hit = first_time(dated, "end")
        start = start_hit.moment if start_hit else None
        last = story.drafts[-1] if story.drafts else None
        took_effect = start_hit is not None and start_hit.immediate and cue == "in_force"
        if took_effect and last is not None and last.kind == kind and last.dated:
            start = last.dated  # "announced late on Wednesday a truce. It took effect immediately": on Wednesday
        end = end_hit.moment if end_hit else None
        rough_end = end_hit is not None and end_hit.approximate
        period = amounts.period(main, story.language)
        if period is not None:
            duration, hours = period.days, period.hours
        if end is not None and duration and duration > 1 and rules(story.language).cue("daily").search(main):
            first = to_date(start) if start is not None else to_date(story.now)
            if to_date(end) == first:
                end = plus_days(end, duration - 1)  # "until 4 p.m. each day for three days": the last day's 4 p.m.
        today = to_date(story.now)
        if kind == "withdrawal" and start is None and end is None and period is None and today is not None:
            # "would hand over their positions on 10 May and withdraw": the day ahead it is to be done by
            ahead = [t.moment for t in dated if t.role == "point" and (to_date(t.moment) or today) > today]
            end = ahead[0] if ahead else None
    quantity = amounts.quantity(main, story.language) if kind in {"prisoner_exchange", "release"} else None
    actors = _actors(story, kind, main, parts)
    if kind == "release" and len(belligerents(actors, story.context)) >= 2 and _opposed(actors):
        kind = "prisoner_exchange"  # both sides releasing each other's people is an exchange
    cue_word = rules(story.language).cue("talks").search(main) if kind == "negotiations" else None
    within = amounts.within_days(main, story.language, cue_word.start() if cue_word else None)
    if within is not None and not _anchored_to_truce(story, main):
        if kind == "negotiations" and rules(story.language).cue("concluded").search(main):
            duration = duration or within  # "to be concluded within four months": how long talks may take
        elif kind in ONE_OFF_KINDS and due is None:
            due = plus_days(to_date(story.now) or story.now, within)
        elif kind == "withdrawal" and end is None and start is None:
            # with a start of its own ("begin on 31 December, to be completed within a year") the period counts
            # from that start, as its length
            end = plus_days(to_date(story.now) or story.now, within)
    draft = Draft(
        kind=kind,
        actors=actors,
        scope=frames.scope(kind, main, story.language),
        start=start,
        duration_days=duration,
        end=end,
        due=due,
        quantity=quantity,
        conditions=conditions,
        status=_status(story, cue, start, main),
        evidence=sentence,
        day_number=day_number,
        anchored=kind not in ONE_OFF_KINDS and frames.anchored(main, story.language),
        hours=hours,
        rough_end=rough_end,
        dated=_agreed_on(story, point) if kind not in ONE_OFF_KINDS else None,
        sided=_sided(story, main) if kind in HALTS else None,
    )
    return replace(draft, weight=sum(getattr(draft, name) is not None for name in FIELDS))


def _sided(story: Story, main: str) -> str | None:
    """Whether the sentence calls the halt one side's own ("unilateral") or one made with the other side."""
    cues = rules(story.language)
    if cues.cue("unilateral").search(main):
        return "one"
    return "both" if cues.cue("bilateral").search(main) else None


def _agreed_on(story: Story, point: TimeMention | None) -> Moment | None:
    """The day a sentence dates an agreement: one told exactly and not after the publication ("Ende Mai" ahead
    is when the truce runs, not when it was agreed)."""
    if point is None or point.moment is None or point.approximate:
        return None
    day, anchor = to_date(point.moment), to_date(story.now)
    return point.moment if day is not None and anchor is not None and day <= anchor else None


def _anchored_to_truce(story: Story, main: str) -> bool:
    return frames.anchored(main, story.language)


def due_when_done(story: Story, draft: Draft, done: Sequence[Report]) -> date | None:
    """A swap or a release with no day of its own that the story tells was carried out fell due on the latest
    day it was done: not before the promise was dated (with no such day, in the week before the publication:
    an older act is an earlier one), of the promise's head count, and a release by a side it binds. ``done``: the
    story's fulfilment reports that name their day."""
    if draft.kind not in _ACTS or draft.status == "proposed":
        return None
    published = to_date(story.published)
    since = to_date(draft.dated) or (published - timedelta(days=_DONE_DAYS) if published else None)
    bound = {story.side_of(a) for a in draft.actors}
    days = [
        r.date
        for r in done
        if r.about == draft.kind
        and r.date is not None
        and (since is None or r.date >= since)
        and (draft.quantity is None or r.quantity is None or r.quantity == draft.quantity)
        and (draft.kind != "release" or r.claimed_by is None or story.side_of(r.claimed_by) in bound)
    ]
    return max(days, default=None)


def act_done(story: Story, done: Sequence[Report], kinds: set[str]) -> Commitment | None:
    """ "Belarus released 52 prisoners on Thursday": a handover or swap told only as done this week is the one-off
    promise it kept, by whoever the sentence says handed people over, due on its day. None when the story already
    tells of a promise of that kind (the report then keeps that one) or the act is older news. ``done``: the story's
    fulfilment reports, a day only where the sentence named one; ``kinds``: those of the commitments the story
    keeps."""
    published = to_date(story.published)
    cues = rules(story.language)
    earlier, month, speech = cues.cue("pluperfect"), cues.cue("month_alone"), cues.cue("speech")
    for told in done:
        if told.about not in _ACTS or told.about in kinds or published is None:
            continue
        if told.date is None and (_told_as_before(told.evidence, earlier, speech) or month.search(told.evidence)):
            continue  # "Bereits im Juni hatte Minsk 14 Gefangene freigelassen": told as before, on no day we know
        day = told.date or published  # "Belarus hat 52 Gefangene freigelassen": today's news
        if not 0 <= (published - day).days <= _DONE_DAYS:
            continue
        doers = _doers(story, told)
        if not doers and story.title:
            # "Iran frees two Frenchmen" above "Iran's judiciary said the two men had been released": the headline
            # names who handed them over
            doers = _doers(story, replace(told, evidence=story.title))
        if told.about == "prisoner_exchange" and len(doers) < 2:
            doers = story.sides()
        if not doers:
            continue  # "Separatist rebels … have released New Zealand pilot …": who handed over is not named
        return Commitment(told.about, doers, None, None, None, None, day, told.quantity, (), "agreed", told.evidence)
    return None


def _told_as_before(text: str, earlier: Lexicon, speech: Lexicon) -> bool:
    """A pluperfect tells an act before the news, unless it is the tense of what someone said ("Iran's judiciary said
    the two men had been released": the news itself)."""
    found = earlier.search(text)
    return found is not None and speech.search(text, 0, found.start()) is None


def halt_lapsed(story: Story, lapsed: Sequence[Report], kinds: set[str]) -> Commitment | None:
    """ "The truce between Israel and Hamas expired at 7 a.m. on Friday": a halt told only as lapsed, with its two
    sides and its day, is the promise that ended, ending that day. None when the story tells of a halt of that kind
    (the report keeps that one), or the sentence names no day or not both sides ("the truce had expired" restates no
    terms). ``lapsed``: the story's expiry reports, a day only where the sentence named one."""
    for told in lapsed:
        if told.about not in HALTS or told.about in kinds or told.date is None:
            continue
        sides = tuple(dict.fromkeys(belligerents([m.name for m in story.parties(told.evidence)], story.context)))
        if len(sides) >= 2:
            return Commitment(told.about, sides, None, None, None, told.date, None, None, (), "in_force", told.evidence)
    return None


def _doers(story: Story, report: Report) -> tuple[str, ...]:
    """The parties named as the subject of a handover: before its verb, in its clause, not the speaker; a release
    is by one side."""
    text, cues = report.evidence, rules(story.language)
    verb = cues.cue("swap" if report.about == "prisoner_exchange" else "release").search(text)
    if verb is None:
        return ()
    state = cues.cue("freed_state").search(text)
    if state is not None and state.start() <= verb.start() < state.end():
        return ()  # "Five UN staff members are free again": those named before are the freed, not who freed them
    parts = story.roles_of(text)
    start = clause_cut(text, verb.start())
    mentions = story.parties(text)
    by = cues.cue("by_agent").match(text, verb.end())
    if by is not None:
        stop = clause_end(text, by.end())
        agents = tuple(dict.fromkeys(m.name for m in mentions if by.end() <= m.start < stop))
        if agents:  # "New Zealand pilot freed by Papuan rebels": the one named after "by" (not "freed by Sunday")
            return agents[:1] if report.about == "release" else agents
    before = {m.name for m in mentions if start <= m.start < verb.start()}
    if not before:
        before = set(inverted_subject(text, start, verb, mentions, story.language))  # "übergaben pakistanische Ranger"
    told_after = _told_after(text, verb.start(), mentions, story.language)
    doers = tuple(a for a in parts.actors if a in before and (a not in parts.speakers or a in told_after))
    if not doers and report.about == "release" and cues.cue("self_commit").search(text):
        doers = parts.speakers[-1:]  # "the junta said on Thursday it had pardoned 9,652 prisoners": the speaker did
    return doers[:1] if report.about == "release" else doers


def _told_after(text: str, verb: int, mentions: Sequence[Mention], language: str) -> set[str]:
    """Parties that speak only after the act they are the subject of: "The Houthis freed 113 detainees on Sunday,
    the group's committee said" (not "Russia said Ukraine freed 20", where the speaker stands before the act)."""
    speech = rules(language).cue("speech")
    spoke_before = {m.name for m in mentions if m.start < verb and speech.search(text, m.end, verb)}
    return {m.name for m in mentions if m.start > verb and m.name not in spoke_before}


def _opposed(actors: Sequence[str]) -> bool:
    """Whether the parties include two sides of one known conflict."""
    return len(belligerents(actors, None)) >= 2 and conflict_of(actors) is not None
