"""The publication moment of a page, wherever its stamp stands.

A stamp is a date whose neighbours are stamp words ('Published', 'Stand:', 'aktualisiert', 'Artikel anhören'),
separators, clock times and zones — never story words. Every date near the top of the page (and every date
beside a stamp keyword anywhere) is a candidate; the text around it decides its *form*:

* ``line``: the whole line is the stamp (bylines and short tags allowed);
* ``glued``: it follows the last sentence of a paragraph or a caption and runs to the end of the line;
* ``lead``: it opens a line that runs on into a caption or the story;
* ``inline``: between two sentences or after a caption, led by a stamp keyword;
* ``dateline``: a wire dateline 'KHARTOUM, May 20 (Reuters) -', its year taken from the page's other dates unless it
  gives one ('KYIV, April 14, 2025 (AFP) -').

Candidates rank by what their words say (published > plain > updated), then form, then nearness to the top. A
date inside a story sentence ('signed on 8 May 2025 in Moscow') has story words beside it and is no candidate.
Stamp text is cut out of the line it stands in, so the story text stays clean.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from articles.lexicon import Lexicon
from articles.model import Moment
from articles.page import undated
from articles.page.alone import SEPARATORS, bare_stamp, date_alone, only_date_alone
from articles.page.boilerplate import is_caption, is_label
from articles.page.dates import DIGIT, ZONE_NAMES, Stamp, clock_of, find_dates
from articles.page.normalise import CLOSERS, ROW_SEPARATOR, TERMINAL, WORD, ends_sentence, label_words, word_count
from articles.page.undated import MAX_STAMP_LINE, WINDOW
from articles.page.words import alternation, common_list, lower_set, union, words_of

__all__ = ["NO_DATE", "Found", "find_publication"]

NO_DATE = (
    'no publication date (looked for a stamp like "18.03.2025 - 20:51 Uhr", "Published 3 May 2025", "Stand: …", '
    '"date 2025-03-18"); give one with --published'
)
_MAX_LEFT = 6  # stamp words before a date
_MIN_DATELINE = 3  # letters of a place in capitals that opens a stamp line ("RANCHI - Updated - …")
_MAX_RIGHT = 8  # ... and after it
_FORMS = {
    "opening": 0,
    "dateline": 1,
    "footer": 1,
    "dash": 1,
    "inline": 2,
    "short": 2,
    "lead": 3,
    "glued": 3,
    "line": 4,
}
_EDGE = 5  # non-empty lines at the bottom where a stamp needs no keyword either
_ENDS = 8  # dates looked at from either end of a line that holds many
_MAX_SHORT_WORDS = 14  # 'Yaryna Soloviova — Sunday, 25 May 2025, 14:18': an author's name and a stamp
_MIN_LABEL_ROW = 3  # items of a row of labels a date alone may stand among ('Paper | Edition | date | Page 3')
_MAX_LABEL_ITEM = 3  # words of a label in such a row (the date's own item is the one allowed longer)
_MAX_SECTION_WORDS = 2  # a section's name before a day in a row of two ('Nation | 5 March 2024')
_MAX_FOOTER_WORDS = 20  # 'Diese Nachricht wurde am 24.01.2024 im Programm … gesendet.'

_ITSELF = re.compile(rf"(?:{alternation(union('stamp.itself'))})(?!\w)", re.IGNORECASE)
_PUBLISHED = re.compile(rf"(?<!\w)(?:{alternation(union('stamp.published'))})(?!\w)", re.IGNORECASE)
_UPDATED = re.compile(rf"(?<!\w)(?:{alternation(union('stamp.updated'))})(?!\w)", re.IGNORECASE)
_KEYWORDS = (*union("stamp.published"), *union("stamp.updated"), *union("stamp.leads"))
# with a substring pre-check: most long lines hold no stamp keyword, and a plain search over them is far cheaper
_KEYWORD = Lexicon(rf"(?<!\w)(?:{alternation(_KEYWORDS)})(?!\w)", re.IGNORECASE)
_KEYWORD_LED = re.compile(rf"(?:{alternation(_KEYWORDS)})(?!\w)", re.IGNORECASE)
_STAMP_WORDS = (
    words_of("stamp.words")
    | words_of("stamp.published")
    | words_of("stamp.updated")
    | words_of("stamp.leads")
    | words_of("clock.before")
    | words_of("clock.after")
    | words_of("clock.after_before_date")
)
_SPAN_WORDS = lower_set("stamp.span")
# Words of the buttons and labels a stamp line shares ('LIVEBLOG October 13, 2025', '… Uhr Artikel anhören Merken').
_BESIDE_WORDS = lower_set("buttons") | lower_set("section_labels")
# a name, or a wire service written in lower case ('Von dpa'); the two never match the same word
_NAME = rf"(?:[A-ZÄÖÜ][\w.'’-]*|(?:{alternation(common_list('wire_agencies'))})(?!\w))"
_BYLINE = (
    rf"(?<!\w)(?i:{alternation(union('byline'))}) {_NAME}"
    rf"(?:(?:,? | (?i:{alternation(union('byline_joiners'))}) ){_NAME}){{0,6}}"
)
_BYLINE_IN_STAMP = re.compile(_BYLINE)
_BYLINE_BEFORE = re.compile(_BYLINE + " ?$")  # 'By Euronews with AP, AFP Published on …'
# 'Peter Amstutz, Bogotá 09.11.2023, 18.37 Uhr', 'Jane Doe | 18 March 2025', 'Jane Doe, 18 March 2025': an author's
# name (and a place or a role) open a byline stamp
_AUTHOR_PLACE = re.compile(
    r"(?:[A-ZÄÖÜ][\w'’.-]+ ){1,3}[A-ZÄÖÜ][\w'’.-]+"
    r"(?:, (?:[A-ZÄÖÜ][\w'’.-]+ ){1,2}|(?:,(?: [\w'’.-]+){1,4})? [|·•] |, )"  # 'Jane Doe, Moscow correspondent | '
    r"|[A-ZÄÖÜ][\w'’.-]+(?:/[A-ZÄÖÜ][\w'’.-]+)*(?:, | [–—-] )"  # places: 'Bonn/Goma, 5. August 2024', 'Kiel - 5.3.2024'
)
_TAIL_STAMP = re.compile(r" [|–—·-] $")  # a separator between a headline and the date after it
_REACH = 120  # characters before a date that its stamp words and byline may take
_KEYWORD_REACH = 2 * _REACH  # a keyword and its date stand this close in a stamp
_GLUED = re.compile(r"[.!?…][\"'”“»«’)\]]*+(?=[A-ZÄÖÜ])")  # '… zurückkehren.Aktualisiert am …'
_MAX_LABEL_WORDS = 4  # a section label after a stamp: '27 June 2025 Peace and Security'
# a title-case label glued to the story's first word: 'Peace and SecurityThe Council …'
_GLUED_LABEL = re.compile(r"\s*((?:[A-Z][\w'’-]*\s+(?:(?:and|of|und|&)\s+)?){0,3}[A-Z][\w'’-]*?[a-z])(?=[A-Z][a-z])")
_MAX_LABEL_CHARS = 60
_MAX_CAPTION_CHARS = 400  # longer text beside a date is story text, not a caption (and is never scanned whole)
_PAREN_SHORT = re.compile(r"\([^()]{0,24}\)")
_NUMBERISH = re.compile(r"[\d:.+\-−]{1,8}")
_AGE = re.compile(r"\d{1,3}(?:h|hr|hrs|m|min|d|std)")  # "2h", "15min", "3d" (with "ago"/"vor" among the stamp words)
_PUNCT = " ,;:|·•–—-/().…"
_DASHES = ("–", "—", " -")  # a dash after a date that opens a paragraph: the story follows
_AFTER_SENTENCE = " " + CLOSERS + "".join(TERMINAL)
# a wire dateline right after a date that opens the story ('16 August 2023TRIPOLI: At least 55 people …')
_DATELINE_AFTER = re.compile(r" ?[A-ZÄÖÜ]{3,}(?:[ /-][A-ZÄÖÜ]{2,}){0,3}(?: \([^()]{1,30}\))? ?[:–—-] ")
_RUNS_ON = re.compile(r"[.!?] [A-ZÄÖÜ][a-zäöüß]+ [a-zäöüß]")  # a sentence starts: '… (epd). Die beiden Banden'
# '16. Oktober 2025 – Hoher Kellerforst. Um 10.04 Uhr …': a dash, a place of capitalised words, a full stop
_PLACE_AFTER = re.compile(r" ?(?:[–—-] )?(?:[A-ZÄÖÜ][\w’'-]+ ){0,2}[A-ZÄÖÜ][\w’'-]+[.:] ")


@dataclass(frozen=True, slots=True)
class _Candidate:
    index: int  # line
    stamp: Stamp
    kind: int  # 0 updated, 1 plain, 2 published
    form: str
    cut: tuple[int, int] | None  # the stamp text to cut from its line; None: the whole line goes

    def rank(self) -> tuple[int, int, int, int]:
        return self.kind, _FORMS[self.form], -self.index, -self.stamp.start


@dataclass(frozen=True, slots=True)
class Found:
    """The page lines with stamp text cut out, the lines that were only a stamp, and the chosen stamp."""

    lines: list[str]
    skip: frozenset[int]
    stamp: Stamp | None
    fallback: Moment | None  # a stamp only dateparser could read
    line: int | None = None  # the chosen stamp's line, kept when only the stamp was cut out of it


def _kind(text: str) -> int:
    if _PUBLISHED.search(text):
        return 2
    return 0 if _UPDATED.search(text) else 1


def _side_kind(line: str, begin: int, stamp: Stamp, text: str) -> int:
    """Published or updated by the words before the date; by those after it only when the words before say
    neither ('Updated - March 5 … - Published - March 5 …': the second label is the next date's)."""
    before = _kind(line[begin : stamp.start])
    return before if before != 1 else _kind(text)


def _absorbable(token: str) -> bool:
    """A token that may stand in a stamp: a stamp word, a separator, a number or clock, a zone abbreviation."""
    word = token.strip(_PUNCT)
    if not word:
        return True
    lower = word.lower()
    if lower in _STAMP_WORDS or lower in _BESIDE_WORDS:
        return True
    if _AGE.fullmatch(lower):
        return True  # "2h ago", "vor 3 Std.": an aggregator's age of the item beside its stamp
    return bool(_NUMBERISH.fullmatch(word)) or (word.isupper() and word.isalpha() and word in ZONE_NAMES)


def _is_stamp_line(line: str, stamps: Sequence[Stamp]) -> bool:
    """True when, besides its dates, the line holds only stamp words, a byline or short tags."""
    if not stamps or len(line) > MAX_STAMP_LINE:
        return False
    if _ends_sentence_after(line, stamps[-1].end, len(line)):
        return False  # 'Am 3. Mai 2025.' is a sentence, not a publication line ('… | Lesedauer: 3 Min.' is one)
    rest, pos = [], 0
    for s in stamps:
        rest.append(line[pos : s.start])
        pos = s.end
    rest.append(line[pos:])
    remainder = _PAREN_SHORT.sub(" ", _BYLINE_IN_STAMP.sub(" ", " ".join(rest)))
    # short capitals are zone abbreviations this module does not know, or a source tag such as 'BBC'
    return all(
        w.lower() in _STAMP_WORDS or w.lower() in _BESIDE_WORDS or (w.isupper() and len(w) <= 5) or w.isdigit()
        for w in WORD.findall(remainder)
    )


def _ends_sentence_after(line: str, end: int, stop: int) -> bool:
    """Whether only a sentence's final stop follows the date ending at ``end`` (up to ``stop``): 'Am 3. Mai 2025.'.
    A stop inside the date ('5:12 p.m.') or after stamp words ('… | Lesedauer: 3 Min.') ends no sentence."""
    tail = line[end:stop]
    return bool(tail) and tail.rstrip(" " + CLOSERS).endswith(TERMINAL) and not tail.strip(_AFTER_SENTENCE)


def _left(line: str, low: int, start: int) -> tuple[int, str]:
    """Where the stamp begins when stamp words (and a byline) before the date are taken in, and what stands before
    that: 'start' (nothing), 'after' (the previous date), 'sentence' (a sentence's end), 'caption' (a photo
    credit) or 'text' (story words). Only a short stretch before the date is ever looked at."""
    begin = start
    if start > low and line[start - 1].isalpha():
        return start, "sentence"  # glued to the teaser's last word: the scrape lost the line break between them
    if low == 0 and _AUTHOR_PLACE.fullmatch(line, 0, start):
        return 0, "start"
    for _ in range(_MAX_LEFT + 1):
        reach = max(low, begin - _REACH)
        head = line[reach:begin].rstrip(" ")
        if not head:
            return reach, ("after" if low else "start") if reach == low else "text"
        space = head.rfind(" ")
        if space < 0 and reach > low:
            break  # a token longer than any stamp word
        token = head[space + 1 :]
        if token.rstrip(CLOSERS).endswith(TERMINAL):
            return begin, "sentence"
        opening = reach + len(head) - len(token) == 0
        if opening and len(token) >= _MIN_DATELINE and token.isalpha() and token.isupper():
            return 0, "start"  # 'RANCHI - Updated - March 05, 2025 …': the dateline's place opens the stamp line
        if not _absorbable(token):
            ends = list(_GLUED.finditer(token))  # the token is short: bounded by _REACH
            glued = ends[-1] if ends else None
            if glued is not None and _absorbable(token[glued.end() :]):
                return reach + len(head) - len(token) + glued.end(), "sentence"
            byline = _BYLINE_BEFORE.search(line, max(low, begin - _REACH), reach + len(head))
            if byline is None:
                break
            begin = byline.start()
            continue
        begin = reach + len(head) - len(token)
    if begin > low and line[begin : begin + 1].isupper() and _KEYWORD_LED.match(line, begin):
        before = line[low:begin].rstrip()
        if before[-1:].islower():
            # '… beyond next week's general election Updated 15 December 2023, 17:20 GMT': a stamp word in capitals
            # after a lower-case word starts a line the scrape ran on into the teaser
            return begin, "sentence"
    if begin > _MAX_CAPTION_CHARS + 1:
        return begin, "text"  # longer text before the date is story text, not a caption
    prefix = line[:begin].rstrip()
    return begin, "caption" if is_caption(prefix) else "text"


def _right(line: str, end: int, high: int) -> tuple[int, str]:
    """Where the stamp ends when stamp words after the date are taken in, and what follows: 'end', 'next' (another
    date), 'text' (a new sentence, a caption or a bracket starts) or 'lower' (the sentence goes on)."""
    stop = end
    for _ in range(_MAX_RIGHT + 1):
        pos = stop
        while pos < high and line[pos] == " ":
            pos += 1
        if pos >= high:
            return high, "end" if high == len(line) else "next"
        space = line.find(" ", pos, high)
        token = line[pos : high if space < 0 else space]
        if not _absorbable(token):
            break
        stop = pos + len(token)
    token = line[stop:high].lstrip(" ")
    first = token.lstrip("\"'„“«»‚")
    # a player's or a share button's symbol ('▷ 5 min') starts something new as a capital does
    starts_anew = first[:1].isupper() or first[:1] in "([" or unicodedata.category(first[:1] or "a").startswith("S")
    return stop, "text" if starts_anew else "lower"


def _keyword_spans(line: str) -> list[tuple[int, int]]:
    """The stretches of a long line around its stamp keywords: only there can a stamp stand away from the top."""
    spans: list[tuple[int, int]] = []
    for m in _KEYWORD.finditer(line):
        low, high = max(0, m.start() - _KEYWORD_REACH), min(len(line), m.end() + _KEYWORD_REACH)
        if spans and low <= spans[-1][1]:
            spans[-1] = spans[-1][0], high
        else:
            spans.append((low, high))
    return spans


def _footer(line: str, index: int, stamps: Sequence[Stamp]) -> list[_Candidate]:
    """A closing sentence that says when the piece was published ('This article was first published on 3 May 2025.',
    'Diese Nachricht wurde am 24.01.2024 im Programm … gesendet.'): one date and a publishing word."""
    if len(stamps) != 1 or word_count(line) > _MAX_FOOTER_WORDS or not ends_sentence(line):
        return []
    if not _PUBLISHED.search(line):
        return []
    return [_Candidate(index, stamps[0], 2, "footer", None)]


def _candidates_in(line: str, index: int, top: bool, bottom: bool = False, first: bool = False) -> list[_Candidate]:
    """The stamp candidates of one line; ``top`` when it is near the top or bottom of the page, where no keyword is
    needed; ``bottom`` when among the last lines, where a closing sentence may give the date; ``first`` when it is
    the page's first line."""
    stamps = find_dates(line, () if top or len(line) <= MAX_STAMP_LINE else _keyword_spans(line))
    if not stamps:
        return []
    if len(stamps) > 2 * _ENDS:
        stamps = stamps[:_ENDS] + stamps[-_ENDS:]  # a table of dates: a stamp opens or closes it, if any
    if _is_stamp_line(line, stamps) and (top or _KEYWORD_LED.match(line)):
        found = []
        for i, s in enumerate(stamps):
            before = line[stamps[i - 1].end if i else 0 : s.start]
            kind = _kind(before)
            if kind == 1 and i == len(stamps) - 1:
                kind = _kind(line[s.end :])  # '18.03.2025 - 20:51 Uhr aktualisiert'
            found.append(_Candidate(index, s, kind, "line", None))
        return found
    found = []
    previous = "start"
    for i, s in enumerate(stamps):
        begin, left = _left(line, stamps[i - 1].end if i else 0, s.start)
        if left == "after":
            left = previous
        stop, right = _right(line, s.end, stamps[i + 1].start if i + 1 < len(stamps) else len(line))
        previous = left
        if right == "next" and _SPAN_WORDS.intersection(w.lower() for w in WORD.findall(line[s.end : stop])):
            continue  # 'April 18, 2023, to April 17, 2024, the ministry said': a span the story states
        text = line[begin:stop]
        tail = _TAIL_STAMP.search(line, 0, s.start) if left == "text" and first and right == "end" else None
        if tail is not None and not ends_sentence(line[: tail.start()]):
            # 'Prisoner swap agreed | 18 March 2025': the date the scrape put after the headline, set apart
            found.append(_Candidate(index, s, 1, "glued", (tail.start(), len(line))))
            continue
        if right == "lower" or left == "text":
            continue
        keyword = bool(_KEYWORD.search(text))
        # a sentence that ends with the date is no stamp ('… | Lesedauer: 3 Min.' ends with stamp words), unless its
        # own word leads it ('Bulletin broadcast 28/12/2022 13:00 EAT. Transcript prepared by …')
        if not keyword and _ends_sentence_after(line, s.end, stop):
            continue
        if not (top or keyword):
            continue
        rest = line[stop:]
        short = len(rest) <= _MAX_LABEL_CHARS and word_count(rest) <= _MAX_LABEL_WORDS
        if right == "text" and short and (is_label(rest) or not ends_sentence(rest)):
            right = "end"  # only a section label follows: '… they made. 27 June 2025 Peace and Security'
        label = _GLUED_LABEL.match(rest) if right == "text" and left == "start" else None
        if label is not None and word_count(label.group(1)) <= _MAX_LABEL_WORDS:
            # '28 August 2025   Peace and SecurityThe Security Council on Thursday …': the label ends the stamp
            # and the story runs on, glued to it
            found.append(_Candidate(index, s, _side_kind(line, begin, s, text), "lead", (begin, stop + label.end())))
            continue
        if left == "start":
            form = "line" if right in ("end", "next") else "lead"
            # 'May 13, 2023 Smoke rises over Gaza City … AFP': a date beside a caption
            beside = len(rest) <= _MAX_CAPTION_CHARS and is_caption(rest)
            dateline = _DATELINE_AFTER.match(line, stop) is not None or _PLACE_AFTER.match(line, stop) is not None
            # the page's first line opening with a date: the scrape glued the stamp to the headline or caption
            opening = first and i == 0
            # 'May 3, 2025 — The Secretary-General …': a press release's date, set off by a dash, opens its story
            dashed = right == "text" and line[s.end : stop].rstrip().endswith(_DASHES)
            clocked = s.clock is not None and begin == s.start
            ok = form == "line" or keyword or beside or dateline or opening or clocked
            if not ok and dashed:
                ok, form = True, "dash"  # a timeline's item opens the same way: the stamp only when nothing else is
            elif not ok and right == "text" and top:
                # 'Mittwoch, 12. März 2025 Russland und die Ukraine …': the scrape glued the page's date to the story;
                # a timeline's items open the same way, so only a page with no other date takes it
                ok, form = True, "opening"
        else:
            form = "glued" if right in ("end", "next") else "inline"
            ok = keyword or form == "glued"
        if ok:
            cut = (begin, stop if right != "end" else len(line))
            found.append(_Candidate(index, s, _side_kind(line, begin, s, text), form, cut))
    if not found and top and word_count(line) <= _MAX_SHORT_WORDS and not ends_sentence(line):
        # a short header line with a clock time: a stamp beside words this module does not know (a name)
        found = [_Candidate(index, s, _kind(line), "short", _short_cut(line, s)) for s in stamps if s.clock][:1]
        last = stamps[-1]
        # or one that ends with the day ('Wyvern Sound News – 8am bulletin, Wednesday 21 May 2025'): it names the
        # page, so it stays; a related link's day in brackets at the bottom ('… bis Jahresende (04.12.2022)') is none
        if not found and not bottom and not line[last.end :].strip(_PUNCT) and line[last.start - 1 : last.start] != "(":
            found = [_Candidate(index, last, _kind(line), "short", (len(line), len(line)))]
    settled = [c for c in found if c.form != "opening"]
    return settled or _segment(line, index, stamps, top) or (_footer(line, index, stamps) if bottom else []) or found


def _short_cut(line: str, stamp: Stamp) -> tuple[int, int] | None:
    """All of a short line goes, but the story run on after its stamp stays ('… 11:32 Uhr Bogotá (epd). Die …')."""
    stop = _right(line, stamp.end, len(line))[0]
    return (0, stop) if _RUNS_ON.search(line, stop) else None


# items of a row, or columns a scrape set side by side with a wide gap ('▶ Listen (6 min)   On air: 22:00 BST, …')
_ROW_OR_COLUMNS = re.compile(rf"{ROW_SEPARATOR.pattern}| {{3,}}")


def _segment(line: str, index: int, stamps: Sequence[Stamp], top: bool = False) -> list[_Candidate]:
    """A stamp that is one item of a row set apart by dots or bars, led by its keyword: 'Schwarzwälder Landbote ·
    Ausgabe vom Donnerstag, 23. Januar 2025 · Seite 19' (the other items are the paper's name and page); near the
    top, the row's first item needs none ('Monday 14 October 2024 · Audio 4'26" · Transcript as broadcast'), nor does an
    item that is only a day and its clock time, nor a day alone among labels ('Kolkata Edition | Monday, January 6,
    2025 | Page 3', :func:`_label_row`)."""
    found: list[_Candidate] = []
    pos = 0
    parts = _ROW_OR_COLUMNS.split(line)
    labels = _label_row(parts)
    for part in parts:
        start = line.find(part, pos)
        end = pos = start + len(part)
        inner = [s for s in stamps if start <= s.start and s.end <= end]
        moved = [replace(s, start=s.start - start, end=s.end - start) for s in inner]
        alone = date_alone(part.strip()) if top and start > 0 else None
        dated = alone is not None and (alone.clock is not None or labels)
        led = _KEYWORD_LED.match(part) is not None or (top and start == 0) or dated
        if inner and led and (_is_stamp_line(part, moved) or _whole(part, moved)):
            found.extend(_Candidate(index, s, _kind(part), "inline", (start, end)) for s in inner)
    return found


def _label_row(parts: Sequence[str]) -> bool:
    """A row of short labels a day alone may stand in: three or more items, or a section's name and the day ('Nation
    | 5 March 2024'; a related story's headline before its day, 'Talks stall in Geneva | 12 March 2025', is longer)."""
    if len(parts) >= _MIN_LABEL_ROW:
        return sum(label_words(p) > _MAX_LABEL_ITEM for p in parts) <= 1
    return (
        len(parts) == 2 and 0 < label_words(parts[0]) <= _MAX_SECTION_WORDS and date_alone(parts[1].strip()) is not None
    )


def _whole(part: str, stamps: Sequence[Stamp]) -> bool:
    """One date that its stamp words and a dateline's place take up whole: 'SILCHAR, FRIDAY, AUGUST 2, 2024'."""
    if len(stamps) != 1 or _ends_sentence_after(part, stamps[0].end, len(part)):
        return False  # 'Am 3. Mai 2025.' is a sentence
    return _left(part, 0, stamps[0].start)[1] == "start" and _right(part, stamps[0].end, len(part))[1] == "end"


def _cut(line: str, spans: Sequence[tuple[int, int]]) -> str:
    """The line without the stamp texts (overlapping spans merged); the pieces either side joined by one space."""
    parts: list[str] = []
    pos = 0
    for begin, end in sorted(spans):
        if begin > pos:
            parts.append(line[pos:begin].strip(" "))
        pos = max(pos, end)
    parts.append(line[pos:].lstrip(SEPARATORS))
    return " ".join(part for part in parts if part)


def find_publication(lines: Sequence[str]) -> Found:
    """The page's publication stamp and the lines with every stamp cut out (see the module docstring)."""
    candidates: list[_Candidate] = []
    headings: set[int] = set()  # a live blog's day headings below its first entry ('Donnerstag, 31. März 2022')
    seen, entry = 0, False
    bottom = sum(1 for line in lines if line) - _EDGE
    for i, line in enumerate(lines):
        if not line:
            continue
        seen += 1
        entry = entry or clock_of(line) is not None
        if entry and (heading := date_alone(line)) is not None and heading.clock is None:
            headings.add(i)
        top = seen <= WINDOW or seen > bottom
        if not DIGIT.search(line):
            continue
        # a line of nothing but a date or a byline and its date is a stamp wherever it stands
        bare = not top and (bare_stamp(line) or _BYLINE_IN_STAMP.match(line) is not None)  # 'Text: A. Berger · …'
        if top or bare or _KEYWORD.search(line):
            # a closing sentence about the page itself may stand above a block of links, away from the bottom
            closing = seen > bottom or _ITSELF.match(line) is not None
            candidates.extend(_candidates_in(line, i, top or bare, closing, seen == 1))
    steps = undated.chronology(lines, [(c.index, c.stamp) for c in candidates if c.form == "line"])
    candidates = [c for c in candidates if c.index not in steps]  # a chronology's dated headings: no stamp
    openings = [c for c in candidates if c.form == "opening"]
    candidates = [c for c in candidates if c.form != "opening"]
    out = list(lines)
    # the day of older entries is not the page's, when the page has a stamp of its own
    best = max([c for c in candidates if c.index not in headings] or candidates, key=_Candidate.rank, default=None)
    # a short line with unknown words, a closing sentence or a day before a dash is a stamp only when nothing better
    # is found; it stays text otherwise
    taken = [c for c in candidates if c.form not in ("short", "footer", "dash") or c is best]
    skip: set[int] = {c.index for c in taken if c.cut is None}
    cuts: dict[int, list[tuple[int, int]]] = {}
    for c in taken:
        if c.cut is not None and c.index not in skip:
            cuts.setdefault(c.index, []).append(c.cut)
    for index, spans in cuts.items():
        out[index] = _cut(out[index], spans)
        if not out[index]:
            skip.add(index)
    others = [c.stamp.day for c in candidates]
    if best is None or best.kind == 0:
        wire = undated.dateline(lines, others)
        if wire is not None and (best is None or wire[1].day <= best.stamp.day):
            best = _Candidate(wire[0], wire[1], 1, "dateline", None)
            out[wire[0]] = out[wire[0]][wire[1].end :]  # the story starts after it
    if best is None and openings:
        best = openings[0]
        out[best.index] = _cut(out[best.index], [best.cut or (0, 0)])
    if best is None and (yearless := undated.yearless(lines, others, _absorbable)) is not None:
        best = _Candidate(yearless[0], yearless[1], 1, "line", None)
        skip.add(yearless[0])
    if best is None and (caption := undated.caption_date(lines)) is not None:
        best = _Candidate(caption[0], caption[1], 1, "line", None)
    if best is None and (alone := only_date_alone(lines)) is not None:
        best = _Candidate(alone[0], alone[1], 1, "line", None)  # 'red, noe-regional.at' / '21.10.2025' above links
        skip.add(alone[0])
    if best is not None:
        return Found(out, frozenset(skip), best.stamp, None, best.index)
    fallback = undated.fallback(lines) or undated.url_date(lines) or undated.item_number_date(lines)
    if fallback is not None:
        skip.add(fallback[0])
        return Found(out, frozenset(skip), None, fallback[1])
    return Found(out, frozenset(skip), None, None)
