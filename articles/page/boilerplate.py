"""Navigation, buttons, captions, credits, ads, link lists and promos around the story of a scraped page.

Each check looks at the *shape* of a line (length, final punctuation, separators, a numbered sequence) plus the
cue words of ``resources/<lang>/page.yaml`` of every language (a page's language is only known once its
boilerplate is gone). Agencies are language-independent (``resources/page.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from articles.page.dates import clock_of
from articles.page.normalise import ends_sentence, word_count
from articles.page.words import alternation, common_list, lower_set, phrase_pattern, union

__all__ = ["Stripped", "is_boilerplate", "is_caption", "is_label", "is_menu", "strip_boilerplate"]

_MENU_SPLIT = re.compile(r" +[|·•] +| *\] +\[ *")  # bars, dots, or items in brackets: "[ Top stories ] [ Local ]"
_MIN_MENU_ITEMS = 3
_LONG_MENU = 4  # short items before the last that make a row a menu whatever its last item
_MAX_MENU_ITEM_WORDS = 3

_CHARS_PER_WORD = 12
_MAX_BREADCRUMB = 300  # characters
_MAX_CAPTION_WORDS = 40
_MAX_CONSENT_WORDS = 80  # consent banners run long
_MAX_PROMO_WORDS = 30
_MAX_BUTTONS = 12  # words of a button row, an ad's claim, a short promo
_MAX_AD_CLAIM = 20  # words of an ad's claim right below its label
_MIN_BUTTONS = 3  # button words that make a row of buttons even with a few other words in it
_BUTTON_SHARE = 0.6  # of the row's words
_MAX_BYLINE_WORDS = 10
_MAX_LABEL_WORDS = 5
_MAX_ITEM_WORDS = 15  # an entry of a link list
_MAX_HEADING = 60  # characters of a list heading or ad label
_MAX_LIST_ITEMS = 12
_MAX_AD_LINES = 2  # an ad label is followed by an advertiser's name and a claim
_STORY_WORDS = 8  # a kept sentence this long is story text: the masthead lies above it
_MAX_CRUMB_ITEM_WORDS = 30

_NUMBERED_CRUMB = r"\d{1,2}\. ?[^\d\s.!?]"  # '2. Politik': a number, then an item's first letter
_BREADCRUMB_NUMBERED = re.compile(rf"(?:{_NUMBERED_CRUMB}[^.!?\d]{{0,40}})+")
# ... whose last item is the page's own headline, however long ('1. Home 2. News 4. Fountains switched off as …')
_BREADCRUMB_NUMBERED_HEAD = re.compile(
    rf"(?:{_NUMBERED_CRUMB}[^.!?\d]{{0,40}}){{2,}}{_NUMBERED_CRUMB}[^.!?\d]{{0,120}}"
)
# a label before a numbered breadcrumb ('You are here: 1. Home 2. …')
_NUMBERED_LABEL = re.compile(r"^[^:\d]{2,30}: +(?=1\. ?\S)")
_NUMBERED_ITEM = re.compile(r"(\d{1,2})\. (\S.*)")
_CRUMB_NUMBER = re.compile(r"(?:^| )(\d{1,2})\. ?")
_MAX_CRUMB_WORDS = 4  # words of a section in a breadcrumb path
_BREADCRUMB_ARROWS = re.compile(r" ?[>›»▸►→❯] ?| / ")
_ARROW = re.compile(r"[>›»▸►→❯]")
# Text shaped like an HTML tag: its ">" is no breadcrumb arrow (a headline may quote "<b>" or "<script>").
_TAG_LIKE = re.compile(r"</?[A-Za-z][^<>]{0,40}>")
# A quotation in guillemets: its "»" closes the quote, no breadcrumb arrow («Meine Karre als Geisel»: …).
_GUILLEMETS = re.compile(r"«[^«»]{1,120}»")
_HOME = lower_set("home")
_LISTEN = re.compile(rf"^(?:{alternation(union('listen'))})\b.{{0,30}}$", re.IGNORECASE)
# '<label>: <title>, 3 Min' — the teaser of an audio or video clip beside the story, with its length
_MEDIA_TEASER = re.compile(
    rf"^(?:{alternation(union('media_labels'))}) ?: \S.{{0,200}}, "
    rf"\d{{1,3}}(?::\d\d)? ?(?:{alternation(union('media_units'))})\.?$",
    re.IGNORECASE,
)
_BUTTON_WORDS = lower_set("buttons")
_BUTTON_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_CREDIT_LABEL = re.compile(
    rf"(?:^|[ (.|,;·•])(?:{alternation(union('credit_labels'))}) ?: ?\S[^:]{{0,80}}$", re.IGNORECASE
)
# a credit in brackets at the end, whoever took the picture: '… on Friday evening. (NNN photo)', '(Foto: privat)'
_BRACKET_CREDIT = re.compile(
    rf"\((?:[^()]{{1,40}} )?(?:{alternation(union('credit_labels'))})(?: ?:[^()]{{1,40}})?\)$", re.IGNORECASE
)
_ARCHIVE_TAG = re.compile(rf"\((?:{alternation(union('archive_tags'))})\)", re.IGNORECASE)
# '… in a file photo. Wire/Jane Doe/File Photo': a credit of slashed names that ends in the archive tag
_ARCHIVE_TAIL = re.compile(rf"\S/(?:{alternation(union('archive_tags'))})$", re.IGNORECASE)
_COPYRIGHT = common_list("copyright")
_AGENCY_RE = re.compile(alternation(common_list("agencies")))
_PHOTO_AGENCY_TAIL = re.compile(rf"(?:{alternation(common_list('photo_agencies'))})\)?$", re.IGNORECASE)
_SLASH = re.compile(r" ?/ ?")
_CREDIT_TAIL_SPLIT = re.compile(r"[.!?|·•] |\(| [–—-] ")
# '(dpa/rtr)' after the last sentence of a story paragraph: the initials go, the paragraph stays.
_TRAILING_INITIALS = re.compile(r"(?<=[.!?“”\"]) ?\( ?[A-Za-zäöü]{1,8}(?: ?[/,] ?[A-Za-zäöü]{1,10}){0,5} ?\)$")
_INITIALS = re.compile(r"\(? ?[a-zäöüA-Z]{1,8}(?: ?[/,] ?[a-zäöüA-Za-z]{1,10}){0,5} ?\)?\.?")
_AGENCY_NOTE = re.compile(rf"^\(?(?:{alternation(union('agency_notes'))})(?!\w)", re.IGNORECASE)
_NAME = r"(?:[A-ZÄÖÜ][\w.'’-]*|[a-z]+(?:[-.][a-z0-9]+)+)"  # 'Jane Doe', 't-online', 'spiegel.de'
_CREDIT_WORDS = lower_set("credit_labels")
_BYLINE = re.compile(
    rf"^(?i:{alternation(union('byline'))}) {_NAME}(?:(?:,? | (?i:{alternation(union('byline_joiners'))}) ){_NAME})*"
    r"(?:[,|] ?.*)?$"
)
_RELATED_HEADINGS = lower_set("related_headings")
_RELATED_INLINE = re.compile(rf"^(?:{alternation(union('related_prefixes'))}) ?: ?\S", re.IGNORECASE)
_AD_LABELS = lower_set("ad_labels")
# an outlet's slogan beside its name ('NEWSFLUT.de – Nachrichten aus über 800 Quellen'); '#' in the list is a number
_SLOGAN = re.compile(phrase_pattern(union("slogans")).replace(r"\#", r"\d[\d.,]*"), re.IGNORECASE)
_AD_INLINE = re.compile(rf"^(?:{alternation(union('ad_prefixes'))}) ?[:|–—-] ?\S", re.IGNORECASE)
_CONSENT = tuple(word.lower() for word in common_list("consent"))
_PROMO_STRONG = re.compile(phrase_pattern(union("promo_strong"), stars=True), re.IGNORECASE)
_PROMO_WEAK = re.compile(phrase_pattern(union("promo_weak"), stars=True), re.IGNORECASE)
_LABEL_WORDS = lower_set("section_labels")
_LABEL_SEPARATORS = re.compile(r" ?[·•|] ?")
_LABEL_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def _size(line: str) -> int:
    """The words of a (normalised) line — or its length in characters over twelve when that is more, so a run of
    a megabyte without spaces never passes for a short line (and no short-line pattern ever scans it)."""
    return max(line.count(" ") + 1, len(line) // _CHARS_PER_WORD)


_MAX_LAST_CRUMB = 12
_CRUMB_LABEL = re.compile(r"^[^:>›»▸►→❯/]{2,30}: +(?=[^>›»▸►→❯/]+(?:[>›»▸►→❯]| / ))")  # a label before the first crumb


def _is_breadcrumb(line: str) -> bool:
    """'1. Startseite 2. Politik', '2. Politik' on its own line, or 'Home > World > Europe'."""
    line = _NUMBERED_LABEL.sub("", line, count=1)  # 'You are here: 1. Home 2. …'
    if len(line) > _MAX_BREADCRUMB or not (line[0].isdigit() or _ARROW.search(line) or " / " in line):
        return False
    if ends_sentence(line) or _is_buttons(line, _size(line)):
        return False  # 'Zum Originalartikel → Teilen  f  X  Merken': links to act on the story, not a path to it
    line = _TAG_LIKE.sub(" ", _GUILLEMETS.sub(" ", line))
    if _BREADCRUMB_NUMBERED.fullmatch(line) or _BREADCRUMB_NUMBERED_HEAD.fullmatch(line):
        return word_count(line) <= 6 * line.count(".")
    line = _CRUMB_LABEL.sub("", line, count=1)  # 'Sie befinden sich hier: Startseite > Region > …'
    parts = [p for p in _BREADCRUMB_ARROWS.split(line) if p]
    # the last crumb may be the story's own (short) headline: 'Home / Nation / India, China agree on patrolling'
    # a section may be a name of a few words when arrows set three apart ('Racing › Tour of the Cairn Hills › Live')
    most = _MAX_CRUMB_WORDS + 2 * (len(parts) >= 3 and _ARROW.search(line) is not None)
    if len(parts) < 2 or any(word_count(p) > most for p in parts[:-1]) or word_count(parts[-1]) > _MAX_LAST_CRUMB:
        return False
    # 'Home / World', or a path of three sections or more: 'Publications / Policy Briefs / Latin America Monitor'
    return bool(_ARROW.search(line)) or parts[0].lower() in _HOME or len(parts) >= 3


def _is_buttons(line: str, size: int) -> bool:
    """A row of share/save/print/listen buttons: every word is a button word (numbers allowed, '4 min'), or most
    are and at least three ('Share X Facebook LinkedIn Email Link Purchase Licensing Rights')."""
    if size > _MAX_BUTTONS:
        return False
    words = _BUTTON_TOKEN.findall(line.lower())
    if not 0 < len(words) <= _MAX_BUTTONS or all(w.isdigit() for w in words):
        return False  # numbers alone ('22:05', a live blog's entry stamp) are no row of buttons
    buttons = sum(1 for w in words if w in _BUTTON_WORDS or w.isdigit())
    return buttons == len(words) or (buttons >= _MIN_BUTTONS and buttons >= _BUTTON_SHARE * len(words))


def is_caption(line: str) -> bool:
    """A photo caption: carries a credit label ('Foto: …', 'Photo: AFP') or ends in an agency credit."""
    if _size(line) > _MAX_CAPTION_WORDS:
        return False
    if _CREDIT_LABEL.search(line) or _ARCHIVE_TAG.search(line) or _ARCHIVE_TAIL.search(line.rstrip()):
        return True
    if any(mark in line.lower() for mark in _COPYRIGHT):
        return True
    if _BRACKET_CREDIT.search(line):
        return True
    if ends_sentence(line):
        return False
    return _is_credit(_CREDIT_TAIL_SPLIT.split(line)[-1].strip().rstrip(")")) or bool(_PHOTO_AGENCY_TAIL.search(line))


def _strip_credit_words(words: list[str]) -> list[str]:
    """'Copyright AP Photo' → 'AP': the credit words around an agency's name."""
    while words and words[0].lower().rstrip(":") in _CREDIT_WORDS:
        words = words[1:]
    while words and words[-1].lower() in _CREDIT_WORDS:
        words = words[:-1]
    return words


