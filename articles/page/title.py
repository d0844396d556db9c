"""The page's headline: the first headline-shaped line before the story, cleaned of what scrapers glue to it.

A breadcrumb number ('4. Ukraine: …'), an outlet's name ('… | DW', '… – tagesschau.de') and a kicker run into
the first word without a space ('UkraineRussland will …') are not part of the headline. The glued kicker is only
split off when the page proves it: the rest is a headline seen elsewhere (the breadcrumb's 'Ukraine: Russland
will …'), or both halves are words the page uses on their own — so 'YouTube' or 'McDonald' stay whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from articles.page.boilerplate import is_menu
from articles.page.language import STOPWORDS
from articles.page.normalise import CLOSERS, ROW_SEPARATOR, WORD, in_numbered_list, key, label_words, word_count
from articles.page.words import alternation, common_list, lower_set, union

__all__ = [
    "Title",
    "clean_title",
    "headline_end",
    "is_story_line",
    "same_headline",
    "story_words",
    "title_index",
    "undouble",
]

_MAX_TITLE_WORDS = 30
_INFLECTION = 2  # letters an inflected form may add to a word ('Gymnasiums', 'Lehrern')
_LEADING_NAME = re.compile(r"(?P<name>[^:|]{3,40}): (?=\S)")
_MIN_DOUBLED_WORDS = 3
_MAX_DOUBLED_CHARS = 400  # longer lines are no headline; the search below is quadratic in the line's length
_GLUED_COLON = re.compile(r"(?<=[^\W\d_]):(?=[^\W\d_])")
_OPENING_QUOTES = "'\"‘“„«‹"
_MIN_KICKER = 3  # letters before a glued headline ('NahostWaffenruhe'); 'Mc', 'De', 'Le' start names
_MAX_KICKER_WORDS = 6
_MAX_KICKER_CHARS = 40  # letters of one glued word that may be kicker: a longer run is no headline
_STORY_SAMPLE = 20_000  # characters of story text compared with headline candidates
_WRAPPED_LINE = 90  # characters of a line that a hand-wrapped paragraph continues on the next
_SHORT_TITLE = 5  # words: a line this short may be a site's name or a kicker rather than the headline
_MIN_CONTENT = 4  # letters of a word that counts when a headline is compared with the story
_MAX_SITE_WORDS = 4
_CRUMB_NUMBER = re.compile(r"\d{1,2}\. (?=\S)")
_SITE_SPLIT = re.compile(r" (?:\||–|—|-|·) ")
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}", re.IGNORECASE)
# a site's own line: its domain alone or before its slogan ('newsplus24.de – Alle Nachrichten. Eine Seite.')
_SITE_LINE = re.compile(rf"{_DOMAIN.pattern}(?:$| [|–—·-] )", re.IGNORECASE)
_ACRONYM_SITE = re.compile(rf"[A-Z][A-Z0-9]{{1,5}}(?: (?i:{alternation(common_list('site_words'))}))?")
_TICKER = re.compile(r"^\+{3}|\+{3}$")  # '+++ Eilmeldung: … +++': a ticker banner, not the headline
# 'ROUNDUP 2: Frankreich zieht …', 'UPDATE 1-Russia says …': a wire desk's label, not the headline
_WIRE_LABELS = alternation(common_list("wire_labels"))
_WIRE_LABEL = re.compile(rf"(?:{_WIRE_LABELS})(?: ?\d{{1,2}})? ?[:–-] ?(?=\S)")
# after a wire label ('ZUSAMMENFASSUNG 2 – neu: …') or a bracket ('(Adds …)'): the desk's note on the version
_UPDATE_NOTE = re.compile(rf"(?:{alternation(union('update_notes'))})(?![\w-])", re.IGNORECASE)
# 'BREAKING NEWS  ▸  Six Americans freed …': a ticker banner above the page's own headline
_BANNER = re.compile(rf"(?:{_WIRE_LABELS})(?: (?:{alternation(common_list('banner_tails'))}))?\s*[▸►»]")
# 'Priorität: 2   Wörter: 512': a wire's metadata, label and number, twice or more
_DECORATION = re.compile(r"^(?:[+*=~#—━═_-]{2,}\s*)+|(?:\s*[+*=~#—━═_-]{2,})+$")  # '+++ … +++', '——— … ———'
_GREETING = re.compile(rf"(?:{alternation(union('greetings'))})\b", re.IGNORECASE)
_ISSUE = re.compile(rf"\b(?:{alternation(union('issue_labels'))}) ?#?\d+\b", re.IGNORECASE)
# a live page's running label ('LIVE  Krieg in der Ukraine, Tag 38', 'War in Ukraine: day 38')
_DAY_COUNT = re.compile(rf"[,:–—-] ?(?:{alternation(union('day_count_labels'))}) \d{{1,4}}$", re.IGNORECASE)
# a tagline ending with its edition ('… — Evening edition'), a print page's label with its page ('News | Page 7 of 48')
_PAGE_OF = rf"(?: ?(?:/|{alternation(union('page_of'))}) ?\d{{1,3}})?"
_PAGE_LABEL = re.compile(rf"[—–|·-] ?(?:{alternation(union('page_labels'))}) \d{{1,3}}{_PAGE_OF}$", re.IGNORECASE)
# a broadcast's slot ('THE WORLD TONIGHT – 22:00 bulletin', 'Die Nachrichten um 7 Uhr – gelesen von …')
_SLOT_CLOCK = r"\d{1,2}(?:[.:]\d{2})? ?(?:uhr|am|pm|h)?"
_SLOT = re.compile(
    rf"\b{_SLOT_CLOCK} (?:{alternation(union('slot_words'))})\b"
    rf"|\b(?:{alternation(union('slot_words'))}) (?:{alternation(union('slot_preps'))}) {_SLOT_CLOCK}(?!\w)",
    re.IGNORECASE,
)
_TAILS = rf"[—–|·-] ?(?:\w+ )?\w*(?:{alternation(union('issue_labels'))})|\s(?:{alternation(union('masthead_tails'))})"
_EDITION = re.compile(rf"(?:{_TAILS})$", re.IGNORECASE)  # … also 'THE TAWI TRIBUNE  e-Paper': a masthead
_ITEM_NUMBER = re.compile(r"^\d{1,2} [|·•] (?=\S)")
_MAIL_SUBJECT = re.compile(r"^(?:Betreff|Subject|Re|Fwd|AW|WG): ?(?=\S)")
_METADATA = re.compile(r"\b[^\W\d_]+: ?\d+\b")  # \b first: a long run of letters is tried once
_BULLETS = ("•", "▪", "►", "‣", "◦", "- ", "* ")
# 'Mo–Fr 8.00–11.30 / 14.00–17.00 Uhr': opening hours, a timetable; a headline names one or two times at most
_CLOCKS = re.compile(r"\b\d{1,2}[.:]\d{2}\b")
_MAX_HEADLINE_CLOCKS = 2
# 'Eid begins Sunday across the UAE → Full coverage', 'Get a quote →': a link to elsewhere, not the headline
_LINK_OUT = re.compile(r"[→➔➜⟶] ?(?:[^\W\d_]+ ?){0,3}$")
# 'Audio ▶ 6:12', 'Audio starten, abbrechen mit Escape 03:12 Min': a player and its length, not a headline
_PLAYER = re.compile(r"[▶►] ?\d{1,2}:\d{2}\b|\b\d{1,2}:\d{2} ?(?:Min|min)\b")
_OPEN_ENDS = lower_set("open_ends")
_ROW_ITEMS = 4  # items of a row of labels or contents, whatever their length
_ROW_ITEM_WORDS = 3  # words of each item of a row of labels ('Ref: PR-2025-311 | For immediate release')
_CREDIT_LABEL = re.compile(rf"(?i:{alternation(common_list('credit_labels'))}):\s*\S")
_ASIDE_QUESTION = 4  # words of the short question an explainer's headline ends with ("What happens now?")
_QUESTION_TITLE = 20  # words of a headline that is one question
_SENTENCE_END = re.compile(r"[.!?…]\s+")  # one mark, then space: a run of dots never backtracks
_KICKER_SHAPE = re.compile(r"(?P<kicker>[^:]{2,40}): (?P<rest>\S.*)")
# a section label in capitals with its colon ('LIVE: ', 'TICKER: '): where a glued kicker ends, the headline begins
_SECTION_LABEL = re.compile(rf"(?:{alternation(union('section_labels'))}) ?: ", re.IGNORECASE)
# the same label in capitals opening the headline's line ('LIVE  Deadline day live: …', 'EILMELDUNG: …')
# ... also scraped twice, glued ('LIVELIVE North Korea says …')
_LEADING_LABEL = re.compile(
    rf"(?P<label>{alternation(union('section_labels'))})(?:(?P=label))?(?: ?[:|–—-] ?| +)(?=\S)", re.IGNORECASE
)
# a section's name in capitals opening the headline's line, as the breadcrumbs name it
_CAPS_LEAD = re.compile(r"([A-ZÄÖÜ][A-ZÄÖÜ&'’ -]{1,38}[A-ZÄÖÜ])(?: ?[:|–—-] ?| +)(?=[A-ZÄÖÜ\"“„'‘])")


@dataclass(frozen=True, slots=True)
class Title:
    text: str
    kicker: str | None


def undouble(line: str) -> str:
    """'Headline Headline' (a headline scraped twice onto one line, also glued without a space, or with only its
    first words again) becomes 'Headline'."""
    words = line.split()
    half = len(words) // 2
    if len(words) >= 4 and len(words) % 2 == 0 and key(" ".join(words[:half])) == key(" ".join(words[half:])):
        return " ".join(words[:half])
    text = line.strip()
    if len(words) < _MIN_DOUBLED_WORDS or len(text) > _MAX_DOUBLED_CHARS:
        return line
    for cut in range((len(text) + 1) // 2, len(text) - 1):
        tail = text[cut:]
        # 'Flughafen lahm: Flüge gestrichenFlughafen lahm': the headline, then its start (or all of it) again, glued
        if text[cut - 1] != " " and tail[0].isupper() and text.startswith(tail) and len(tail.split()) >= 2:
            return text[:cut]
    return line


def same_headline(line: str, title: str, title_key: str) -> bool:
    """A repeat of the headline (also doubled on one line); cheap tests of length and first word first."""
    if not title_key or len(line) > 2 * len(title) + 4:
        return False
    first = WORD.search(line)
    return first is not None and title_key.startswith(first.group().casefold()) and key(undouble(line)) == title_key


def is_story_line(line: str) -> bool:
    """A line that already reads like story text: a sentence of several words, or simply long. A slogan of short
    sentences ('Your town. Your news.') is none."""
    words = word_count(line)
    if words >= 25:
        return True
    if not line.rstrip(CLOSERS).endswith((".", "!", "?", "…")) or words < 4:
        return False
    parts = _SENTENCE_END.split(line)
    asks = line.rstrip(CLOSERS).endswith("?")  # a headline that asks ('Erstmals an einem Tisch?'), or ends asking
    if asks and (word_count(parts[-1]) <= _ASIDE_QUESTION if len(parts) >= 2 else words <= _QUESTION_TITLE):
        return False  # 'Q&A: The UN is winding down its mission. What happens now?': a headline and its question
    return max(word_count(part) for part in parts) >= 4


def _is_headline(line: str) -> bool:
    return (
        3 <= word_count(_undecorated(line)) <= _MAX_TITLE_WORDS
        and not line.rstrip(CLOSERS).endswith(".")
        and not line.endswith(":")
        and not is_menu(line)
        and not _TICKER.search(line)
        and not (line.isupper() and " / " in line)  # 'SOUTHEAST ASIA / MYANMAR': a section path, not a headline
        and not (line.startswith("[") and line.endswith("]"))  # "[Bet offer: …]": an insert, not a headline
        and not line.startswith(_BULLETS)  # "• The government and the ELN have …": a key point, not the headline
        and not _CREDIT_LABEL.match(line)  # "Sprecherin: Hanna Wöhlke", "Presenter: Jane Doe": who reads it
        and not _is_update_note(line)
        and not _BANNER.match(line)
        and len(_METADATA.findall(line)) < 2
        and not _ISSUE.search(line)
        and not _EDITION.search(line)
        and not _PAGE_LABEL.search(line)
        and not _DAY_COUNT.search(line)
        and not _label_row(line)
        and not _PLAYER.search(line)
        and not _LINK_OUT.search(line)
        and len(_CLOCKS.findall(line)) <= _MAX_HEADLINE_CLOCKS
    )


def _label_row(line: str) -> bool:
    """Short items set apart by bars or dots ('Ref: PR-2025-311 | For immediate release'): a press release's or a
    page's labels; a headline has a part of more words ('Gaza | Israel and Hamas agree a truce')."""
    parts = ROW_SEPARATOR.split(line)
    # four items or more are a row however long the first ('In this issue: Noticeboard peace deal · Library hours · …')
    # an item's numbers are not counted: 'Westerby Courier · Page 7 of 48 · NEWS' is a row of three labels
    return len(parts) >= _ROW_ITEMS or (len(parts) >= 2 and all(label_words(p) <= _ROW_ITEM_WORDS for p in parts))


