"""The article as a whole: what each sentence's frame adds to the commitments and reports the story makes.

Sentences are read in order. Each one is normalised (number words -> digits), classified (frames), its parties
given roles (entities) and its times resolved (temporal); what it leaves open comes from the story so far ("both
sides", "it", "will" inherit the last promise). Mentions of one commitment merge, later ones only filling gaps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, tzinfo

from articles import amounts, compound, frames, history, outcome, promises, reports, standing
from articles.claims import Claims
from articles.conflicts import belligerents, conflict_of, in_passing, is_armed, opponent
from articles.drafts import HALTS, Draft, compatible, fill, first_time
from articles.entities import (
    Mention,
    find_parties,
    head_index,
    introduced,
    local_zone,
    named_parties,
    resolve_heads,
    resolve_introduced,
)
from articles.model import (
    ONE_OFF_KINDS,
    CommitmentKind,
    Language,
    Moment,
    Report,
)
from articles.roles import Roles, roles
from articles.rules import data, rules
from articles.temporal import Direction, TimeMention, find_times, to_date

__all__ = ["Story"]

_BLOCKING: frozenset[str] = frozenset({"violation", "denial", "reaction", "compliance", "expiry", "fulfilment"})
_RESTATING: frozenset[str] = frozenset({"compliance", "expiry"})
_MAX_SENTENCE = 1500  # longer "sentences" are scraping accidents; reading them costs time and finds nothing
_TERMS_WINDOW = 10  # how many sentences after "the deal's terms are:" still read as its items
_CLOSING = " \"'»«“”„’)"  # quotation marks and brackets after a sentence's last stop
_PARAGRAPH_DAYS = 7  # a day this close before the publication, named earlier in a paragraph, dates its claims
_RECENT_DAYS = 31  # a day this close before the publication makes "had agreed" news, not history
_MEDIATOR_REACH = 40  # characters between an outsider's name and the word that makes it the mediator


@dataclass(slots=True)
class Story:
    """What one sentence leaves for the next: the parties and the kind the story is talking about."""

    language: Language
    published: Moment
    local: tzinfo | None
    body: str
    pinned: CommitmentKind | None = None  # the commitment a /report names; every report is about it
    actors: tuple[str, ...] = ()
    read: list[str] = field(default_factory=list)  # sentences so far, for "the two delegations" of the last one
    kind: CommitmentKind | None = None
    drafts: list[Draft] = field(default_factory=list)
    claims: Claims = field(default_factory=Claims)
    context: tuple[frozenset[str], ...] | None = None
    speaker: str | None = None  # the last named speaker, whose claims indirect speech goes on to report
    voiced_by: str | None = None  # who says the next sentence read (the second half of "X rejected it, saying …")
    terms_left: int = 0  # sentences still read as items of a listed deal
    armed: bool = True  # the story is about an armed conflict; others state no commitments at all
    _mentions: dict[str, list[Mention]] = field(default_factory=dict, repr=False)
    screened: bool = True  # a whole page is screened for war; an editor's one-line report is taken as meant
    title: str = ""
    last_day: date | None = None  # the day the last dated claim happened on ("the same night" goes on with it)
    unsettled: set[str] = field(default_factory=set)  # sentences telling attacks before the halt's start was given
    breaches: dict[tuple[object, ...], bool] = field(default_factory=dict)  # claim -> settled by some mention
    early: list[standing.Early] = field(default_factory=list)  # attacks told before any halt: breaches once one is told
    held_since: Moment | None = None  # "the guns have been silent since Tuesday", told before the truce itself
    truce_sides: tuple[str, ...] = ()  # the two parties a sentence named a truce between, drafted or not
    standing: tuple[str, ...] = ()  # the sides of a truce a sentence told of as broken or in force, drafted or not
    unbound: Draft | None = None  # a promise the last sentence stated without naming whom it binds
    paragraph: list[str] = field(default_factory=list)  # the sentences of the paragraph read so far
    following: str = ""  # the paragraph's next sentence, which may tell the day of a claim the current one makes
    entry: Moment | None = None  # the live blog entry the paragraph being read belongs to: when it was written
    _topics: tuple[CommitmentKind | None, CommitmentKind | None] | None = field(default=None, init=False, repr=False)
    _roles: dict[str, Roles] = field(default_factory=dict, init=False, repr=False)
    _heads: dict[str, set[str]] = field(default_factory=dict, init=False, repr=False)  # "armee": who was named so
    _introduced: frozenset[str] = field(default=frozenset(), init=False, repr=False)  # unknown names the page gave

    def parties(self, text: str) -> list[Mention]:
        """The party mentions of a text, looked up once per story (sentences are read again and again)."""
        found = self._mentions.get(text)
        if found is None:
            found = find_parties(text, self.language)
            if self._heads:
                found = resolve_heads(text, found, self._heads, self.language)
            if self._introduced:
                found = resolve_introduced(text, found, self._introduced)
            self._mentions[text] = found
        return found

    def roles_of(self, text: str) -> Roles:
        """Who does what in a sentence, worked out once (the truce's sides and the sentence's reports both ask)."""
        found = self._roles.get(text)
        if found is None:
            found = self._roles[text] = roles(text, self.parties(text), self.language)
        return found

    def __post_init__(self) -> None:
        mentions = self.parties(self.body)
        self._heads = head_index(self.body, mentions, self.language)
        self._introduced = introduced(mentions)
        names = [m.name for m in mentions]
        self.context = conflict_of(names)
        if self.screened and self.context is not None and in_passing(self.body, self.language, mentions, self.context):
            self.context = None  # screened as a page of no war: two warring states named once each in a list
        if self.screened and self.context is None:
            self.armed = is_armed(self.body, self.language, names, to_date(self.published))

    @property
    def previous(self) -> str | None:
        """The sentence read just before the one being read (whose main clause ``read`` already holds)."""
        return self.read[-2] if len(self.read) > 1 else None

    @property
    def now(self) -> Moment:
        """When the sentence being read was written: its live blog entry's time, else the publication's."""
        return self.entry if self.entry is not None else self.published

    def recent(self) -> tuple[str, ...]:
        """The parties of the latest sentence that names at least two (looked up only when needed); when that
        sentence names an outsider as the mediator ("with Turkey acting as facilitator"), the others."""
        for text in reversed(self.read):
            named = named_parties(text, self.language, self.parties(text))
            if len(named) >= 2:
                bound = belligerents(named, self.context)
                return bound if len(bound) >= 2 and self.mediators_in(text, bound) else named
        return ()

    def mediators_in(self, text: str, bound: Sequence[str]) -> bool:
        """An outsider the sentence names right beside a mediating word ("with Turkey acting as facilitator")."""
        cue = rules(self.language).cue("mediating")
        return any(
            cue.search(text, max(0, m.start - _MEDIATOR_REACH), m.end + _MEDIATOR_REACH) is not None
            for m in self.parties(text)
            if m.name not in bound
        )

    def read_all(self, sentences: Iterable[str], *, headline: bool = False) -> None:
        """Feed the sentences in order as one paragraph."""
        self.read_paragraphs([sentences], headline=headline)

    def read_paragraphs(
        self, paragraphs: Iterable[Iterable[str]], *, headline: bool = False, written: Sequence[Moment | None] = ()
    ) -> None:
        """Feed each paragraph's sentences in order, skipping exact repeats (duplicated headlines, pasted
        paragraphs); a paragraph's earlier sentences may date a later one's claim. ``written`` gives a live blog
        paragraph's entry time, from which its relative days count."""
        if not self.armed:
            return
        seen: set[str] = set()
        for index, paragraph in enumerate(paragraphs):
            self.paragraph = []
            self.entry = written[index] if index < len(written) else None
            sentences = [" ".join(raw.split())[:_MAX_SENTENCE] for raw in paragraph]
            for at, sentence in enumerate(sentences):
                if not sentence or sentence in seen:
                    continue
                seen.add(sentence)
                self.following = sentences[at + 1] if at + 1 < len(sentences) else ""
                self.read_sentence(sentence, headline=headline)
                self.paragraph.append(sentence)
            self.following = ""

    def paragraph_day(self, *, ahead: bool = True) -> date | None:
        """The day the nearest earlier sentence of the paragraph names, else (with ``ahead``) the very next one, when
        it lies in the days before the publication: "Afghan posts opened fire on Tuesday, a spokesman said. The Taliban
        told it the other way round: ..." happened on that Tuesday too; so did "The truce is extended. The delegations
        announced it on Sunday." """
        anchor = to_date(self.now)
        for text in [*reversed(self.paragraph), self.following if ahead else ""]:
            found = find_times(text, self.now, language=self.language, local=self.local, default="past")
            hit = first_time([t for t in found if t.moment is not None], "point", "said", "start")
            if hit is None:
                continue
            day = to_date(hit.moment)
            recent = anchor is not None and day is not None and 0 <= (anchor - day).days <= _PARAGRAPH_DAYS
            return day if recent else None
        return None

    # -- one sentence -------------------------------------------------------------------------------------------

    def read_sentence(self, sentence: str, *, headline: bool) -> None:
        """Add what one sentence says to the story (a sentence of two claims is read as two)."""
        lang = self.language
        cues = rules(lang)
        if not headline and compound.read_apart_if_two(self, sentence):
            return
        if (
            sentence.rstrip(_CLOSING).endswith("?")
            or cues.cue("open_question").match(sentence)
            or cues.cue("reader_address").search(sentence)
        ):
            # "Wie reagiert Kiew?", "Will the truce hold?", "• Wann und wo die nächste Runde stattfinden soll.": a
            # question, asked or listed as open, states nothing; nor do words to the reader ("… in the link below")
            return
        self.terms_left -= 1
        pending, self.unbound = self.unbound, None
        voiced, self.voiced_by = self.voiced_by, None
        if sentence.endswith(":") and frames.status(sentence, lang) in {"agreed", "announced"}:
            self._introduce_terms(sentence)
        text = amounts.normalise(sentence, lang)
        anchor = to_date(self.now)
        main = frames.split_conditions(text, lang)
        self.read.append(main)
        standing.note_truce_sides(self, main)
        background = anchor is None or history.is_background(text, anchor.year, lang, self._dated_recently)
        report_kind = None if background else frames.report_kind(main, lang)
        standing.note_standing(self, main, report_kind, background)
        if background:
            return
        # "the 42-day truce that began on 19 January runs out today": a report that restates the length states terms
        # ... and "guns have fallen silent after two commanders agreed to a ceasefire" tells of the agreement too
        restates = report_kind in _RESTATING and (
            amounts.duration_days(main, lang) is not None
            or (report_kind == "compliance" and not self.drafts and frames.status(main, lang) == "agreed")
        )
        found = [] if report_kind in _BLOCKING and not restates else frames.commitment_kinds(main, lang)
        if found and cues.cue("keep_order").search(main):
            found = []  # "units are under orders to observe the ceasefire": a truce that stands, no new promise
        halt = self.halt() if restates and cues.cue("phase").search(main) else None
        if halt is not None:
            found = [halt.kind]  # "its first phase of six weeks ended on 1 March" restates the truce's terms
        if (
            not found
            and report_kind is None
            and cues.cue("swap").search(frames.before_record(main, lang))
            and not frames.talked_about(lang, "swap", main)
            and self._swapping()
        ):
            found = ["prisoner_exchange"]  # "the next exchange is due on 22 February" in a story of swaps
        if not found and report_kind is None and (revived := self._in_force_again(main)) is not None:
            found = [revived]
        attacking = (
            report_kind is None
            and not found
            and frames.describes_attack(main, lang)
            and not cues.cue("modal_future").search(main)
        )
        attack = attacking and (self.pinned in HALTS or (self.pinned is None and (self.halt() or self.standing)))
        if attack:
            report_kind = "violation"  # an attack reported while a halt stands is a claim that it was broken
        # one told before the story names any halt ("Pakistani troops opened fire …" above "the 2021 understanding"):
        # a claim of a breach once the story has told of one, judged when it is read
        early = attacking and self.screened and self.pinned is None and not self.drafts
        if headline:
            if report_kind in _BLOCKING:
                return  # a headline that reports on a promise restates it less exactly than the story does
            report_kind = None
        blocked = report_kind in _BLOCKING and not restates
        anaphora = not found and not blocked and bool(self.drafts) and self._refers_back(main)
        if report_kind is None and not found and not anaphora and not early:
            self.attach_conditions(text)
            self._note_speaker(main)
            if pending is not None:
                self._bind(pending, main)
            return
        mentions = self.parties(main)
        named = tuple(dict.fromkeys(m.name for m in mentions))
        default: Direction = "past" if report_kind is not None or attacking else "future"  # reports tell what happened
        local = self.local
        if any(w in text.lower() for w in data(lang, "calendar")["local_time"]) or "local time" in text.lower():
            local = (
                local_zone(text, lang, self.context, self.parties(text)) or local
            )  # local to the place this sentence names first
        times = find_times(text, self.now, language=lang, local=local, default=default)
        parts = self.roles_of(main)
        reported = self.speaker if not parts.speakers and cues.cue("reported_speech").search(main) else None
        if reported is None and not parts.speakers:
            reported = voiced
        if early:
            self.early.append(standing.Early(main, parts, tuple(times), sentence, named, reported))
            return
        if report_kind == "compliance":
            standing.held_since(self, times)
        if report_kind is not None:
            report = reports.report(
                self, report_kind, main, parts, times, sentence, named, attack=bool(attack), reported=reported
            )
            self.add_claims(report, sentence)
        if not blocked:
            promises.from_sentence(self, text, main, parts, times, sentence, found, headline=headline)
        if parts.speakers:
            self.speaker = parts.speakers[0]

    def add_claims(self, report: Report | None, sentence: str) -> None:
        for claim in reports.both_ways(self, report):
            if claim.kind == "violation":
                key = outcome.breach_key(claim)
                self.breaches[key] = self.breaches.get(key, False) or sentence not in self.unsettled
            self.claims.add(claim)
            self.kind = claim.about

    def _bind(self, pending: Draft, main: str) -> None:
        """ "Two umbrella groups signed a fresh pact on Thursday. The meeting between the ministry and the KNO and
        UPF was held in New Delhi.": the parties the next sentence names are who the promise binds."""
        named = tuple(dict.fromkeys(m.name for m in self.parties(main) if not m.person))
        if len(named) >= 2:
            self.add_draft(replace(pending, actors=named))
            self.actors = named

    def _dated_recently(self, text: str) -> bool:
        """The sentence names a day in the weeks before the publication ("am 2. Juni", nine days before)."""
        anchor = to_date(self.now)
        days = [to_date(t.moment) for t in find_times(text, self.now, language=self.language, default="past")]
        return anchor is not None and any(d is not None and 0 <= (anchor - d).days <= _RECENT_DAYS for d in days)

    def _introduce_terms(self, sentence: str) -> None:
        """ "The statement signed by A, B and C says:": the items that follow are its terms, bound on its parties."""
        parties = named_parties(sentence, self.language, self.parties(sentence))
        if parties:
            self.actors = parties
        self.terms_left = _TERMS_WINDOW

    def _note_speaker(self, main: str) -> None:
        """Remember who spoke last: German indirect speech in the next sentences ("habe", "sei") is theirs."""
        cues = rules(self.language)
        if cues.cue("speech").search(main) or cues.cue("late_speech").search(main):
            speakers = self.roles_of(main).speakers
            if speakers:
                self.speaker = speakers[0]
        if cues.cue("source_of_last").match(main):
            # all it names is who said it: "Das teilte das Weiße Haus in Washington mit."
            source = next((m.name for m in self.parties(main) if not m.person), None)
            if source is not None:
                self.speaker = source
                self._source_last(source)

    def _source_last(self, source: str) -> None:
        """ "Die Feuerpause wird verlängert. Das teilte das Weiße Haus mit.": the claims of the sentence before are
        the source's, not its subject's (a side is never its own accuser)."""
        before = self.paragraph[-1] if self.paragraph else None
        for at, (claim, weight) in enumerate(self.claims.items):
            if claim.evidence == before and source not in claim.accused:
                self.claims.items[at] = (replace(claim, claimed_by=source), weight)

    def topic(self, conduct: bool) -> CommitmentKind | None:
        """The commitment the page is about when a claim names none and the story has stated none yet ("Moscow
        and Kyiv accuse each other of never keeping to it" under a headline about the energy moratorium): the
        kind the headline names, else the one its paragraphs name most. A claim about conduct (kept, broken)
        is about the truce or halt the page names, when it names one."""
        if self._topics is None:
            lang = self.language
            title = frames.mentioned_kind(self.title, lang) if self.title else None
            counts = Counter(frames.mentioned_kind(p, lang) for p in self.body.split("\n"))
            counts.pop(None, None)
            ranked = [k for k, _ in counts.most_common() if k is not None]
            overall = title or (ranked[0] if ranked else None)
            halt = next((k for k in ([title] if title in HALTS else []) + ranked if k in HALTS), None)
            self._topics = (overall, halt or overall)
        return self._topics[1] if conduct else self._topics[0]

    def halt(self) -> Draft | None:
        """The halt the story is about, if it has one."""
        return next((d for d in self.drafts if d.kind in HALTS), None)

    def _swapping(self) -> bool:
        """The story is about prisoners or hostages handed over: a swap or a release promised, or carried out."""
        kinds = {d.kind for d in self.drafts} | {r.about for r, _ in self.claims.items}
        return bool(kinds & {"prisoner_exchange", "release"})

    def _refers_back(self, main: str) -> bool:
        """A sentence about the promise just made: "It will ...", "Die Vereinbarung ...", "... such attacks". A
        pronoun points back only to the sentence before it, so that one must have told of a promise ("For months
        China squeezed the group. It shut the border ... since late October" says nothing of the truce)."""
        cues = rules(self.language)
        if cues.cue("pronoun").match(main):
            before = self.previous
            return before is not None and bool(frames.mentioned_kind(before, self.language))
        return cues.cue("backref").search(main) is not None

    def _in_force_again(self, main: str) -> CommitmentKind | None:
        """ "The truce had been agreed in Luanda last week. It has been in force since midnight on Sunday.": a
        pronoun stating that a promise the sentence before told only as history holds now makes it news."""
        lang = self.language
        before = self.previous
        if before is None or not rules(lang).cue("pronoun").match(main) or frames.status(main, lang) != "in_force":
            return None
        kind = frames.mentioned_kind(before, lang)
        return None if kind is None or any(d.kind == kind for d in self.drafts) else kind

    def _adds_terms(self, main: str, times: list[TimeMention]) -> bool:
        """What a sentence pointing back ("It will ...", "Sie ist auf 180 Tage angelegt") adds to the last promise:
        a start or an end, a day for a one-off act, or a length."""
        last = self.drafts[-1]
        if any(t.role in {"start", "end"} or t.immediate for t in times):
            return True
        if last.kind in ONE_OFF_KINDS and any(t.role == "point" and t.moment is not None for t in times):
            return True
        return last.kind not in ONE_OFF_KINDS and amounts.period(main, self.language) is not None

    def attach_conditions(self, text: str) -> None:
        """ "Voraussetzung sei, dass ...": a sentence that only states a condition qualifies the last promise."""
        if self.drafts and not self.drafts[-1].conditions and frames.names_condition(text, self.language):
            self.drafts[-1] = replace(self.drafts[-1], conditions=frames.conditions(text, self.language))

    def side_of(self, name: str) -> str:
        """The side of the story's conflict a party is on (its own name when it is on none)."""
        for index, side in enumerate(self.context or ()):
            if name in side:
                return f"side {index}"
        return name

    def sides(self) -> tuple[str, ...]:
        """The story's two sides as it names them: the most-mentioned party of each side of its conflict."""
        if self.context is None:
            return ()
        counts = Counter(m.name for m in self.parties(self.body))
        out: list[str] = []
        for side in self.context:
            named = [(counts[n], n) for n in side if counts[n]]
            if named:
                out.append(max(named)[1])
        return tuple(out)

    def opponent_of(self, name: str) -> str | None:
        """The other side of the story's conflict, as the story names it most (a side of several parties, such as
        the Yemeni government and the Saudi-led coalition, is its most-mentioned one). The truce the story is about
        comes first: its other party is who a breach of it is laid on ("Israel" against "Hezbollah", not "Lebanon")."""
        halt = self.halt()
        for sides in (halt.actors if halt is not None else (), self.truce_sides):
            others = [a for a in sides if a != name]
            if name in sides and len(others) == 1:
                return others[0]
        known = opponent(name, self.context)
        if known is not None or self.context is None:
            return known
        mine = self.side_of(name)
        return next((n for n in self.sides() if self.side_of(n) != mine), None) if mine != name else None

    def restates_last(self, main: str, times: list[TimeMention]) -> bool:
        return bool(self.drafts) and self._refers_back(main) and self._adds_terms(main, times)

    def add_draft(self, new: Draft, *, create: bool = True) -> None:
        """Merge into an earlier mention of the same commitment (filling its gaps) or add a new one.

        A headline only fills gaps of what the story states: it is read last, and never adds a promise of its own.
        """
        for index, old in enumerate(self.drafts):
            if compatible(old, new, self.side_of):
                self.drafts[index] = fill(old, new)
                return
        if create:
            first_halt = new.kind in HALTS and self.halt() is None and new.status != "proposed"
            if first_halt and new.start is None and not new.anchored and self.held_since is not None:
                new = replace(new, start=self.held_since)  # the day the story said it has held since
            self.drafts.append(new)