def _is_credit(tail: str) -> bool:
    """'AFP', 'John Smith/AFP', 'Sputnik/AP/dpa', '… Kharkiv REUTERS/Jane Doe', '(AP Photo)', 'AP Photo/Jane Doe':
    an agency in a short credit."""
    tail = " ".join(_strip_credit_words(tail.split()))
    if _AGENCY_RE.fullmatch(tail):
        return True
    segments = _SLASH.split(tail)
    if len(segments) < 2 or word_count(" ".join(segments[1:])) > 8:
        return False
    lead = _strip_credit_words(segments[0].split())
    candidates = [" ".join(lead[-2:]), *lead[-1:], *segments[1:]]
    return any(_AGENCY_RE.fullmatch(c) for c in candidates)


def _is_author_note(line: str, size: int) -> bool:
    """Initials and agency notes: '(dpa/afp/rtr)', 'fh/AP', 'flx, mmm, amz', '(Reporting by …)', 'By Jane Doe'."""
    if _INITIALS.fullmatch(line) and ("/" in line or line.startswith("(") or ("," in line and line.islower())):
        return True
    if _AGENCY_NOTE.match(line):
        return True
    return size <= _MAX_BYLINE_WORDS and not ends_sentence(line) and bool(_BYLINE.match(line))


def _norm_heading(line: str) -> str:
    return line.lower().rstrip(" :.").strip()


