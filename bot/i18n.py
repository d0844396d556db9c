"""Message catalogs and locale-aware formatting for the bot's two languages.

English msgids live in the code (``ctx._("...")``, ``ctx.n_("...", "...", n)``, and ``N_("...")`` for words looked up
later); German lives in ``bot/locales/de/LC_MESSAGES/messages.po``, read with Babel the first time German is asked for.
When the same English must read differently in one place (the calendar's "3 days before the end" is worded otherwise
in German than the alert's), ``ctx.p_("calendar", "...")`` and ``ctx.np_(...)`` give it a msgctxt of its own.
There is no compiled ``.mo`` and no build step: the ``.po`` is the single source, so a translator edits one file.

Refresh the template after changing messages (it is Babel's extractor, the same as ``pybabel extract``)::

    .venv/bin/python -m bot.i18n

then add the new msgids to the German ``.po`` (``tests/bot/test_i18n.py`` fails until every one is translated).
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, get_args
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time
from babel.lists import format_list
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.numbers import format_decimal

from articles.model import Moment, parse_moment
from tracking.state import instant

Language = Literal["en", "de"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DOMAIN = "messages"
LOCALES = Path(__file__).parent / "locales"
TEMPLATE = LOCALES / f"{DOMAIN}.pot"
# Keywords the extractor looks for: ctx._(msgid), ctx.n_(singular, plural, n), N_(msgid) (marks a word for later),
# ctx.p_(context, msgid) and ctx.np_(context, singular, plural, n) (the same English with a msgctxt).
KEYWORDS: dict[str, tuple[int | tuple[int, str], ...] | None] = {
    "_": None,
    "n_": (1, 2),
    "N_": None,
    "p_": ((1, "c"), 2),
    "np_": ((1, "c"), 2, 3),
}

# Patterns per language: "Thu 17 Apr" / "Do., 17. Apr."; times always on the 24-hour clock.
_DATE = {"en": "EEE d MMM", "de": "EEE, d. MMM"}
_DATE_YEAR = {"en": "EEE d MMM y", "de": "EEE, d. MMM y"}
_DATETIME = {"en": "EEE d MMM HH:mm", "de": "EEE, d. MMM, HH:mm"}
_DATETIME_YEAR = {"en": "EEE d MMM y HH:mm", "de": "EEE, d. MMM y, HH:mm"}
_TIME = "HH:mm"
YEAR_SHOWN_AFTER_DAYS = 183


def N_(msgid: str) -> str:
    """Mark a word for extraction without translating it yet (it is translated where it is shown)."""
    return msgid


def po_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog for ``language``, compiled in memory from its ``.po`` on first use; English (the msgids
    themselves) and any language without a catalog get the identity."""
    if language == "en" or not po_path(language).is_file():
        return gettext.NullTranslations()
    with po_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as gettext would
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def language_of(code: str | None) -> Language:
    """A supported language for a stored setting or a Telegram ``language_code`` ("de-AT" → de); else English."""
    base = (code or "").replace("_", "-").split("-")[0].lower()
    return "de" if base == "de" else "en"


@dataclass(frozen=True)
class Ctx:
    """Who is reading: the chat's language and time zone. Every piece of text the bot sends is made through one."""

    language: Language
    tz: ZoneInfo
    # The reader's day on the bot's clock, when known: a date more than half a year from it shows its year
    # ("Tue 17 Apr 3025"), so an end thousands of years out is not read as this spring's.
    today: dt.date | None = None

    def __post_init__(self) -> None:
        # A stored or typed language the type does not allow ("fr", "de-AT") is read, not trusted.
        object.__setattr__(self, "language", language_of(self.language))

    @classmethod
    def of(cls, language: str | None, timezone: str | ZoneInfo | None = None) -> Ctx:
        """A context from stored settings; an unknown language reads as English, a missing zone as UTC."""
        tz = timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(timezone or "UTC")
        return cls(language_of(language), tz)

    def _(self, msgid: str) -> str:
        return translations(self.language).gettext(msgid)

    def n_(self, singular: str, plural: str, n: int) -> str:
        return translations(self.language).ngettext(singular, plural, n)

    def p_(self, context: str, msgid: str) -> str:
        """``msgid`` as worded in ``context``: one English phrase, a translation per place it is used in."""
        return translations(self.language).pgettext(context, msgid)

    def np_(self, context: str, singular: str, plural: str, n: int) -> str:
        return translations(self.language).npgettext(context, singular, plural, n)

    def local(self, moment: Moment | str) -> Moment:
        """A moment in the reader's zone: instants converted, a naive time read in the zone, a day stays a day."""
        value = parse_moment(moment) if isinstance(moment, str) else moment
        if value is None:
            raise ValueError("no moment to format")
        if isinstance(value, dt.datetime):
            return instant(value, self.tz).astimezone(self.tz)
        return value

    def date(self, moment: Moment | str, *, year: bool = False) -> str:
        """The day a moment falls on for this reader: "Thu 17 Apr" / "Do., 17. Apr."."""
        value = self.local(moment)
        day = value.date() if isinstance(value, dt.datetime) else value
        year = year or (self.today is not None and abs((day - self.today).days) > YEAR_SHOWN_AFTER_DAYS)
        return format_date(day, (_DATE_YEAR if year else _DATE)[self.language], locale=self.language)

    def datetime(self, moment: Moment | str) -> str:
        """Day and 24-hour time in this reader's zone; a bare day has no time, so it shows as a day."""
        value = self.local(moment)
        if not isinstance(value, dt.datetime):
            return self.date(value)
        far = self.today is not None and abs((value.date() - self.today).days) > YEAR_SHOWN_AFTER_DAYS
        pattern = (_DATETIME_YEAR if far else _DATETIME)[self.language]
        return format_datetime(value, pattern, tzinfo=self.tz, locale=self.language)

    def when(self, moment: Moment | str) -> str:
        """Time only when the source gave one: a day stays "Thu 17 Apr", an instant gets its clock time."""
        value = parse_moment(moment) if isinstance(moment, str) else moment
        return self.datetime(moment) if isinstance(value, dt.datetime) else self.date(moment)

    def time(self, value: dt.time) -> str:
        return format_time(value, _TIME, locale=self.language)

    def number(self, n: int | float) -> str:
        """1,000 / 1.000."""
        return format_decimal(n, locale=self.language)

    def join(self, words: list[str]) -> str:
        """ "A, B and C" / "A, B und C"."""
        return format_list(words, locale=self.language) if words else ""


def extract_template() -> Catalog:
    """Every msgid used under ``bot/``, as Babel's extractor finds it (what ``pybabel extract`` would write)."""
    catalog = Catalog(project="ceasefire-watch", domain=DOMAIN, charset="utf-8", fuzzy=False)
    root = Path(__file__).parent
    for filename, lineno, message, comments, context in extract_from_dir(
        root,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        catalog.add(message, None, [(f"bot/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def write_template(path: Path = TEMPLATE) -> int:
    """Write ``messages.pot`` and return how many messages it holds."""
    catalog = extract_template()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=120, omit_header=False, sort_output=False)
    return len(catalog)


if __name__ == "__main__":
    count = write_template()
    sys.stdout.write(f"{TEMPLATE}: {count} messages\n")
