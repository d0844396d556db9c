"""What a story's sentences claim about its promises: who says a promise was broken, kept, fulfilled, extended
or denied, against whom, about which commitment and on what day (the report half of :mod:`articles.discourse`)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from articles import amounts, frames
from articles.claims import fulfilled_kind, head
from articles.conflicts import belligerents
from articles.drafts import HALTS, first_time
from articles.model import ONE_OFF_KINDS, CommitmentKind, Report, ReportKind
from articles.roles import Roles, clause_cut, clause_end
from articles.rules import rules
from articles.temporal import TimeMention, to_date
from articles.timewords import vocabulary

if TYPE_CHECKING:
    from articles.discourse import Story

__all__ = ["both_ways", "report"]

_CONDUCT: frozenset[str] = frozenset({"violation", "compliance", "denial", "expiry"})
_SPAN_REACH = 40  # characters before a month in which "since" makes it a span's bound
_HISTORY_DAYS = 45  # a claim dated this long before the publication is the story's background, not its news


# The times that date a report, in order of preference. A new end date is not the day of an extension; only an expiry
# happens at the end it names. Kept "since it took hold in late July" tells since when, not the day it was said; nor
# does "began on Friday … and was later extended" tell the day of the extension.
_DAY_ROLES: dict[str, tuple[str, ...]] = {
    "expiry": ("end", "point", "said", "start"),
    "compliance": ("point", "said"),
    "extension": ("point", "said"),
}
_DONE: frozenset[str] = frozenset({"fulfilment", "violation"})  # acts told of as done: never after the writing


def report(
    story: Story,
    kind: ReportKind,
    main: str,
    parts: Roles,
    times: list[TimeMention],
    sentence: str,
    named: tuple[str, ...],
    *,
    attack: bool = False,
    reported: str | None = None,
) -> Report | None:
    """One claim: who says it, about which commitment, against whom, on what day."""
    lang = story.language
    if kind == "fulfilment":
        named_kind = fulfilled_kind(main, lang)
    else:
        named_kind = frames.denied_kind(main, lang) if kind == "denial" else frames.mentioned_kind(main, lang)
    if kind == "denial" and (
        rules(lang).cue("denied_support").search(main) or rules(lang).cue("support_charge").search(main)
    ):
        return None  # "Ruanda bestreitet, die Rebellen zu unterstützen", "…, a charge Kigali denies": no promise
    if (
        kind == "denial"
        and not named_kind
        and not frames.describes_attack(main, lang)
        and not _denies_a_claim(story, main)
    ):
        return None  # "Rwanda denies backing the rebels": a denial of something no commitment is about
    if kind == "denial" and not named_kind and story.previous is not None:
        # "Der Kreml wies das am Dienstag zurück" after Zelensky's offer of a pull-out: it denies what was just said
        named_kind = frames.mentioned_kind(story.previous, lang)
    halt = story.halt()
    if attack and halt is not None and (named_kind not in HALTS or all(d.kind != named_kind for d in story.drafts)):
        named_kind = halt.kind  # "struck … terror infrastructure sites" in a story of a truce breaks that truce
    if kind in _CONDUCT and halt is not None and rules(lang).cue("phase").search(main):
        named_kind = halt.kind  # "its first phase ended on 1 March": a phase of the truce, whatever it was to bring
    conduct = kind in _CONDUCT
    page_halt = story.topic(conduct=True) if conduct and halt is None else None
    about: CommitmentKind = (
        story.pinned
        or _known_kind(story, named_kind)
        or (halt.kind if conduct and halt is not None else None)
        or (page_halt if page_halt in HALTS and not _names_people(story, main) else None)
        or (story.drafts[0].kind if story.drafts else story.kind)
        or story.topic(conduct)
        or "ceasefire"
    )
    each_other = bool(rules(lang).cue("group").search(main))
    habitual = rules(lang).cue("habitual").search(main) is not None
    if habitual and ((kind == "violation" and each_other) or kind in {"extension", "denial"}):
        # "both sides have repeatedly accused each other", "seither mehrfach verlängert", "hatte die Vorwürfe stets
        # zurückgewiesen": on no one day
        return None
    accused: tuple[str, ...] = ()
    claimed_by: str | None
    dated = [t for t in times if t.moment is not None]
    if attack:
        # "Die Taliban stellten es umgekehrt dar: Der Beschuss sei von pakistanischer Seite ausgegangen": who stands
        # before the colon tells of the attack after it
        colon = None if parts.speakers else _before_colon(story, main)
        accused = tuple(a for a in parts.actors if a not in parts.speakers and a != colon)[:1] or _attacker(
            story, main, parts
        )
        claimed_by = head(parts.speakers) or colon or reported
        if parts.speakers and rules(lang).cue("own_attack").search(main):
            return None  # "the military said it had struck Hezbollah fighters": a side telling of its own strikes
        if (
            not accused
            and claimed_by
            and (rules(lang).cue("own_target").search(main) or rules(lang).cue("incoming_fire").search(main))
        ):
            # "army aircraft bombed its positions, the RSF says", "more rockets were fired, the army said": the
            # claimant was hit, by the other side of its war
            enemy = story.opponent_of(claimed_by)
            accused = (enemy,) if enemy else ()
        if accused and not claimed_by and _forces_say(main, lang):
            # "Pakistani troops opened fire at Indian positions, the Army said": the other side's army, which the
            # lists do not name by its bare noun, tells of the attack on it
            claimed_by = story.opponent_of(accused[0])
        if not accused or not claimed_by:
            return None  # a breach is a claim: someone named accuses someone named
        if story.context is not None and not belligerents(accused, story.context):
            return None  # "the US strikes on Fordo" in a story of the Israel–Iran truce: the US is bound by none
        day = (to_date(dated[0].moment) if dated else None) or to_date(story.now)
        # a truce in force since a day the story did not give began no later than the day it was agreed
        start = to_date(halt.start or (halt.dated if halt.status != "proposed" else None)) if halt is not None else None
        if story.pinned is None and halt is None and accused[0] not in story.standing:
            return None  # no truce stands that binds the side accused
        if story.pinned is None and halt is not None:
            if halt.status == "proposed" or (day and start and day < start):
                return None  # an attack before the halt began (or a halt only proposed) is no breach
            if start is None:
                story.unsettled.add(sentence)  # its start may come later in the story: judged when the story is read
        if claimed_by == accused[0]:
            claimed_by = story.opponent_of(claimed_by)  # a side does not accuse itself
    elif (
        kind == "violation"
        and each_other
        and (third := _third_party(story, parts))
        and not rules(lang).cue("mutual").search(main)
    ):
        # "Trump accused both sides of breaking the deal": one claim by him against each side, split below
        claimed_by = third
        accused = tuple(n for n in story.sides() if n != claimed_by)
    elif kind == "violation" and each_other and len(set(fighting := belligerents(named, story.context))) >= 2:
        claimed_by, accused = None, tuple(dict.fromkeys(fighting))[:2]  # each accuses the other: split below
    elif kind == "violation" and each_other and not named and len(story.sides()) == 2:
        claimed_by, accused = None, story.sides()  # "Both sides traded accusations": the story's two sides
    elif kind == "violation":
        # "Die Hamas stellte die Lage anders dar: ...": who stands before the colon says what follows it, before the
        # last speaker's indirect speech goes on
        colon = None if parts.accusers else _before_colon(story, main)
        if (colon,) == parts.accused:
            colon = None  # "Er warf Israel vor, gegen das Abkommen zu verstoßen: …": the accused, not who speaks
        if (reported,) == parts.accused:
            reported = None  # "He accused Israel …" after an Israeli spoke: whoever "he" is, Israel accuses not itself
        claimed_by = None if each_other and not parts.accusers else head(parts.accusers) or colon or reported
        accused = parts.accused or ((story.actors or story.recent()) if each_other else ())
        if not each_other and claimed_by is None and (story.speaker,) != parts.accused:
            claimed_by = story.speaker  # an unattributed accusation goes on with the last attribution
        if claimed_by is None and len(accused) == 1 and (parts.accused or rules(lang).cue("speech").search(main)):
            # "the Army said" of the other side's breach; "Er warf Israel vor, …" in a story of Israel and Hamas
            claimed_by = story.opponent_of(accused[0])
        accused = tuple(a for a in accused if a != claimed_by)
        if claimed_by and not accused:
            # "would respond forcefully to the Hezbollah fire": the one fighting party the sentence names besides
            mine = story.side_of(claimed_by)
            named = belligerents([a for a in parts.actors if story.side_of(a) != mine], story.context)
            accused = tuple(dict.fromkeys(named))[:1] if len(set(named)) == 1 else ()
        if claimed_by and (not accused or rules(lang).cue("enemy").search(main)):
            enemy = story.opponent_of(claimed_by)  # "the enemy", or nobody named: the other side
            accused = (enemy,) if enemy else accused
    else:
        claimed_by = head(parts.speakers) or reported or head(parts.actors) or head(named)
        if claimed_by is None and each_other:
            claimed_by = head(story.sides())  # "officials on both sides said the border was calm"
        if kind == "denial":
            claimed_by = _subject_before(story, "report_kinds", "denial", main) or claimed_by
        if kind == "denial" and claimed_by is None:
            claimed_by = story.claims.last_accused()  # "the ministry rejected the accusations": the accused answers
    talks_off = kind == "expiry" and rules(lang).cue("talks_off").search(main) is not None
    if talks_off:
        about = "negotiations"  # "Petro suspended the peace talks": the talks lapsed, not the truce beside them
    elif conduct and about == "negotiations" and halt is not None and not (kind == "denial" and named_kind):
        about = halt.kind  # talks are not broken or kept; the halt they accompany is (denying talks denies them)
    elif kind in {"violation", "compliance"} and about == "negotiations":
        return None  # "an unprovoked violation of its airspace" in a story of talks alone: no promise was broken
    if kind == "fulfilment":
        about = _one_off(story, about)
        if about == "negotiations" and story.screened and not _talks_promised(story, main):
            return None  # "The talks took place one day after …": talks nobody promised fulfil nothing
    deadline = kind in {"expiry", "extension"} and rules(lang).cue("deadline").search(main)
    if kind == "expiry" and not deadline and not talks_off and about in ONE_OFF_KINDS:
        kind = "fulfilment"  # a swap or a handover that "came to an end" was carried out; only a period lapses
        about = _one_off(story, about)
    elif kind == "compliance" and (about in ONE_OFF_KINDS or about == "withdrawal"):
        kind = "fulfilment"  # "der Zeitplan wurde exakt eingehalten" for a pull-out: kept by being carried out
    if deadline:
        # a deadline that lapses or moves is a withdrawal's (or a handover's), not the truce's
        if frames.has_withdrawal(main, lang):
            about = "withdrawal"
        else:
            about = next((d.kind for d in story.drafts if d.kind in {"withdrawal", "release"}), about)
    if kind == "violation" and halt is not None and about in ONE_OFF_KINDS and not _names_people(story, main):
        about = halt.kind  # "breaking the agreement" in a story about a truce: the truce is what was broken
    if kind == "violation" and rules(lang).cue("not_withdrawn").search(main):
        # "the M23 had not left but had only swapped positions": the withdrawal the story promised was broken
        about = next((d.kind for d in story.drafts if d.kind == "withdrawal"), about)
    if kind == "reaction" and story.screened and not _reacts(story, about, claimed_by, main):
        return None
    if kind in _DONE and (written := to_date(story.now)) is not None:
        # "… handed to Red Cross; three more hostages due to be freed next Saturday": a day after the writing
        # dates another act, not the one done
        dated = [t for t in dated if (day := to_date(t.moment)) is None or day <= written]
    hit = first_time(dated, *_DAY_ROLES.get(kind, ("point", "said", "start")))
    quantity = amounts.quantity(main, lang) if kind == "fulfilment" else None
    if kind == "fulfilment" and quantity is None:
        quantity = _named_handed_over(main, lang)
    if kind == "fulfilment" and about == "release" and _half_of_swap(story, quantity):
        about = "prisoner_exchange"
    day = to_date(hit.moment) if hit else None
    if day is None and rules(lang).cue("same_day").search(main):
        day = story.last_day  # "Israel released 39 prisoners the same night": the night the story just told of
    elif day is not None:
        story.last_day = day
    elif (inherited := story.paragraph_day(ahead=kind != "expiry")) is not None:  # a lapse: what came after it
        began = to_date(halt.start) if halt is not None and kind == "violation" else None
        day = None if began is not None and inherited < began else inherited  # a breach is never dated before it
    told_day = day
    if day is None and story.entry is not None:
        day = to_date(story.entry)  # a live blog entry's claim happened, as far as it tells, on the entry's day
    published = to_date(story.now)
    if story.screened and day is not None and published is not None and (published - day).days > _HISTORY_DAYS:
        return None  # "Im Januar hatte er die Gespräche ausgesetzt" on an April page: history (an editor means it)
    month = rules(lang).cue("month_alone").search(main) if story.screened and told_day is None else None
    # a live blog entry dates what it tells unless a month opens the sentence ("Last January the military freed …")
    fronted = month is not None and (day is None or not main[: month.start()].strip())
    if month is not None and fronted and published is not None and _months_before(month, main, lang, published) > 1:
        return None  # "after a drone strike in January killed three soldiers" on a September page: history too
    return Report(kind, about, accused, claimed_by, day, quantity, sentence)


_LIST_TOKEN = re.compile(r"[\w'’-]+|,")


def _named_handed_over(main: str, language: str) -> int | None:
    """How many people a handover names one by one ("handed Romi Gonen, Emily Damari and Doron Steinbrecher to the
    Red Cross"): one per run of capitalised words, where no head count is given."""
    hit = rules(language).cue("named_handover").search(main)
    if hit is None:
        return None
    runs, inside = 0, False
    for token in _LIST_TOKEN.findall(hit.group("names")):
        capital = token[0].isupper()
        runs += capital and not inside
        inside = capital
    return runs or None


_YEAR = 12


def _months_before(hit: re.Match[str], main: str, language: str, published: date) -> int:
    """How many months before the page the month a sentence names without its day (``hit``) lies ("in January" on
    a September page: 8; "in December" on a March page: 3, for a report tells of what has happened)."""
    if rules(language).cue("month_span").search(main, max(0, hit.start() - _SPAN_REACH), hit.end()):
        return 0  # "respected since it took hold in late July", "bis Ende Juni": a span reaching the present or beyond
    words = vocabulary(language).months
    month = next((words[w] for w in hit.group(0).lower().split() if w in words), None)
    if month is None:
        return 0
    months = (published.month - month) % 12
    # "last January" in a January paper: a year ago, not this month
    return months or (_YEAR if hit.groupdict().get("last") else 0)


def _third_party(story: Story, parts: Roles) -> str | None:
    """The accuser or speaker of a sentence when it stands on neither side of the story's conflict."""
    accuser = head(parts.accusers) or head(parts.speakers)
    return accuser if accuser is not None and story.context is not None and story.side_of(accuser) == accuser else None


def both_ways(story: Story, report: Report | None) -> list[Report]:
    """ "Moscow and Kyiv accuse each other of ...": one claim by each side against the other; a mediator's claim
    against both sides: one against each."""
    if report is None:
        return []
    third = report.claimed_by is not None and story.side_of(report.claimed_by) == report.claimed_by
    if report.kind == "violation" and third and len(report.accused) == 2 and story.context is not None:
        return [replace(report, accused=(a,)) for a in report.accused]
    if report.kind != "violation" or report.claimed_by or len(report.accused) != 2:
        return [report]
    a, b = report.accused
    return [replace(report, claimed_by=a, accused=(b,)), replace(report, claimed_by=b, accused=(a,))]


_OWNER_GAP = re.compile(r"(?:['’]s)?\s+")  # a party and the claim it owns ("Moscow's claims", "Russian account")


def _subject_before(story: Story, group: str, label: str, main: str) -> str | None:
    """The party named in the clause just before a cue ("Ankara on Thursday denied ..."); not the one whose claim
    is denied ("Baku said the Russian account does not reflect the truth")."""
    cues = rules(story.language)
    match = cues.labelled(group, label).pattern.search(main)
    if match is None:
        return None
    stretch = main[clause_cut(main, match.start()) : match.start()]
    matter, pronoun = cues.cue("denied_matter"), cues.cue("denied_pronoun")
    named = [
        m.name
        for m in story.parties(stretch)
        if not (
            (gap := _OWNER_GAP.match(stretch, m.end)) is not None
            and (claim := matter.match(stretch, gap.end())) is not None
            and not pronoun.fullmatch(claim.group(0))
        )
    ]
    return named[-1] if named else None


def _attacker(story: Story, main: str, parts: Roles) -> tuple[str, ...]:
    """ "Thai soldiers fired on civilians, Cambodia said": a side's fighters named before the attack fired it, though
    the roles keep people ("175 Russian soldiers") out of the actors."""
    cues = rules(story.language)
    hit = cues.cue("attack").search(main)
    if hit is None:
        return ()
    fighters = [
        m.name
        for m in story.parties(main)
        if m.end <= hit.start()
        and m.name not in parts.speakers
        and cues.cue("person_after").match(main, m.end)
        and not cues.cue("oblique").search(main, max(0, m.start - 40), m.start)
    ]
    return tuple(n for n in fighters if n in parts.accused)[:1]


def _forces_say(main: str, language: str) -> bool:
    """The clause that attributes the sentence names an army ("…, the Army said in a statement", "teilte das
    Militär mit"), not residents, a civil defence agency or the authorities counting the dead."""
    cues = rules(language)
    for said in cues.cue("speech").finditer(main):
        start = max(main.rfind(",", 0, said.start()), main.rfind(";", 0, said.start()), 0)
        stop = clause_end(main, said.end())
        if cues.cue("forces_source").search(main, start, stop):
            return True
    return False


def _before_colon(story: Story, main: str) -> str | None:
    colon = main.find(":")
    return _last_named(story, main[:colon]) if colon > 0 else None


def _last_named(story: Story, text: str) -> str | None:
    """The party a stretch of text names last: the subject right before what it says."""
    named = story.parties(text)
    return named[-1].name if named else None


def _one_off(story: Story, kind: CommitmentKind) -> CommitmentKind:
    """What a handover fulfils: the exchange the story promised when it promised no separate release, and
    the story's one handover when the sentence names none ("the first three hostages came free")."""
    kinds = [d.kind for d in story.drafts]
    if kind in {"release", "prisoner_exchange"} and kind not in kinds:
        other: CommitmentKind = "prisoner_exchange" if kind == "release" else "release"
        if other in kinds:
            return other
    if kind not in ONE_OFF_KINDS and kind != "withdrawal":  # a pullback completed fulfils the withdrawal
        return next((k for k in kinds if k in {"release", "prisoner_exchange"}), "release")
    return kind


def _half_of_swap(story: Story, quantity: int | None) -> bool:
    """A handover of as many people as a swap the story told of as done, where it promised no release of its own:
    one side of that swap ("Both sides handed over 75 people", "107 of its servicemen had been returned")."""
    return (
        quantity is not None
        and all(d.kind != "release" for d in story.drafts)
        and any(
            r.kind == "fulfilment" and r.about == "prisoner_exchange" and r.quantity == quantity
            for r, _ in story.claims.items
        )
    )


def _talks_promised(story: Story, main: str) -> bool:
    """The story promised talks, or the sentence says they met as one had ("did meet as planned")."""
    return any(d.kind == "negotiations" for d in story.drafts) or bool(
        rules(story.language).cue("as_planned").search(main)
    )


def _names_people(story: Story, main: str) -> bool:
    return rules(story.language).cue("persons").search(main) is not None


def _reacts(story: Story, about: CommitmentKind, claimed_by: str | None, main: str) -> bool:
    """A reaction worth a report: a side of the conflict answering a promise made by others, or a proposal."""
    if claimed_by is None or not story.drafts:
        return False
    if story.context is not None and claimed_by not in frozenset().union(*story.context):
        return False  # commentators, mediators and the UN react; only the sides' answers count
    if rules(story.language).cue("proposal").search(main):
        return True  # "rejected extending the phase in the format Israel is proposing": a side of the deal answers
    draft = next((d for d in story.drafts if d.kind == about), story.drafts[0])
    return claimed_by not in draft.actors or draft.status == "proposed"  # a side answers a proposal made to it


def _known_kind(story: Story, kind: CommitmentKind | None) -> CommitmentKind | None:
    """ "The truce has held" in a story about an energy halt is about that halt, not a new general ceasefire."""
    known = [d.kind for d in story.drafts]
    if kind == "ceasefire" and kind not in known:
        return next((k for k in known if k in HALTS), kind)
    return kind


def _denies_a_claim(story: Story, main: str) -> bool:
    """The denial names a claim ("denied the accusations"), or "this" when the sentence just before it named a
    promise or an attack ("… accuse Rwanda of arming the M23. Kigali denies this." answers no claim about a truce)."""
    cues = rules(story.language)
    matters = [m.group(0) for m in cues.cue("denied_matter").finditer(main)]
    if not matters:
        return False
    before = story.previous
    if not all(cues.cue("denied_pronoun").fullmatch(m) for m in matters) or before is None:
        return True
    return bool(frames.mentioned_kind(before, story.language) or frames.describes_attack(before, story.language))