def _is_related_heading(line: str) -> bool:
    return len(line) <= _MAX_HEADING and _norm_heading(line) in _RELATED_HEADINGS


def _is_ad_label(line: str) -> bool:
    return len(line) <= _MAX_HEADING and _norm_heading(line) in _AD_LABELS


def _is_heading(line: str) -> bool:
    """A heading that starts a new boilerplate block (so a list ends and the new block is handled)."""
    return _is_related_heading(line) or _is_ad_label(line)


def _is_promo(line: str, size: int) -> bool:
    """Newsletter, cookie, subscription, app and follow-us lines."""
    if size > _MAX_CONSENT_WORDS:
        return False
    lowered = line.lower()
    if any(word in lowered for word in _CONSENT):
        return True
    if size <= _MAX_PROMO_WORDS and (_PROMO_STRONG.search(line) or _SLOGAN.search(line)):
        return True
    if size > _MAX_BUTTONS or line.endswith("."):
        return False
    # a button's label is capitalised ('Sign up', 'Abo'); in a headline the words run on ('Utility firms sign up to …')
    return any(m.group(0)[:1].isupper() or not m.start() for m in _PROMO_WEAK.finditer(line))


def is_label(line: str) -> bool:
    """Section labels and kickers: 'Live', 'Middle East · Live', 'Politik | Ausland'."""
    if _size(line) > _MAX_LABEL_WORDS or ends_sentence(line):
        return False
    words = [w.lower() for w in _LABEL_WORD.findall(line)]
    if len(words) <= 3 and any(w in _LABEL_WORDS for w in words):
        return True
    parts = [p for p in _LABEL_SEPARATORS.split(line) if p]
    return len(parts) >= 2 and all(word_count(p) <= 3 for p in parts)


