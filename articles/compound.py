"""Two claims told in one sentence: each is read as a sentence of its own, so that each gets its own speaker,
accused and day ("Israel accused Iran of firing missiles, a charge Tehran denied").

Only the places where a sentence may be cut are language (the ``answer_joint``, ``contrast``, ``rebuttal_tail``
and ``but_joint`` cues); this module knows how long each side must be and which report kinds make a pair.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from articles import frames
from articles.rules import rules

if TYPE_CHECKING:
    from articles.discourse import Story

__all__ = ["read_apart_if_two"]

_SAYING = ("saying", "telling")  # a joint that hands the second half to the first's speaker
_MIN_CLAUSE = 20  # characters on each side of a colon for it to join two statements rather than a label and text


def read_apart_if_two(story: Story, sentence: str) -> bool:
    """Read a sentence of two claims as two sentences; False when it is one statement."""
    return any(
        split(story, sentence)
        for split in (_answer_and_claim, _claim_against_claim, _claim_and_rebuttal, _kept_but_attacked)
    )


def _answer_and_claim(story: Story, sentence: str) -> bool:
    """ "Ein Kommandeur der SNA wies das zurück: SDF-Einheiten hätten das Feuer eröffnet", "Die M23 wies das zurück
    und beschuldigte die Armee …": a rebuttal and a counter-claim in one sentence are two reports, the second by
    whoever stands before the colon or the "and"."""
    lang = story.language
    left, colon, right = sentence.partition(": ")
    answers = {"denial", "reaction"}
    joint = None
    if not colon and (joint := rules(lang).cue("answer_joint").search(sentence)) is not None:
        left, right = sentence[: joint.start()], sentence[joint.end() :]  # "wies das zurück und beschuldigte …"
        answers = {"denial"}  # "reagierte scharf und warf beiden Seiten vor …" is one accusation
    elif not colon:
        return False
    if len(left) < _MIN_CLAUSE or len(right) < _MIN_CLAUSE:
        return False
    if frames.report_kind(left, lang) not in answers:
        return False
    if not _claims_breach(right, lang):
        return False
    answered = _read_for_claimants(story, left)
    named = story.parties(left)
    if named:
        story.speaker = named[-1].name
    if joint is not None and joint.group(0).lstrip(", ").startswith(_SAYING) and (answered or named):
        # "… rejected that account, telling reporters that it was the rebels who …": the one who denied says it
        story.voiced_by = answered[-1] if answered else named[-1].name
    story.read_sentence(right, headline=False)
    return True


def _claim_against_claim(story: Story, sentence: str) -> bool:
    """ "Kyrgyz officials said Tajik forces kept shelling, while Dushanbe blamed Kyrgyz troops for firing": two
    accusations set against each other are two reports, each read as a sentence of its own."""
    lang = story.language
    cut = rules(lang).cue("contrast").search(sentence)
    if cut is None:
        return False
    left, right = sentence[: cut.start()], sentence[cut.end() :]
    if len(left) < _MIN_CLAUSE or len(right) < _MIN_CLAUSE:
        return False
    if not all(_claims_breach(c, lang) for c in (left, right)):
        return False
    _read_apart(story, left, right)
    return True


def _claim_and_rebuttal(story: Story, sentence: str) -> bool:
    """ "Israel accused Iran of firing missiles after the truce began, a charge Tehran denied": the accusation
    and, told in apposition, its rebuttal are two reports, the second by whoever the apposition names."""
    lang = story.language
    cut = rules(lang).cue("rebuttal_tail").search(sentence)
    if cut is None:
        return False
    left, right = sentence[: cut.start()], sentence[cut.start() :].lstrip(" ,")
    if len(left) < _MIN_CLAUSE or len(right) < _MIN_CLAUSE:
        return False
    if not _claims_breach(left, lang):
        return False
    if frames.report_kind(right, lang) != "denial":
        return False
    _read_apart(story, left, right)
    return True


def _kept_but_attacked(story: Story, sentence: str) -> bool:
    """ "The M23 said it was respecting the ceasefire, but that its positions had been attacked by the army": a side
    keeping the truce and attacked all the same makes two reports, the second told by the first's speaker."""
    lang = story.language
    cut = rules(lang).cue("but_joint").search(sentence)
    if cut is None:
        return False
    left, right = sentence[: cut.start()], sentence[cut.end() :]
    if len(left) < _MIN_CLAUSE or len(right) < _MIN_CLAUSE or frames.report_kind(left, lang) != "compliance":
        return False
    if not _claims_breach(right, lang):
        return False
    kept = _read_for_claimants(story, left)
    named = story.parties(left)
    if kept or named:
        story.voiced_by = kept[-1] if kept else named[0].name
    story.read_sentence(right[:1].upper() + right[1:], headline=False)
    return True


def _claims_breach(clause: str, language: str) -> bool:
    """A clause that claims a breach: it says so, or it tells of an attack."""
    return frames.report_kind(clause, language) == "violation" or frames.describes_attack(clause, language)


def _read_for_claimants(story: Story, left: str) -> list[str]:
    """The first half read as a sentence of its own; who claims what it reported (the second half's speaker)."""
    before = len(story.claims.items)
    story.read_sentence(left + ".", headline=False)
    return [r.claimed_by for r, _ in story.claims.items[before:] if r.claimed_by is not None]


def _read_apart(story: Story, left: str, right: str) -> None:
    """Two claims of one sentence read one by one; the second keeps the day the first named ("… on the same
    day", a rebuttal of the accusation before it)."""
    story.read_sentence(left + ".", headline=False)
    story.paragraph.append(left + ".")
    story.read_sentence(right[:1].upper() + right[1:], headline=False)
