"""Page layer: a scraped news page (plain text) becomes headline, publication moment, language and story text.

Scraped pages carry navigation, captions, buttons, ads and link lists around the story. Everything here works on
the *shape* of a line (length, final punctuation, separators) plus short keyword lists, so it generalises beyond
the pages it was written against. Dates are parsed with compiled regexes and small month/weekday tables because
``dateparser`` costs milliseconds a call and extraction must handle well over 100 articles a second.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from articles.model import ArticleError, Language, Moment

__all__ = ["Page", "content_hash", "detect_language", "parse_page"]

# --------------------------------------------------------------------------------------------------------------
# Text normalisation

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u00ad\u200b\u200c\u200d\u2060"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def _lines(text: str) -> list[str]:
    """Lines with invisible characters removed and inner whitespace collapsed; blank lines become ''."""
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    return [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def content_hash(text: str) -> str:
    """SHA-256 of the page with line endings and whitespace runs normalised.

    Re-saving a page (CRLF vs LF, a BOM, trailing spaces, extra blank lines) must not make it a new article,
    but a changed word must.
    """
    out: list[str] = []
    for line in _lines(text):
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return hashlib.sha256("\n".join(out).encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------------------------------------------
# Line shape

_CLOSERS = "\"'”“»«’‘)]"
_TERMINAL = (".", "!", "?", "…")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def _wordset(text: str) -> frozenset[str]:
    """Keyword tables are written as plain text, one space between entries, to keep them readable."""
    return frozenset(text.split())


def _phraseset(text: str) -> frozenset[str]:
    """Like :func:`_wordset` for entries of several words, separated by '|'."""
    return frozenset(p.strip() for p in text.split("|"))


def _ends_sentence(line: str) -> bool:
    """True when the line ends like a sentence (closing quotes and brackets ignored)."""
    return line.rstrip(_CLOSERS).endswith(_TERMINAL)


def _word_count(line: str) -> int:
    return len(line.split())


def _key(line: str) -> str:
    """Comparison key for duplicate detection: case and punctuation spacing do not matter."""
    return " ".join(_WORD.findall(line.casefold()))


# --------------------------------------------------------------------------------------------------------------
# Publication date line

_EN_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_DE_MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "maerz": 3, "mär": 3, "mrz": 3, "mai": 5, "juni": 6,
    "juli": 7, "oktober": 10, "okt": 10, "dezember": 12, "dez": 12,
}  # fmt: skip
_MONTHS = {**_EN_MONTHS, **_DE_MONTHS}
_EN_WEEKDAYS = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
)  # fmt: skip
_DE_WEEKDAYS = (
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonnabend", "sonntag",
    "mo", "di", "mi", "do", "fr", "sa", "so",
)  # fmt: skip


def _alternation(words: Sequence[str]) -> str:
    """Regex alternation that tries longer names first, so 'September' is not read as 'Sep'."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MONTH = rf"(?:{_alternation(list(_MONTHS))})"
_WEEKDAY = rf"(?:{_alternation(_EN_WEEKDAYS + _DE_WEEKDAYS)})"

