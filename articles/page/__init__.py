"""Page layer: a scraped news page (plain text) becomes headline, publication moment, language and story text.

Scraped pages carry navigation, captions, buttons, ads and link lists around the story, and put the publication
stamp wherever their template does. The steps, one module each:

* :mod:`.normalise` — lines without invisible characters or whitespace runs; the content hash;
* :mod:`.stamp` (with :mod:`.dates`, :mod:`.alone` and :mod:`.undated`) — the publication stamp, wherever it stands,
  cut out of its line;
* :mod:`.boilerplate` — navigation, buttons, captions, credits, ads, link lists, promos;
* :mod:`.title` — the headline, without breadcrumb number, site name or glued kicker;
* :mod:`.language`, :mod:`.story`, :mod:`.sentences` — language, paragraphs, sentences.

All of them work on the *shape* of a line plus the word lists of ``resources/<lang>/page.yaml``; no step needs
``dateparser`` except a last-resort stamp reading, because extraction must handle well over 100 articles a second.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from articles.model import ArticleError, Language, Moment, day_of
from articles.page.boilerplate import strip_boilerplate
from articles.page.dates import day_heading, localise, moment
from articles.page.language import detect_language
from articles.page.normalise import content_hash, key, read
from articles.page.sentences import split_paragraph, split_sentences
from articles.page.stamp import NO_DATE, find_publication
from articles.page.story import is_paragraph, pieces, strip_dateline
from articles.page.ticker import Entry, is_ticker
from articles.page.ticker import moments as entry_moments
from articles.page.title import clean_title, headline_end, same_headline, title_index, undouble

__all__ = ["NO_DATE", "Page", "content_hash", "detect_language", "parse_page", "split_sentences"]

_MAX_FALLBACK_TITLE = 150
_MIN_TEASER_WORDS = 6
_MAX_TEASER_WORDS = 40


@dataclass(frozen=True, slots=True)
class Page:
    """The parts of a scraped page that extraction needs; boilerplate is already gone."""

    title: str
    published: Moment
    language: Language
    paragraphs: tuple[str, ...]
    kicker: str | None = None  # 'Ukraine' of 'UkraineRussland will …' or of the breadcrumb 'Ukraine: …'
    teaser: str | None = None  # a sub-headline between headline and story that is not story text itself
    title_from_story: bool = False  # no headline line: the title is the story's first sentence
    entries: tuple[Moment | None, ...] = ()  # a live blog's: when each paragraph's entry was written (else empty)

    def sentences(self) -> Iterator[str]:
        """Sentences of the story in order; abbreviations, initials, ordinals and 'a.m.' do not end one."""
        for paragraph in self.paragraphs:
            yield from split_paragraph(paragraph, self.language)

    def paragraph_sentences(self) -> Iterator[Iterator[str]]:
        """The sentences paragraph by paragraph."""
        for paragraph in self.paragraphs:
            yield split_paragraph(paragraph, self.language)

    def headline_sentences(self) -> tuple[str, ...]:
        """Headline and teaser as text the extractor may read as low-weight sentences (a page may state a term
        only there: '… für 30 Tage aussetzen'); empty when the title is just the story's first sentence."""
        if self.title_from_story:
            return ()
        return tuple(text for text in (self.title, self.teaser) if text)


def _is_teaser(text: str) -> bool:
    """A sub-headline: a headline-length run of words that is no paragraph and no dateline ('Doha CNN —')."""
    return _MIN_TEASER_WORDS <= len(text.split()) <= _MAX_TEASER_WORDS and not text.endswith((":", "-", "–", "—"))


def parse_page(text: str, path: str = "<text>", published: Moment | None = None) -> Page:
    """Headline, publication moment, language and story paragraphs of a scraped page.

    ``published`` is used only when the page shows no publication stamp. Raises ArticleError when there is
    neither (every later date is anchored on it; the reason names the shapes looked for) or when no story text is
    left once boilerplate is gone.
    """
    lines, menus, pairs = read(text)
    found = find_publication(lines)
    if found.stamp is None and found.fallback is None and published is None:
        raise ArticleError(path, NO_DATE)
    stripped = strip_boilerplate(found.lines, found.skip, menus, pairs, found.line)
    kept = stripped.kept

    title_at = title_index(kept, stripped.navigation)
    title_lines = range(title_at, headline_end(kept, title_at) + 1) if title_at is not None else range(0)
    raw_title = " ".join(undouble(kept[i] or "") for i in title_lines)
    title = clean_title(raw_title, stripped.crumbs, [line for i, line in enumerate(found.lines) if i != title_at])
    headlines = [(t, key(t)) for t in {raw_title, title.text} if t]
    body: list[str | None] = []
    for i, line in enumerate(kept):
        repeat = bool(line) and any(same_headline(line or "", t, k) for t, k in headlines)
        body.append(None if i in title_lines or repeat else line)

    language = detect_language(" ".join(line for line in body if line))
    when: Moment
    if found.stamp is not None:
        when = moment(found.stamp, language)
    elif found.fallback is not None:
        when = localise(found.fallback, language) if isinstance(found.fallback, datetime) else found.fallback
    elif published is not None:
        when = published
    else:  # not reached: checked before the work began
        raise ArticleError(path, NO_DATE)
    day = day_of(when)
    ticker = is_ticker(body)
    paragraphs: list[str] = []
    entries: list[Entry] = []
    entry = Entry(-1, None, None)
    seen: set[str] = set()
    teaser: str | None = None
    for piece in pieces(body, language, ticker=ticker):
        if title_at is not None and piece.start < title_at:
            continue  # above the headline: the outlet's name, slogan and menus
        if ticker:
            heading = day_heading(piece.text, day)
            if heading is not None:
                entry = Entry(entry.number, entry.clock, heading)
                continue
            if piece.clock is not None:
                entry = Entry(entry.number + 1, piece.clock, entry.heading_day)
        paragraph = strip_dateline(piece.text, len(paragraphs))
        if is_paragraph(paragraph, piece.lines):
            paragraph_key = key(paragraph)
            if paragraph_key not in seen:
                seen.add(paragraph_key)
                paragraphs.append(paragraph)
                entries.append(entry)
        elif not paragraphs and teaser is None and title_at is not None and _is_teaser(paragraph):
            teaser = paragraph
    if not paragraphs:
        raise ArticleError(path, "no story text")
    text_title = title.text
    if not text_title:
        text_title = next(split_paragraph(paragraphs[0], language))[:_MAX_FALLBACK_TITLE]
    return Page(
        title=text_title,
        published=when,
        language=language,
        paragraphs=tuple(paragraphs),
        kicker=title.kicker,
        teaser=teaser,
        title_from_story=not title.text,
        entries=tuple(entry_moments(entries, when)) if ticker else (),
    )