def _is_update_note(line: str) -> bool:
    label = _WIRE_LABEL.match(line)
    if label is not None:
        return _UPDATE_NOTE.match(line, label.end()) is not None
    return line.startswith("(") and _UPDATE_NOTE.match(line, 1) is not None


def _content(line: str) -> set[str]:
    return {w for w in (m.casefold() for m in WORD.findall(line)) if len(w) >= _MIN_CONTENT and w not in STOPWORDS}


def story_words(kept: Sequence[str | None]) -> frozenset[str]:
    """Content words of the paragraphs that read like story text: a headline shares many, a site's name or slogan
    few. A paragraph is read whole, since a page wrapped by hand ends only its last line with a full stop. The first
    few thousand characters of story are enough to tell."""
    words: set[str] = set()
    budget = _STORY_SAMPLE
    for paragraph in _paragraphs(kept):
        if budget <= 0:
            break
        if is_story_line(paragraph):
            words |= _content(paragraph[:budget])
            budget -= len(paragraph)
    return frozenset(words)


def _paragraphs(kept: Sequence[str | None]) -> Iterator[str]:
    """The kept lines, those of a paragraph wrapped by hand (every line but its last as long as a wrapped line)
    joined into one; a list of short items stays line by line."""
    run: list[str] = []
    for line in (*kept, None):
        if line and (not run or len(run[-1]) >= _WRAPPED_LINE):
            run.append(line)
            continue
        yield from ([" ".join(run)] if run else [])
        run = [line] if line else []