_DATE_RE = re.compile(
    rf"""
    (?<![\w.])
    (?:{_WEEKDAY}\.?,?\s+(?:the\s+|den\s+)?)?
    (?:
        (?P<iy>\d{{4}})(?P<isep>[-/])(?P<im>\d{{1,2}})(?P=isep)(?P<id>\d{{1,2}})(?!\d)
      | (?P<nd>\d{{1,2}})\.\s?(?P<nm>\d{{1,2}})\.\s?(?P<ny>\d{{4}}|\d{{2}})(?![\d:])
      | (?P<sd>\d{{1,2}})/(?P<sm>\d{{1,2}})/(?P<sy>\d{{4}})(?!\d)
      | (?P<wd>\d{{1,2}})(?:\.|st|nd|rd|th)?\s+(?:of\s+)?(?P<wm>{_MONTH})\.?,?\s+(?P<wy>\d{{4}})(?!\d)
      | (?P<mm>{_MONTH})\.?\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<my>\d{{4}})(?!\d)
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
_CLOCK = r"""
    (?:
        (?P<h>\d{1,2})[:.h](?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[ap]\.?\s?m\b\.?)?
      | (?P<h2>\d{1,2})\s*(?P<ampm2>[ap]\.?\s?m\b\.?)
      | (?P<h3>\d{1,2})(?=\s*Uhr)
    )
    (?:\s*(?P<uhr>Uhr)\b)?
"""
_ZONE = r"""
    (?:\s*\(?\s*
        (?:
            (?P<abbr>GMT|UTC|BST|CEST|CET|MESZ|MEZ|EEST|EET|MSK|EST|EDT|CST|CDT|MST|MDT|PST|PDT|WEST|WET|IDT
                |ET|CT|MT|PT|Z)(?![A-Za-z])
            \s*(?P<off>[+\-−]\s?\d{1,2}(?::?\d{2})?)?
          | (?P<bare>[+\-−]\d{2}:?\d{2})
        )
    \s*\)?)?
"""
_TIME_AFTER = re.compile(
    rf"(?:[\s,|·•/–—\-]|\bat\b|\bum\b|\bgegen\b|T)*{_CLOCK}{_ZONE}(?:\s*Uhr\b)?",
    re.IGNORECASE | re.VERBOSE,
)
_TIME_BEFORE = re.compile(
    rf"{_CLOCK}{_ZONE}(?:[\s,|·•/–—\-]|\bon\b|\bam\b)*$",
    re.IGNORECASE | re.VERBOSE,
)

_FIXED_ZONES = {
    "GMT": 0, "UTC": 0, "Z": 0, "BST": 60, "CET": 60, "MEZ": 60, "CEST": 120, "MESZ": 120,
    "EET": 120, "EEST": 180, "MSK": 180, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420,
    "MDT": -360, "PST": -480, "PDT": -420, "WET": 0, "WEST": 60, "IDT": 180,
}  # fmt: skip
# US pages write 'ET'/'PT' for whichever of standard or daylight time applies that day.
_REGION_ZONES = {"ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles"}
_BERLIN = ZoneInfo("Europe/Berlin")

# Words a publication line may carry besides the stamp itself; anything else means the date sits in a sentence.
_STAMP_WORDS = _wordset(
    """published publish updated update last modified posted first on at date dated and time
    stand aktualisiert aktualisierung veröffentlicht erschienen erstellt zuletzt geändert am um uhr und datum
    artikel anhören listen to this article story min mins minute minutes minuten read lesezeit lesedauer"""
)
_PUBLISHED_WORDS = re.compile(r"\b(?:published|posted|veröffentlicht|erschienen|erstellt)\b", re.IGNORECASE)
_UPDATED_WORDS = re.compile(r"\b(?:updated|update|modified|aktualisiert|geändert)\b", re.IGNORECASE)
_BYLINE_IN_STAMP = re.compile(
    r"\b(?:[Bb]y|[Vv]on)\s+[A-ZÄÖÜ][\w.'’-]*(?:\s*(?:,|and|und|&)?\s*[A-ZÄÖÜ][\w.'’-]*){0,6}", re.UNICODE
)
_PAREN_SHORT = re.compile(r"\([^()]{0,24}\)")
_MAX_STAMP_LINE = 160
_DIGIT = re.compile(r"\d")
_DATE_WINDOW = 20
_KEYWORD_LED = re.compile(r"(?:stand|published|veröffentlicht|updated|aktualisiert|date|datum)\b", re.I)


@dataclass(frozen=True, slots=True)
class _Stamp:
    """One date (with its clock time and zone when given) found in a line, before the zone is settled."""

    start: int
    end: int
    day: date
    clock: tuple[int, int, int] | None
    zone: tzinfo | None
    local_german: bool  # 'Uhr' or German month/weekday names: a German page's local time


def _zone(abbr: str | None, offset: str | None) -> tzinfo | None:
    """Fixed-offset zone from an abbreviation and/or a signed offset ('GMT+3', 'UTC+05:30', '+0100')."""
    if abbr and abbr.upper() in _REGION_ZONES and not offset:
        return ZoneInfo(_REGION_ZONES[abbr.upper()])
    minutes = _FIXED_ZONES.get(abbr.upper(), 0) if abbr else 0
    if offset:
        sign = -1 if offset[0] in "-−" else 1
        digits = offset[1:].strip().replace(":", "")
        hours, mins = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
        minutes = sign * (int(hours) * 60 + int(mins))
    if abbr is None and offset is None:
        return None
    return timezone(timedelta(minutes=minutes))


def _clock(m: re.Match[str]) -> tuple[int, int, int] | None:
    """Hour, minute, second of a matched clock time, or None when it is not a valid time of day."""
    hour_text = m.group("h") or m.group("h2") or m.group("h3")
    hour, minute = int(hour_text), int(m.group("mi") or 0)
    second = int(m.group("s") or 0)
    ampm = (m.group("ampm") or m.group("ampm2") or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    if hour == 24 and minute == 0:
        return None
    if hour > 23 or minute > 59 or second > 59:
        return None
    return hour, minute, second


def _day(m: re.Match[str]) -> tuple[date, bool] | None:
    """The calendar day a date match names, and whether it was written the German way."""
    german = False
    if m.group("iy"):
        y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
    elif m.group("nd"):
        y, mo, d = int(m.group("ny")), int(m.group("nm")), int(m.group("nd"))
        y += 2000 if y < 100 else 0
    elif m.group("sd"):
        d, mo, y = int(m.group("sd")), int(m.group("sm")), int(m.group("sy"))
        if mo > 12 >= d:  # month first after all (US style)
            d, mo = mo, d
    elif m.group("wd"):
        name = m.group("wm").lower()
        d, mo, y = int(m.group("wd")), _MONTHS[name], int(m.group("wy"))
        german = name in _DE_MONTHS or f"{m.group('wd')}." in m.group(0)
    else:
        name = m.group("mm").lower()
        d, mo, y = int(m.group("md")), _MONTHS[name], int(m.group("my"))
        german = name in _DE_MONTHS
    first = m.group(0).split()[0].rstrip(".,").lower()
    german = german or first in _DE_WEEKDAYS[:8]
    try:
        return date(y, mo, d), german
    except ValueError:
        return None


def _stamps(line: str) -> list[_Stamp]:
    """Every date in the line together with the clock time and zone attached to it."""
    found: list[_Stamp] = []
    for m in _DATE_RE.finditer(line):
        parsed = _day(m)
        if parsed is None:
            continue
        day, german = parsed
        start, end = m.start(), m.end()
        clock: tuple[int, int, int] | None = None
        zone: tzinfo | None = None
        uhr = False
        t = _TIME_AFTER.match(line, end)
        if t is None:
            t = _TIME_BEFORE.search(line, 0, start)
            if t is not None and (found and t.start() < found[-1].end):
                t = None
        if t is not None:
            clock = _clock(t)
            if clock is not None:
                zone = _zone(t.group("abbr"), t.group("off") or t.group("bare"))
                uhr = "uhr" in t.group(0).lower()
                start, end = min(start, t.start()), max(end, t.end())
        found.append(_Stamp(start, end, day, clock, zone, german or uhr))
    return found


def _is_stamp_line(line: str, stamps: list[_Stamp]) -> bool:
    """True when, besides its dates, the line holds only publication-line words, a byline or short tags."""
    if not stamps or len(line) > _MAX_STAMP_LINE:
        return False
    if line.endswith(_TERMINAL) and len(line) > stamps[-1].end:
        return False  # 'Am 3. Mai 2025.' is a sentence, not a publication line
    rest, pos = [], 0
    for s in stamps:
        rest.append(line[pos : s.start])
        pos = s.end
    rest.append(line[pos:])
    remainder = _PAREN_SHORT.sub(" ", _BYLINE_IN_STAMP.sub(" ", " ".join(rest)))
    # short capitals are zone abbreviations this module does not know, or a source tag such as 'BBC'
    return all(w.lower() in _STAMP_WORDS or (w.isupper() and len(w) <= 5) for w in _WORD.findall(remainder))


def _pick(line: str, stamps: list[_Stamp]) -> _Stamp:
    """Of several stamps on one line, the publication one: named 'published', else the first not 'updated'."""

    def before(s: _Stamp) -> str:
        prev = max((o.end for o in stamps if o.end <= s.start), default=0)
        return line[prev : s.start]

    for s in stamps:
        if _PUBLISHED_WORDS.search(before(s)):
            return s
    for s in stamps:
        if not _UPDATED_WORDS.search(before(s)):
            return s
    return stamps[0]


def _find_stamp_lines(lines: Sequence[str]) -> list[tuple[int, _Stamp, bool]]:
    """Publication-line candidates as (line index, stamp, says 'published'), near the top first.

    Only the first ~20 non-empty lines are searched, so a date inside the story is not taken for the
    publication line. Pages that put 'Stand: …' at the bottom are found by a keyword-led second pass.
    """
    found: list[tuple[int, _Stamp, bool]] = []
    seen = 0
    for i, line in enumerate(lines):
        if not line:
            continue
        seen += 1
        if seen > _DATE_WINDOW:
            break
        if len(line) > _MAX_STAMP_LINE or not _DIGIT.search(line):
            continue
        stamps = _stamps(line)
        if _is_stamp_line(line, stamps):
            found.append((i, _pick(line, stamps), bool(_PUBLISHED_WORDS.search(line))))
    if not found:
        for i, line in enumerate(lines):
            if len(line) <= _MAX_STAMP_LINE and _KEYWORD_LED.match(line):
                stamps = _stamps(line)
                if _is_stamp_line(line, stamps):
                    found.append((i, _pick(line, stamps), True))
                    break
    return found


def _moment(stamp: _Stamp, language: Language) -> Moment:
    """The stamp as a date, a naive datetime, or an aware one (German pages without a zone: Berlin time)."""
    if stamp.clock is None:
        return stamp.day
    naive = datetime(stamp.day.year, stamp.day.month, stamp.day.day, *stamp.clock)
    if stamp.zone is not None:
        offset = naive.replace(tzinfo=stamp.zone).utcoffset()
        return naive.replace(tzinfo=timezone(offset or timedelta(0)))
    return _localise(naive, stamp.local_german or language == "de")


def _localise(naive: datetime, german: bool) -> datetime:
    """German pages give Berlin wall-clock time; as a fixed offset so storage sees a plain ISO offset."""
    if not german or naive.tzinfo is not None:
        return naive
    offset = naive.replace(tzinfo=_BERLIN).utcoffset()
    return naive.replace(tzinfo=timezone(offset or timedelta(0)))


@lru_cache(maxsize=1)
def _dateparser_parse() -> Callable[..., object]:
    """Imported on first use only: dateparser is slow to import and only a last resort here."""
    import dateparser

    parse: Callable[..., object] = dateparser.parse
    return parse


_FALLBACK_CLOCK = re.compile(r"\d[:.]\d\d(?!\d)|\d\s*(?:[ap]\.?m\b|uhr)|\b(?:noon|midnight|mittag|mitternacht)\b", re.I)


def _fallback_stamp(lines: Sequence[str]) -> tuple[int, Moment] | None:
    """Last resort for keyword-led lines the regexes do not cover ('Published: 3rd of May, 2025 at noon')."""
    keyword = re.compile(r"^(?:published|veröffentlicht|stand|date|datum|posted|erschienen)\b[:\s]*(.+)$", re.I)
    seen = 0
    for i, line in enumerate(lines):
        if not line:
            continue
        seen += 1
        if seen > _DATE_WINDOW:
            return None
        m = keyword.match(line)
        if m and _DIGIT.search(line) and len(line) <= _MAX_STAMP_LINE:
            parse = _dateparser_parse()
            value = parse(m.group(1), languages=["en", "de"])
            if isinstance(value, datetime):
                return i, value if _FALLBACK_CLOCK.search(line) else value.date()
    return None


# --------------------------------------------------------------------------------------------------------------
# Boilerplate

_BREADCRUMB_NUMBERED = re.compile(r"(?:\d{1,2}\.\s+[^\d\s.!?][^.!?\d]{0,40})+")
_MAX_BREADCRUMB = 300
_BREADCRUMB_ARROWS = re.compile(r"\s*[>›»]\s*|\s+/\s+")
# Text shaped like an HTML tag: its ">" is no breadcrumb arrow (a headline may quote "<b>" or "<script>").
_TAG_LIKE = re.compile(r"</?[A-Za-z][^<>]{0,40}>")
_HOME_WORDS = frozenset({"home", "startseite", "news", "nachrichten", "start"})
_LISTEN = re.compile(
    r"^(?:listen(?: to (?:this|the) (?:article|story))?|artikel (?:vor)?(?:anhören|vorlesen)|anhören|vorlesen"
    r"|audio(?:version)?|play audio|audio abspielen)\b.{0,30}$",
    re.IGNORECASE,
)
_BUTTON_WORDS = _wordset(
    """share save print comment comments email e-mail mail copy link teilen speichern drucken merken kommentieren
    kommentar kommentare facebook twitter x whatsapp telegram linkedin reddit pinterest flipboard messenger
    listen anhören artikel vorlesen min mins minutes minuten read lesezeit follow folgen bookmark gift article
    this schriftgröße font size feedback pocket xing threads bluesky mastodon kopieren weiterleiten senden send
    tweet post und and"""
)
_CREDIT_LABEL = re.compile(
    r"(?:^|[\s(.|,;·•])(?:fotos?|photos?|photograph|bild(?:er)?|images?|pictures?|credits?|quelle|grafik"
    r"|graphic|illustration|karte|map)\s*:\s*\S[^:]{0,80}$",
    re.IGNORECASE,
)
_ARCHIVE_TAG = re.compile(
    r"\((?:archive? (?:picture|photo|image)|file (?:photo|picture)|archivbild|archivfoto|symbolbild|symbolfoto)\)",
    re.IGNORECASE,
)
_AGENCIES = (
    r"AP|AFP|dpa|DPA|Reuters|REUTERS|EPA(?:-EFE)?|EFE|Getty Images|Getty|imago(?: images)?|IMAGO|picture[ -]alliance"
    r"|Keystone|KEYSTONE|ANP|Sputnik|TASS|Anadolu(?: Agency)?|Xinhua|Ukrinform|Shutterstock|AAP|ddp|epd|KNA"
    r"|ZUMA(?: Press)?|SIPA|NurPhoto|Bloomberg|Abaca|Pool|POOL|Kremlin|Kreml|Presidential Press Service"
)
_MAX_CAPTION_WORDS = 40
# '(dpa/rtr)' after the last sentence of a story paragraph: the initials go, the paragraph stays.
_TRAILING_INITIALS = re.compile(r"(?<=[.!?“”\"])\s*\(\s*[A-Za-zäöü]{1,8}(?:\s*[/,]\s*[A-Za-zäöü]{1,10}){0,5}\s*\)$")
_AGENCY_RE = re.compile(rf"(?:{_AGENCIES})")
_SLASH = re.compile(r"\s*/\s*")
_CREDIT_TAIL_SPLIT = re.compile(r"[.!?|·•]\s+|\(|\s[–—-]\s")
_PHOTO_AGENCY_TAIL = re.compile(r"(?:Getty Images|picture[ -]alliance|imago(?: images)?|Shutterstock)\)?$", re.I)
_INITIALS = re.compile(r"\(?\s*[a-zäöüA-Z]{1,8}(?:\s*[/,]\s*[a-zäöüA-Za-z]{1,10}){0,5}\s*\)?\.?")
_AGENCY_NOTE = re.compile(
    r"^\(?(?:(?:mit|with) (?:material (?:von|from)|agenturmaterial|agencies|agenturen)|with (?:ap|afp|reuters|dpa)\b"
    r"|(?:additional )?reporting by|writing by|editing by|compiled by|mitarbeit:)",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:[Bb]y|[Vv]on)\s+[A-ZÄÖÜ][\w.'’-]+(?:\s+(?:[A-ZÄÖÜ][\w.'’-]+|und|and|&|,))*\s*(?:[,|].*)?$")
_RELATED_HEADINGS = _phraseset(
    """related|related topics|related articles|related stories|related content|related coverage|more on this story
    |more on this topic|more on this|more from|more stories|read more|read next|see also|most read|most popular
    |most viewed|top stories|trending|you may also like|recommended|tags|topics|verwandte themen|verwandte artikel
    |mehr zum thema|mehr dazu|lesen sie auch|lesen sie mehr|auch interessant|das könnte sie auch interessieren
    |meistgelesen|meistgelesene artikel|weitere artikel|weitere themen|themen|schlagworte|empfehlungen
    |mehr aus dem ressort|top-themen|zum thema"""
)
_RELATED_INLINE = re.compile(
    r"^(?:related|read more|read next|see also|more|also read|mehr zum thema|lesen sie auch|lesen sie mehr"
    r"|auch interessant|zum thema|themen|tags|topics|weiterlesen|mehr dazu)\s*:\s*\S",
    re.IGNORECASE,
)
_AD_LABELS = _phraseset(
    """anzeige|advertisement|advertising|sponsored|sponsored content|werbung|ad|ads|promoted|promotion|partner content
    |paid post|paid content|anzeigen|reklame|sponsored by|gesponsert|paid partnership"""
)
_AD_INLINE = re.compile(r"^(?:anzeige|advertisement|sponsored|werbung|promoted|gesponsert)\s*[:|–—-]\s*\S", re.I)
_PROMO_STRONG = re.compile(
    r"\b(?:newsletter\w*|cookies?|cookie-\w+|abonnier\w*|abonnement\w*|abonnent\w*|paywall|privacy policy"
    r"|datenschutzerklärung|datenschutzeinstellungen|einwilligung|already a subscriber|bereits abonnent\w*"
    r"|copyright|all rights reserved|alle rechte vorbehalten|push-(?:mitteilung|nachricht)\w*"
    r"|jetzt registrieren|kostenlos registrieren|plus-artikel|f\.?a\.?z\.? \+|spiegel\+|digital-abo)",
    re.IGNORECASE,
)
_PROMO_WEAK = re.compile(
    r"\b(?:sign up|sign in|log in|login|subscribe|subscription|abo|anmelden|registrieren|follow us|folgen sie uns"
    r"|download (?:the|our) app|app herunterladen|support (?:our|independent) journalism|donate|spenden"
    r"|whatsapp-kanal|telegram-kanal|privacy|datenschutz|morning briefing|daily briefing|jetzt lesen"
    r"|weiterlesen|mehr lesen|zum artikel|zur startseite|back to top|nach oben)\b",
    re.IGNORECASE,
)
_LABEL_WORDS = _wordset(
    """live liveblog live-blog liveticker live-ticker ticker eilmeldung breaking exklusiv exclusive analysis
    analyse opinion meinung kommentar video podcast explainer faq interview update updates news-blog newsblog
    gastbeitrag essay kolumne column premium"""
)
_MAX_LIST_ITEMS = 12
_LABEL_SEPARATORS = re.compile(r"\s*[·•|]\s*")


def _is_breadcrumb(line: str) -> bool:
    """'1. Startseite 2. Politik', '2. Politik' on its own line, or 'Home > World > Europe'."""
    if _ends_sentence(line) or len(line) > _MAX_BREADCRUMB:
        return False
    line = _TAG_LIKE.sub(" ", line)
    if _BREADCRUMB_NUMBERED.fullmatch(line):
        return _word_count(line) <= 6 * line.count(".")
    parts = [p for p in _BREADCRUMB_ARROWS.split(line) if p]
    if len(parts) < 2 or any(_word_count(p) > 4 for p in parts):
        return False
    return bool(re.search(r"[>›»]", line)) or parts[0].lower() in _HOME_WORDS


def _is_buttons(line: str) -> bool:
    """A row of share/save/print/listen buttons: every word is a button word (numbers allowed, '4 min')."""
    words = re.findall(r"[^\W_]+(?:-[^\W_]+)*", line.lower())
    return 0 < len(words) <= 12 and all(w in _BUTTON_WORDS or w.isdigit() for w in words)


def _is_caption(line: str) -> bool:
    """A photo caption: carries a credit label ('Foto: …', 'Photo: AFP') or ends in an agency credit."""
    if _word_count(line) > _MAX_CAPTION_WORDS:
        return False
    if _CREDIT_LABEL.search(line) or _ARCHIVE_TAG.search(line) or "©" in line or "(c) " in line.lower():
        return True
    if _ends_sentence(line):
        return False
    return _is_credit(_CREDIT_TAIL_SPLIT.split(line)[-1].strip().rstrip(")")) or bool(_PHOTO_AGENCY_TAIL.search(line))


def _is_credit(tail: str) -> bool:
    """'AFP', 'John Smith/AFP', 'Sputnik/AP/dpa', '… Kharkiv REUTERS/Jane Doe': an agency in a short credit."""
    if _AGENCY_RE.fullmatch(tail):
        return True
    segments = _SLASH.split(tail)
    if len(segments) < 2 or _word_count(" ".join(segments[1:])) > 8:
        return False
    lead = segments[0].split()
    candidates = [" ".join(lead[-2:]), *lead[-1:], *segments[1:]]
    return any(_AGENCY_RE.fullmatch(c) for c in candidates)


def _is_author_note(line: str) -> bool:
    """Author initials and agency notes: '(dpa/afp/rtr)', 'fh/AP', '(Reporting by …)', 'By Jane Doe'."""
    if _INITIALS.fullmatch(line) and ("/" in line or line.startswith("(")):
        return True
    if _AGENCY_NOTE.match(line):
        return True
    return _word_count(line) <= 10 and not _ends_sentence(line) and bool(_BYLINE.match(line))


def _norm_heading(line: str) -> str:
    return line.lower().rstrip(" :.").strip()


def _is_related_heading(line: str) -> bool:
    return _norm_heading(line) in _RELATED_HEADINGS


def _is_ad_label(line: str) -> bool:
    return _norm_heading(line) in _AD_LABELS


def _is_promo(line: str) -> bool:
    """Newsletter, cookie, subscription, app and follow-us lines."""
    words = _word_count(line)
    if "cookie" in line.lower() and words <= 80:
        return True
    if _PROMO_STRONG.search(line) and words <= 30:
        return True
    return words <= 12 and not line.endswith(".") and bool(_PROMO_WEAK.search(line))


def _is_label(line: str) -> bool:
    """Section labels and kickers: 'Live', 'Middle East · Live', 'Politik | Ausland'."""
    if _ends_sentence(line) or _word_count(line) > 5:
        return False
    words = [w.lower() for w in _WORD.findall(line)]
    if len(words) <= 3 and any(w in _LABEL_WORDS for w in words):
        return True
    parts = [p for p in _LABEL_SEPARATORS.split(line) if p]
    return len(parts) >= 2 and all(_word_count(p) <= 3 for p in parts)


def _is_list_item(line: str) -> bool:
    """A short entry under a 'Related'/'Most read' heading: a headline or topic, not a story sentence."""
    return _word_count(line) <= 15 and not (line.endswith(".") and _word_count(line) >= 6)


def _is_promo_after_ad(line: str) -> bool:
    return _word_count(line) <= 12 and not line.endswith(".")


def _is_boilerplate(line: str) -> bool:
    """Stateless checks for one line; list headings and ad labels also consume the lines after them."""
    if _word_count(line) > _MAX_CAPTION_WORDS:
        return _is_promo(line)  # only a cookie banner runs this long; skip the short-line checks
    return (
        _is_breadcrumb(line)
        or bool(_LISTEN.match(line))
        or _is_buttons(line)
        or _is_caption(line)
        or _is_author_note(line)
        or bool(_RELATED_INLINE.match(line))
        or bool(_AD_INLINE.match(line))
        or _is_promo(line)
        or _is_label(line)
    )


def _strip_boilerplate(lines: Sequence[str], skip: frozenset[int]) -> list[str | None]:
    """The lines with boilerplate replaced by None; blank lines stay ''. Indexes in ``skip`` are dropped too.

    A related/most-read heading also removes the short items under it (blank lines between them allowed), up
    to a dozen and never past the publication line; an ad label also removes the promo line after it.
    """
    out: list[str | None] = []
    items_left = 0  # inside a related/most-read list while > 0
    after_ad = False
    for i, line in enumerate(lines):
        if i in skip:
            items_left, after_ad = 0, False
            out.append(None)
            continue
        if not line:
            out.append("")
            continue
        line = _TRAILING_INITIALS.sub("", line)
        if items_left and _is_list_item(line) and not _is_boilerplate_heading(line):
            items_left -= 1
            out.append(None)
            continue
        if after_ad and _is_promo_after_ad(line) and not _is_boilerplate_heading(line):
            after_ad = False
            out.append(None)
            continue
        items_left, after_ad = 0, False
        if _is_related_heading(line):
            items_left = _MAX_LIST_ITEMS
            out.append(None)
        elif _is_ad_label(line):
            after_ad = True
            out.append(None)
        else:
            out.append(None if _is_boilerplate(line) else line)
    return out


def _is_boilerplate_heading(line: str) -> bool:
    """A heading that starts a new boilerplate block (so a list ends and the new block is handled)."""
    return _is_related_heading(line) or _is_ad_label(line)


# --------------------------------------------------------------------------------------------------------------
# Language

_EN_STOP = _wordset(
    """the and of to is that for on with said has have it by from at as be which would are were this its their
    after been not they he she had but who could should there than into about against"""
)
_DE_STOP = _wordset(
    """der die das und den dem des nicht ist ein eine einer einen mit von zu auf für sich auch im bei sei hat
    wurde werden nach dass über wie zum zur sind sagte soll habe haben wird noch aus oder nur einem"""
)


def detect_language(text: str) -> Language:
    """'de' when German stopwords outnumber English ones; umlauts break a tie. For any free text (chat messages)."""
    en = de = 0
    for word in re.findall(r"[a-zäöüß]+", text.lower()):
        if word in _EN_STOP:
            en += 1
        elif word in _DE_STOP:
            de += 1
    if de != en:
        return "de" if de > en else "en"
    return "de" if re.search(r"[äöüß]", text.lower()) else "en"


# --------------------------------------------------------------------------------------------------------------
# Title and story paragraphs

_MAX_TITLE_WORDS = 30


def _undouble(line: str) -> str:
    """'Headline Headline' (a headline scraped twice onto one line) becomes 'Headline'."""
    words = line.split()
    half = len(words) // 2
    if len(words) >= 4 and len(words) % 2 == 0 and _key(" ".join(words[:half])) == _key(" ".join(words[half:])):
        return " ".join(words[:half])
    return line


def _same_headline(line: str, title: str, title_key: str) -> bool:
    """A repeat of the headline (also doubled on one line); cheap length test first."""
    return bool(title_key) and len(line) <= 2 * len(title) + 4 and _key(_undouble(line)) == title_key


def _is_story_line(line: str) -> bool:
    """A line that already reads like story text: a sentence of several words, or simply long."""
    return (_ends_sentence(line) and _word_count(line) >= 4) or _word_count(line) >= 25


def _is_headline(line: str) -> bool:
    return (
        3 <= _word_count(line) <= _MAX_TITLE_WORDS
        and not line.rstrip(_CLOSERS).endswith(".")
        and not line.endswith(":")
    )


def _title_index(kept: Sequence[str | None]) -> int | None:
    """Index of the headline: the first headline-shaped line before the story starts."""
    fallback: int | None = None
    for i, line in enumerate(kept):
        if not line:
            continue
        if _is_story_line(line):
            break
        if _is_headline(line):
            return i
        shaped = _word_count(line) <= _MAX_TITLE_WORDS and not line.endswith(".")
        if shaped and (fallback is None or _word_count(line) > _word_count(kept[fallback] or "")):
            fallback = i
    return fallback


_DATELINE_AGENCY = re.compile(
    r"^[A-ZÄÖÜ][^\s().:;!?/,]*(?:[ ,/]+[^\s().:;!?/,]+){0,5}\s*"
    r"(?:\((?i:dpa|afp|ap|reuters|rtr|kna|epd|ddp|apa|sda|tass|ria|ukrinform|xinhua|aa)(?i:/[a-z]{2,8}){0,4}\)"
    r"\s*[-–—:.]?|\([A-Za-z][\w./ -]{0,20}\)\s*[-–—:])\s+(?=\S)"
)
_DATELINE_CAPS = re.compile(r"^[A-ZÄÖÜ]{3,}(?:[ ,/-]+[A-ZÄÖÜ][A-Za-zäöüÄÖÜß.]*){0,3}\s*[-–—]\s+(?=\S)")
_DATELINE_PLACE = re.compile(
    r"^(?P<place>[A-ZÄÖÜ][a-zäöüß]+(?:[-/ ][A-ZÄÖÜ][a-zäöüß]+){0,3})"
    r"(?:\.\s+|\s+[–—-]\s+)(?=[A-ZÄÖÜ„\"“])"
)


def _strip_dateline(paragraph: str, first: bool) -> str:
    """Drop a 'KYIV (Reuters) -' / 'WASHINGTON —' prefix; a bare 'Moskau.' only opens the first paragraph."""
    for pattern in (_DATELINE_AGENCY, _DATELINE_CAPS):
        m = pattern.match(paragraph)
        if m:
            return paragraph[m.end() :]
    if first:
        m = _DATELINE_PLACE.match(paragraph)
        place = m.group("place") if m else ""
        words = re.split(r"[-/ ]", place)
        if m and not any(w.lower() in _HARD_ABBREVIATIONS or w in _NOT_PLACES for w in words):
            return paragraph[m.end() :]
    return paragraph


def _join(previous: str, line: str, language: Language) -> str:
    """Join a line broken in the middle of a sentence, mending a hyphenated word split across the break."""
    if previous.endswith("-") and len(previous) > 1 and previous[-2].isalpha() and line[:1].isalpha():
        if language == "de" and line[0].islower():
            return previous[:-1] + line
        return previous + line
    return f"{previous} {line}"


def _pieces(kept: Sequence[str | None], language: Language) -> list[str]:
    """Re-join lines that belong together into paragraphs.

    Inside a block of adjacent lines a line without final punctuation continues onto the next; across a blank
    line or removed boilerplate it continues only when the next line starts in lower case.
    """
    pieces: list[str] = []
    current = ""
    adjacent = False  # the previous kept line was directly above this one
    for line in kept:
        if not line:
            adjacent = False
            continue
        if current and not _ends_sentence(current) and (adjacent or line[0].islower()):
            current = _join(current, line, language)
        else:
            if current:
                pieces.append(current)
            current = line
        adjacent = True
    if current:
        pieces.append(current)
    return pieces


def _is_paragraph(piece: str) -> bool:
    """Story text: a sentence of at least three words, or a long run of words missing its final period."""
    words = _word_count(piece)
    return (_ends_sentence(piece) and words >= 3) or words >= 12


# --------------------------------------------------------------------------------------------------------------
# Sentences

_HARD_ABBREVIATIONS = _wordset(
    """mr mrs ms messrs dr prof gen lt col maj capt cpt sgt cmdr adm gov sen rep rev hon st ste mt ft vs cf approx
    ca bzw bzgl ggf evtl inkl exkl zzgl vgl sog mio mrd tsd str bd hrsg jh jhd dipl ing abg präs pres sec brig
    dep dept fr hr nr no art abs ziff"""
)
_SOFT_ABBREVIATIONS = _wordset(
    """etc usw inc ltd co corp jr sr jan feb mar apr jun jul aug sep sept oct okt nov dec dez am pm"""
)
_STARTERS = _wordset(
    """The A An This That These Those It Its He She They We I You There But And In On At After Before Both All
    Some His Her Their Our Meanwhile However Earlier Later When While If As Yet So Der Die Das Den Dem Des Ein
    Eine Einen Es Er Sie Wir Ich Man Dies Diese Dieser Dieses Doch Aber Und Auch Am Im An Auf Nach Vor Bei Mit
    Seit Zuvor Zudem Damit Dabei Danach Bislang Bisher Nun Jetzt Demnach Laut Wie Was Wenn Als Noch Zwar"""
)
# Words that open a sentence rather than name a place ('Die Ukraine. Sie …' has no dateline).
_NOT_PLACES = frozenset({"Ja", "Nein", "Doch", "Yes", "No", "Okay", "Gut", "Well"}) | _STARTERS
_SENTENCE_END = re.compile(r"([.!?…]+)([\"'”“»«’)\]]*)\s+(?=[\"'„“«»‚(\[]?[A-ZÄÖÜ0-9])")
_NEXT_WORD = re.compile(r"[\"'„“«»‚(\[]?([\w.-]+)")
_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


def _splits_here(paragraph: str, m: re.Match[str], language: Language) -> bool:
    """Whether this candidate full stop ends a sentence (abbreviations, initials and ordinals do not)."""
    if m.group(1) != ".":
        return True
    token = paragraph[paragraph.rfind(" ", 0, m.start()) + 1 : m.start()].lstrip("\"'„“«»‚([")
    next_match = _NEXT_WORD.match(paragraph, m.end())
    following = next_match.group(1).rstrip(".") if next_match else ""
    lower = token.lower()
    if lower in _HARD_ABBREVIATIONS:
        return lower in {"no", "nr", "art", "abs"} and not following[:1].isdigit()
    if len(token) == 1 and token.isalpha():
        return False  # initials, 'z. B.', 'U. S.'
    if _ACRONYM.fullmatch(token) or lower in _SOFT_ABBREVIATIONS:
        return following in _STARTERS
    if token.isdigit() and len(token) <= 2:
        if following.lower() in _MONTHS:
            return False
        return language == "en" or following in _STARTERS
    return True


def split_sentences(text: str, language: Language) -> Iterator[str]:
    """Sentences of a short free text (an admin's /report), by the same rules as story paragraphs."""
    return _split_sentences(" ".join(text.split()), language)


def _split_sentences(paragraph: str, language: Language) -> Iterator[str]:
    start = 0
    for m in _SENTENCE_END.finditer(paragraph):
        if _splits_here(paragraph, m, language):
            end = m.start(2) + len(m.group(2))
            sentence = paragraph[start:end].strip()
            if sentence:
                yield sentence
            start = m.end()
    rest = paragraph[start:].strip()
    if rest:
        yield rest


# --------------------------------------------------------------------------------------------------------------
# The page


@dataclass(frozen=True, slots=True)
class Page:
    """The parts of a scraped page that extraction needs; boilerplate is already gone."""

    title: str
    published: Moment
    language: Language
    paragraphs: tuple[str, ...]

    def sentences(self) -> Iterator[str]:
        """Sentences of the story in order; abbreviations, initials, ordinals and 'a.m.' do not end one."""
        for paragraph in self.paragraphs:
            yield from _split_sentences(paragraph, self.language)


def parse_page(text: str, path: str = "<text>") -> Page:
    """Headline, publication moment, language and story paragraphs of a scraped page.

    Raises ArticleError when the page has no publication date line (every later date is anchored on it) or
    no story text once boilerplate is gone.
    """
    lines = _lines(text)
    candidates = _find_stamp_lines(lines)
    fallback: tuple[int, Moment] | None = None
    if not candidates:
        fallback = _fallback_stamp(lines)
        if fallback is None:
            raise ArticleError(path, "no publication date line")
    skip = frozenset(i for i, _, _ in candidates) | ({fallback[0]} if fallback else frozenset())
    kept = _strip_boilerplate(lines, skip)

    title_at = _title_index(kept)
    title = _undouble(kept[title_at] or "") if title_at is not None else ""
    title_key = _key(title)
    body: list[str | None] = []
    for i, line in enumerate(kept):
        if i == title_at or (line and _same_headline(line, title, title_key)):
            body.append(None)
        else:
            body.append(line)

    language = detect_language(" ".join(line for line in body if line))
    paragraphs: list[str] = []
    seen: set[str] = set()
    for piece in _pieces(body, language):
        paragraph = _strip_dateline(piece, first=not paragraphs)
        key = _key(paragraph)
        if _is_paragraph(paragraph) and key not in seen:
            seen.add(key)
            paragraphs.append(paragraph)
    if not paragraphs:
        raise ArticleError(path, "no story text")
    if not title:
        title = next(_split_sentences(paragraphs[0], language))[:150]

    if fallback is not None:
        value = fallback[1]
        published: Moment = _localise(value, language == "de") if isinstance(value, datetime) else value
    else:
        published_first = [c for c in candidates if c[2]]
        _, stamp, _ = (published_first or candidates)[0]
        published = _moment(stamp, language)
    return Page(title=title, published=published, language=language, paragraphs=tuple(paragraphs))