def _is_list_item(line: str) -> bool:
    """A short entry under a 'Related'/'Most read' heading: a headline or topic, not a story sentence."""
    size = _size(line)
    return size <= _MAX_ITEM_WORDS and not (line.endswith(".") and size >= 6)


def _is_ad_line(line: str, adjacent: bool, continued: bool = False) -> bool:
    """An advertiser's name or claim after an ad label; right below it even a short claim with a period.
    ``continued``: the next line goes on without a break, as a paragraph's second line does."""
    size = _size(line)
    if size > _MAX_BUTTONS:
        # a longer claim right below the label, ending in a call rather than a full stop ('… Jetzt eröffnen'); a
        # line the next one continues is a paragraph's first ('Die Waffenruhe war am 19. Jänner … später als')
        return size <= _MAX_AD_CLAIM and adjacent and not ends_sentence(line) and not continued
    return not line.endswith(".") or (adjacent and size < 8)


def is_boilerplate(line: str) -> bool:
    """Stateless checks for one line; list headings and ad labels also consume the lines after them."""
    size = _size(line)
    if size > _MAX_CAPTION_WORDS:
        return _is_promo(line, size)  # only a cookie banner runs this long; skip the short-line checks
    return _is_short_boilerplate(line, size)


@lru_cache(maxsize=8192)
def _is_short_boilerplate(line: str, size: int) -> bool:
    """The checks of a short line, remembered: an outlet's menus, buttons and labels recur on all its pages."""
    return (
        _is_breadcrumb(line)
        or bool(_LISTEN.match(line))
        or bool(_MEDIA_TEASER.match(line))
        or _is_buttons(line, size)
        or is_caption(line)
        or _is_author_note(line, size)
        or bool(_RELATED_INLINE.match(line))
        or bool(_AD_INLINE.match(line))
        or _is_promo(line, size)
        or is_label(line)
    )