def title_index(kept: Sequence[str | None], navigation: Iterable[int] = ()) -> int | None:
    """Index of the headline: the first headline-shaped line before the story starts and below the page's
    navigation (above it stand the outlet's name and slogan) — unless it is short (a kicker line above the
    headline) and a later, longer one shares more content words with the story."""
    candidates: list[int] = []
    fallback: int | None = None
    end = len(kept)
    greeting = False  # inside a newsletter's greeting ("Good morning from Vilnius, …"): its stories come below
    for i, line in enumerate(kept):
        if not line:
            greeting = greeting and line is None  # a blank line ends the greeting; a removed line does not
            continue
        greeting = greeting or _GREETING.match(line) is not None
        if greeting:
            continue
        if _SITE_LINE.match(line):
            continue  # the site's name and slogan, though its slogan reads as sentences
        if is_story_line(line) or _paragraph_start(kept, i):
            end = i
            break
        if _is_headline(line):
            if not (line[:1].islower() and i > 0 and kept[i - 1]) and not in_numbered_list(kept, i):
                candidates.append(i)  # a line that runs on in lower case continues the one above
            continue
        shaped = word_count(line) <= _MAX_TITLE_WORDS and not line.endswith(".") and not _CREDIT_LABEL.match(line)
        if shaped and (fallback is None or word_count(line) > word_count(kept[fallback] or "")):
            fallback = i
    if not candidates:
        return fallback
    # below the last navigation line that still has a headline under it: a row of topic links may follow the headline
    below = max((i for i in navigation if i < end and any(c > i for c in candidates)), default=-1)
    candidates = [i for i in candidates if i > below]
    # a line that only repeats the words of a line above it ('CAUCASUS DAILY BRIEF — No. 412' under the site's
    # 'Caucasus Daily Brief') names the publication again, not the story
    fresh = [i for i in candidates if not _repeats_above(kept, i)]
    candidates = fresh or candidates
    chosen = candidates[0]
    if (
        _SLOT.search(kept[chosen] or "")
        and len(candidates) > 1
        and candidates[1] == _next_line(kept, chosen)
        and not ROW_SEPARATOR.search(kept[candidates[1]] or "")
    ):
        chosen = candidates[1]  # a broadcast's slot with its main item's headline (no row of labels) right under it
    if word_count(kept[chosen] or "") <= _SHORT_TITLE:
        # the line under it is the headline when it is at least as long, or when this one is a kicker set in capitals
        size = 0 if (kept[chosen] or "").isupper() else word_count(kept[chosen] or "")
        after = _next_line(kept, chosen)
        later = next(
            (
                i
                for i in candidates[1:]
                if (word_count(kept[i] or "") > _SHORT_TITLE or (i == after and word_count(kept[i] or "") >= size))
                and not _wrapped(kept, i)
            ),
            None,
        )
        if later is not None:
            words = story_words(_without_paragraph(kept, later))  # only now: most pages have one candidate
            shared = len(_content(kept[chosen] or "") & words)
            adjacent = 2 * (later == after)  # a kicker line right above the headline: 'Krieg in der Ukraine'
            if len(_content(kept[later] or "") & words) > shared - adjacent:
                chosen = later
    return chosen


