"""Truces that stand without the story stating them, and attacks told before the story names its halt.

A story may tell a truce only as history ("the truce agreed in 2020 has held") or name its sides in passing ("a week
after the truce between Israel and Hezbollah began"); attacks of one side on the other are then breaches of it. An
attack told before any halt is kept until the story has been read, then judged against the halt it names.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from articles import frames, reports
from articles.conflicts import belligerents
from articles.drafts import HALTS, first_time
from articles.model import ReportKind
from articles.roles import Roles
from articles.rules import rules
from articles.temporal import TimeMention

if TYPE_CHECKING:
    from articles.discourse import Story

__all__ = ["Early", "held_since", "note_standing", "note_truce_sides", "settle_early_attacks"]


@dataclass(frozen=True, slots=True)
class Early:
    """An attack a sentence told before the story named any halt, kept to be judged once the story is read."""

    main: str
    parts: Roles
    times: tuple[TimeMention, ...]
    sentence: str
    named: tuple[str, ...]
    reported: str | None


def settle_early_attacks(story: Story) -> None:
    """The attacks told before the story named its halt, read as claims of a breach now that it has one (or
    dropped when it has none); each stands only if it happened after the halt began."""
    halt = story.halt()
    if halt is not None or story.standing:
        for told in story.early:
            if halt is not None:
                story.unsettled.add(told.sentence)  # judged against the halt's start once it is known
            report = reports.report(
                story,
                "violation",
                told.main,
                told.parts,
                list(told.times),
                told.sentence,
                told.named,
                attack=True,
                reported=told.reported,
            )
            story.add_claims(report, told.sentence)
    story.early.clear()


def note_truce_sides(story: Story, main: str) -> None:
    """ "Eine Woche nach Beginn der Waffenruhe zwischen Israel und der Hisbollah ...": the two sides of the truce
    the story is about, even where the sentence states no truce of its own."""
    cues = rules(story.language)
    if cues.cue("between_word").search(main) and cues.cue("ceasefire_word").search(main):
        between = story.roles_of(main).between
        if len(between) == 2:
            story.truce_sides = between


def note_standing(story: Story, main: str, report_kind: ReportKind | None, background: bool) -> None:
    """ "a breach of the truce, Lebanese officials say", "the truce agreed in 2020 has held": a truce between the
    story's sides stands, though the story states none; their attacks on each other are breaches."""
    lang = story.language
    if story.standing or story.context is None or not rules(lang).cue("ceasefire_word").search(main):
        return
    kind = frames.report_kind(main, lang) if background else report_kind  # a history's kind was not asked yet
    told = (
        kind == "violation"
        or frames.status(main, lang) == "in_force"
        or rules(lang).cue("keep_order").search(main) is not None  # troops under orders to keep the truce
    )
    if told and frames.mentioned_kind(main, lang) in HALTS:
        # a truce binds two sides: one named ("the Armenian troops are to keep the truce") stands for the story's two
        named = belligerents([m.name for m in story.parties(main)], story.context)
        story.standing = named if len(set(named)) >= 2 else story.sides()


def held_since(story: Story, times: list[TimeMention]) -> None:
    """ "Seit Dienstag schweigen die Waffen", "the truce has held since Saturday": the day the halt the story is
    about began, when no sentence said so."""
    halt = story.halt()
    since = first_time([t for t in times if t.moment is not None], "start")
    if halt is None and since is not None and story.held_since is None:
        story.held_since = since.moment  # for the truce a later sentence states
    if halt is not None and halt.start is None and since is not None and not halt.anchored:
        index = next(i for i, draft in enumerate(story.drafts) if draft is halt)
        story.drafts[index] = replace(halt, start=since.moment)