@dataclass(frozen=True, slots=True)
class Stripped:
    """The page's lines with boilerplate replaced by None (blank lines stay ''), and its breadcrumb items."""

    kept: list[str | None]
    crumbs: tuple[str, ...]
    navigation: frozenset[int]  # breadcrumbs and menus: what stands above them is the masthead


def _crumb_items(line: str) -> tuple[list[str], int]:
    """The items of a numbered breadcrumb line and the number the next item would carry."""
    numbers = _CRUMB_NUMBER.findall(line)
    items = [item.strip() for item in _CRUMB_NUMBER.split(line)[2::2] if item.strip()]
    return items, (int(numbers[-1]) + 1 if numbers else 0)


def is_menu(line: str) -> bool:
    """'Top Stories | World | South Asia | Business': three or more short items between bars or dots. After a
    longer row of them the last item may run on ('… · Podcasts · Print edition Log in Subscribe'): the columns
    of the page's header, scraped onto one line; the first may be the site's name before it ('Radio Oberland
    Welle – Hören | Programm | Podcasts | Verkehr | Wetter')."""
    items = _MENU_SPLIT.split(line)
    short = [word_count(item) <= _MAX_MENU_ITEM_WORDS for item in items]
    return (len(items) >= _MIN_MENU_ITEMS and all(short)) or (
        len(items) > _LONG_MENU and (all(short[:-1]) or all(short[1:]))
    )