def _next_line(kept: Sequence[str | None], index: int) -> int | None:
    """The next line, blank lines between allowed ('Ende der Schwarzmeer-Initiative' / '' / 'Russland …'); a line
    removed as boilerplate (None) stands between."""
    return next((i for i in range(index + 1, len(kept)) if kept[i] != ""), None)


def headline_end(kept: Sequence[str | None], index: int) -> int:
    """The last line of the headline at ``index``: a print page breaks a long headline where its column ends, after a
    word no headline ends on ('Last puff for Lady Ermine as' / 'boiler certificate runs out')."""
    line = kept[index] or ""
    after = kept[index + 1] if index + 1 < len(kept) else None
    if not WORD.search(line) or not after or not _is_headline(after):
        return index
    # ... or where the next line runs on in lower case ('Kreml lehnt Abzug' / 'zu Weihnachten ab')
    if not _ends_open(line) and not after[:1].islower():
        return index
    if not _is_headline(line) or _SENTENCE_END.search(line):
        return index
    joined = word_count(line) + word_count(after) <= _MAX_TITLE_WORDS and not after.endswith((",", ";", ":"))
    return index + 1 if joined else index


def _wrapped(kept: Sequence[str | None], index: int) -> bool:
    """A line the next line continues: the first line of a teaser wrapped by hand, no headline. It is long, or it
    ends on a word no headline ends on ('… eine Pause bis nach den' / 'Osterferien. Über feste Stellen …')."""
    line = kept[index] or ""
    if index + 1 >= len(kept) or not kept[index + 1]:
        return False
    return len(line) >= _WRAPPED_LINE or _ends_open(line)


def _paragraph_start(kept: Sequence[str | None], index: int) -> bool:
    """A long line the next one runs on from in lower case to a full stop ('…have agreed what' / 'one … dial".')."""
    after = kept[index + 1] if index + 1 < len(kept) else None
    return bool(after and after[:1].islower() and _wrapped(kept, index) and is_story_line(f"{kept[index]} {after}"))


def _ends_open(line: str) -> bool:
    """The line ends on a word no headline ends on ('… as', '… für die'): the next line goes on with it."""
    words = WORD.findall(line)
    return bool(words) and words[-1].casefold() in _OPEN_ENDS


def _without_paragraph(kept: Sequence[str | None], index: int) -> list[str | None]:
    """The lines with the paragraph around ``index`` removed: a teaser is not story text its own first line shares."""
    start, end = index, index + 1
    while start > 0 and kept[start - 1]:
        start -= 1
    while end < len(kept) and kept[end]:
        end += 1
    return [*kept[:start], *([None] * (end - start)), *kept[end:]]


def _repeats_above(kept: Sequence[str | None], index: int) -> bool:
    words = _content(kept[index] or "")
    above: set[str] = set()
    contents = not in_numbered_list(kept, index, alone=True)  # a numbered section head repeats its entry there
    for at, line in enumerate(kept[:index]):
        if line and not (contents and in_numbered_list(kept, at)):  # a list of contents names stories, no publication
            above |= _content(line)
    return bool(words) and words <= above


def _without_site(title: str) -> str:
    """'Headline | DW', 'Headline - BBC News', 'Headline – tagesschau.de' → 'Headline'."""
    for _ in range(2):
        separators = list(_SITE_SPLIT.finditer(title))
        if not separators:
            break
        last = separators[-1]
        tail = title[last.end() :].strip()
        site = _DOMAIN.fullmatch(tail) or _ACRONYM_SITE.fullmatch(tail)
        if not (site or (last.group().strip() == "|" and word_count(tail) <= _MAX_SITE_WORDS)):
            break
        title = title[: last.start()].rstrip()
    return title