def strip_boilerplate(
    lines: Sequence[str],
    skip: frozenset[int],
    menus: frozenset[int] = frozenset(),
    pairs: frozenset[int] = frozenset(),
    stamp_line: int | None = None,
) -> Stripped:
    """The lines with boilerplate replaced by None; blank lines stay ''. Indexes in ``skip`` (stamp lines),
    ``menus`` (rows of columns) and ``pairs`` (rows of two) are dropped too; a stamp line also ends a link list, and
    a menu is navigation (the headline stands below it), a pair only above the publication stamp ('Live updates
    By Africa desk' under a live blog's headline is a pair of labels, not a section path).

    A related/most-read heading also removes the short items under it (blank lines between them allowed), up
    to a dozen and never past the publication line; an ad label also removes the advertiser lines after it. A
    numbered line that continues a numbered breadcrumb ('4. Ukraine: Russland will …' after '3. International')
    is its last item, however long: the current page's headline, not story text.
    """
    out: list[str | None] = []
    crumbs: list[str] = []
    navigation: set[int] = set()
    first_stamp = min(skip, default=len(lines))
    if stamp_line is not None and any(lines[:stamp_line]):
        # the stamp's line counts when only the stamp was cut out of it ('Quelle: … | 15.04.2025 | Aktualisiert …'),
        # unless it opens the page (an e-paper's row of paper, day and page, with the paper's menus under it)
        first_stamp = min(first_stamp, stamp_line)
    items_left = 0  # inside a related/most-read list while > 0
    ad_left = 0  # advertiser lines still expected after an ad label
    crumb_next = 0  # the number a breadcrumb item continuing the list would carry
    adjacent = False  # the previous line was not blank
    story_seen = False  # a line of story text has been kept
    dropped = False  # the previous line was dropped as boilerplate text (a notice, a promotion)
    for i, line in enumerate(lines):
        if i in skip:
            items_left = ad_left = 0
            out.append(None)
            adjacent = True
            continue
        if not line:
            out.append("")
            adjacent = False
            continue
        if i in pairs:
            if i < first_stamp and i != stamp_line:
                navigation.add(i)  # a section path above the stamp: the headline stands below it
            out.append(None)
            adjacent = True
            continue
        if (i in menus or is_menu(line)) and not _is_breadcrumb(line):
            # the stamp's own row ('Source: Post  ·  03.02.2025  ·  4 min read'), kept once the stamp is cut out of
            # it, stands under the headline, not above it
            if not _is_buttons(line, _size(line)) and i < first_stamp and i != stamp_line:
                navigation.add(i)  # below the stamp a row of links is a live blog's tools, not the masthead
            out.append(None)
            adjacent = True
            continue
        if line.endswith(")"):
            line = _TRAILING_INITIALS.sub("", line)
        item = _NUMBERED_ITEM.fullmatch(line) if crumb_next else None
        if item and int(item.group(1)) == crumb_next and word_count(item.group(2)) <= _MAX_CRUMB_ITEM_WORDS:
            crumbs.append(item.group(2))
            crumb_next += 1
            navigation.add(i)
            out.append(None)
        elif items_left and _is_list_item(line) and not _is_heading(line):
            items_left -= 1
            out.append(None)
        elif (
            ad_left
            and _is_ad_line(line, adjacent, continued=i + 1 < len(lines) and bool(lines[i + 1]) and i + 1 not in skip)
            and not _is_heading(line)
            and clock_of(line) is None
        ):
            # a live blog's next entry ('+++ 13:10 Uhr – …') ends the ad, and its text is no advertiser's claim
            ad_left -= 1
            out.append(None)
        else:
            items_left = ad_left = 0
            if _is_related_heading(line):
                items_left = _MAX_LIST_ITEMS
                out.append(None)
            elif _is_ad_label(line):
                # above the story a label with a blank line under it marks a banner's slot: the kicker and headline
                # follow, not an advertiser's lines (which stand right below a label)
                banner = not story_seen and i + 1 < len(lines) and not lines[i + 1]
                ad_left = 0 if banner else _MAX_AD_LINES
                out.append(None)
            elif _is_breadcrumb(line):
                numbered = _NUMBERED_LABEL.sub("", line, count=1)
                if numbered[:1].isdigit():
                    items, crumb_next = _crumb_items(numbered)
                else:
                    items, crumb_next = _BREADCRUMB_ARROWS.split(line), 0
                crumbs.extend(items)
                navigation.add(i)
                out.append(None)
            else:
                crumb_next = 0
                # a notice wrapped onto the next line runs on in lower case ('… um Ihr Nutzungsverhalten' / 'zu
                # analysieren. Mit "Alle akzeptieren" …'): that line goes with it
                runs_on = adjacent and dropped and line[:1].islower()
                dropped = runs_on or is_boilerplate(line)
                out.append(None if dropped else line)
                story_seen = story_seen or (ends_sentence(line) and word_count(line) >= _STORY_WORDS)
                adjacent = True
                continue
        dropped = False
        adjacent = True
    return Stripped(out, tuple(crumbs), frozenset(navigation))