def _glued_split(title: str) -> tuple[str, str, str] | None:
    """'Krieg in NahostWaffenruhe in Gaza …' → ('Krieg in Nahost', 'Waffenruhe in Gaza …', 'NahostWaffenruhe'): a
    lower→upper change inside one of the first words (an acronym may follow: 'SyrienSDF und …')."""
    words = title.split(" ")
    for at, word in enumerate(words[:_MAX_KICKER_WORDS]):
        # after words of its own a kicker may end in a short acronym: 'Kampf gegen den ISIrak: …'
        for i in range(2 if at else _MIN_KICKER, min(len(word) - 1, _MAX_KICKER_CHARS)):
            if word[i].isdigit() and i >= _MIN_KICKER and word[i - 1].islower() and word[i:].isdigit():
                # 'Prisoner exchange103 Ukrainian defenders home': a headline that opens with a number
                return " ".join([*words[:at], word[:i]]), " ".join([word[i:], *words[at + 1 :]]), word
            if word[i] in _OPENING_QUOTES and i >= _MIN_KICKER and word[:i].isalpha() and word[:i].isupper():
                # a kicker in capitals glued to a quotation that opens the headline: "HARWICK'Truce' on the walls"
                return " ".join([*words[:at], word[:i]]), " ".join([word[i:], *words[at + 1 :]]), word
            if not word[i].isupper():
                continue
            # 'SyrienSDF', 'Ost-KongoM23' too: an acronym, with digits, may open the headline
            # ... but a two-letter rest after lower case may be a name ('McDo')
            camel = i >= _MIN_KICKER and word[i - 1].islower() and (word[i + 1].isalpha() or word[i + 1].isdigit())
            camel = camel and i + 2 < len(word)
            # a kicker in capitals: 'BUS DISPUTEDrivers call off …', 'LOCAL SPORTNo more …' (the capital opens a word)
            capitals = word[i - 1].isupper() and word[i + 1 : i + 3].islower() and word[:i].isupper()
            # a kicker that ends in a number: 'Preiskampf an der B 418Waffenstillstand an der Zapfsäule'
            numbered = at > 0 and word[:i].isdigit() and word[i + 1 : i + 3].islower()
            if numbered:
                return " ".join([*words[:at], word[:i]]), " ".join([word[i:], *words[at + 1 :]]), word
            if camel or capitals:
                # the glued token is the run of letters around the join ('KambodschaSchüsse' of
                # 'Thailand–KambodschaSchüsse'): the rest of a compound is a word of its own
                begin = max((k + 1 for k in range(i) if not word[k].isalpha()), default=0)
                end = next((k for k in range(i, len(word)) if not word[k].isalpha()), len(word))
                return " ".join([*words[:at], word[:i]]), " ".join([word[i:], *words[at + 1 :]]), word[begin:end]
    return None


def _inflects(word: str, other: str) -> bool:
    return 0 < len(other) - len(word) <= _INFLECTION and other.startswith(word)


def _words(lines: Iterable[str]) -> frozenset[str]:
    return frozenset(w.casefold() for line in lines for w in WORD.findall(line))


def _undecorated(line: str) -> str:
    """ "+++ 16 Geiseln frei +++", "--- SCRIPT ---": a line without the marks a ticker or a script frames it with."""
    return _DECORATION.sub("", line)


def _unglue(title: str, crumbs: Sequence[str], crumb_heads: dict[str, str], others: Sequence[str]) -> Title | None:
    """The headline after a kicker glued to it, when the page bears the join out; None when there is none."""
    split = _glued_split(title)
    if split is None:
        return None
    glued_kicker, rest, token = split
    label = _SECTION_LABEL.match(rest)
    if label is not None and rest[: label.end()].isupper():
        return Title(rest[label.end() :], glued_kicker)  # 'Krieg in NahostLIVE: Feuerpause …': a label opens it
    crumb_keys = {key(c) for c in crumbs}
    if key(rest) in crumb_heads or key(rest) in crumb_keys or key(glued_kicker) in crumb_keys:
        return Title(rest, glued_kicker)
    words = _words(others)
    halves = [w.casefold() for w in (*WORD.findall(glued_kicker)[-1:], *WORD.findall(rest)[:1])]
    halves += [part for w in halves for part in re.split(r"[-'’]", w)[-1:] if part != w]  # 'Moskau-Reise
    # a half the page uses elsewhere, also inflected ('Gymnasium' beside 'des Gymnasiums')
    seen = any(len(w) >= _MIN_CONTENT and (w in words or any(_inflects(w, other) for other in words)) for w in halves)
    # the glued token is no word of the page ('NahostWaffenruhe'); one glued to a number ('exchange103',
    # '418Waffenstillstand') is judged whole, its letters being a word of their own
    unknown = (
        all(token.casefold() not in line.casefold() for line in others)
        if token[-1:].isdigit() or token[:1].isdigit()
        else all(w.casefold() not in words for w in WORD.findall(token))
    )
    # a kicker in capitals glued to a capitalised word ('LOCAL SPORTNo more strikes'): no word is spelt so
    if (seen or _capitals_glued(glued_kicker, rest)) and unknown:
        return Title(rest, glued_kicker)
    return None


def _capitals_glued(kicker: str, rest: str) -> bool:
    """A kicker whose last word is in capitals, glued to a headline that opens with a capitalised word."""
    last = kicker.split(" ")[-1]
    return len(last) >= _MIN_KICKER and last.isalpha() and last.isupper() and rest[:1].isupper() and rest[1:2].islower()


def _without_sender(subject: str, others: Sequence[str]) -> str:
    """ "Morgenkompass: Zwei Franzosen raus aus Evin": a subject that opens with the newsletter's name, as the sender's
    line gives it ("Von: Hanse-Anzeiger Morgenkompass <newsletter@…>"), opens with no headline word."""
    lead = _LEADING_NAME.match(subject)
    if lead is None:
        return subject
    name = lead.group("name").casefold()
    sender = any("@" in line and name in line.casefold() for line in others)
    return subject[lead.end() :] if sender else subject


def clean_title(title: str, crumbs: Sequence[str], others: Sequence[str]) -> Title:
    """The headline without breadcrumb number, site name and glued kicker; ``others`` are the page's other lines
    (the evidence that a glued kicker is one)."""
    # 'Kämpfe in Palästinenserlager+++ Libanon: Neue Waffenruhe … +++': a kicker, then the ticker's framed line
    kicker, *framed = title.split("+++")
    if len(framed) == 2 and kicker.strip() and framed[0].startswith(" ") and not framed[1].strip():
        return Title(framed[0].strip(), kicker.strip())
    undecorated = _undecorated(title)
    title = _MAIL_SUBJECT.sub("", undecorated)  # 'Betreff: Kongo wählt …': a newsletter's subject line
    if title != undecorated:
        title = _without_sender(title, others)
    title = _ITEM_NUMBER.sub("", title)  # '1 | YEMEN: 2,900 DETAINEES TO GO HOME': a newsletter's first item
    title = _GLUED_COLON.sub(": ", title)  # 'Kosovo und Serbien:Showdown am Ohridsee': the scrape lost the space
    number = _CRUMB_NUMBER.match(title) if crumbs else None
    if number is not None:
        title = title[number.end() :]
    title = _without_site(title)
    label = _WIRE_LABEL.match(title)
    if label is not None:
        title = title[label.end() :]
    lead = _LEADING_LABEL.match(title)
    if lead is not None and title[: lead.end()].strip(" :|–—-").isupper() and lead.end() < len(title):
        title = title[lead.end() :]
    section = _CAPS_LEAD.match(title)
    if section is not None and section.group(1).casefold() in {c.strip().casefold() for c in crumbs}:
        title = title[section.end() :]  # 'COUNCIL  Gravediggers call off …' under the crumbs '… › Council'
    crumb_heads: dict[str, str] = {}
    for crumb in crumbs:
        shaped = _KICKER_SHAPE.fullmatch(crumb)
        if shaped:
            crumb_heads[key(shaped.group("rest"))] = shaped.group("kicker")
    unglued = _unglue(title, crumbs, crumb_heads, others)
    if unglued is not None:
        again = _unglue(unglued.text, crumbs, crumb_heads, others)  # 'KritikBeethovens "Fidelio" im GrenzlagerWenn …'
        return again if again is not None else unglued
    return Title(title, crumb_heads.get(key(title)))
