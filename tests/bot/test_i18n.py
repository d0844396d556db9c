"""The catalogs and the locale formatting: German is complete and really German, dates read right in each zone."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po

from bot.i18n import LANGUAGES, TEMPLATE, Ctx, extract_template, language_of, po_path, translations

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
KYIV = ZoneInfo("Europe/Kyiv")
_PLACEHOLDER = re.compile(r"\{(\w*)\}")
_TAG = re.compile(r"</?\w+>")


def _german() -> Any:
    with po_path("de").open("rb") as handle:
        return read_po(handle, locale="de")


def _ids(catalog: Any) -> set[Any]:
    """Message keys with their msgctxt: the same English under another context is another message."""
    return {(message.id, message.context) for message in catalog if message.id}


def test_the_german_po_parses_and_translates_every_extracted_msgid() -> None:
    german = _german()
    extracted = extract_template()
    assert len(extracted) > 100
    for message in extracted:
        if not message.id:
            continue  # the header
        entry = german.get(message.id, context=message.context)
        assert entry is not None, f"not in the German catalog: {message.id!r} (context {message.context!r})"
        assert not entry.fuzzy, f"fuzzy: {message.id!r}"
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert forms, message.id
        assert all(form.strip() for form in forms), f"empty German translation: {message.id!r}"


def test_the_german_catalog_holds_nothing_the_code_no_longer_uses() -> None:
    assert _ids(_german()) == _ids(extract_template())


@pytest.mark.parametrize(("module", "at_least"), [("bot/charts/model.py", 20), ("bot/ics.py", 20)])
def test_the_chart_and_calendar_words_are_extracted_and_translated(module: str, at_least: int) -> None:
    """The chart and the calendar once kept their own word tables; their words must reach the extractor."""
    german = _german()
    used = [m for m in extract_template() if m.id and any(name == module for name, _ in m.locations)]
    assert len(used) >= at_least
    for message in used:
        entry = german.get(message.id, context=message.context)
        assert entry is not None, message.id
        assert not entry.fuzzy, message.id
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(form.strip() for form in forms), message.id


def test_the_template_is_up_to_date() -> None:
    with TEMPLATE.open("rb") as handle:
        template = read_po(handle)
    assert _ids(template) == _ids(extract_template()), "run: .venv/bin/python -m bot.i18n"


def test_translations_keep_every_placeholder_and_tag() -> None:
    for entry in _german():
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        expected = set(_PLACEHOLDER.findall(ids[-1]))
        for form in forms:
            assert set(_PLACEHOLDER.findall(form)) == expected, entry.id
            assert sorted(_TAG.findall(form)) == sorted(_TAG.findall(ids[-1])), entry.id


def test_german_text_differs_from_english_for_sentences() -> None:
    """Proper names may stay the same (Israel, Hamas, Status); whole phrases must not."""
    same = [
        entry.id
        for entry in _german()
        if entry.id and isinstance(entry.id, str) and " " in entry.id and entry.string == entry.id
    ]
    assert same == []


def test_gettext_and_ngettext_in_both_languages() -> None:
    en, de = Ctx("en", BERLIN), Ctx("de", BERLIN)
    assert en._("Settings") == "Settings"
    assert de._("Settings") == "Einstellungen"
    assert en.n_("{n} day", "{n} days", 1) == "{n} day"
    assert en.n_("{n} day", "{n} days", 2) == "{n} days"
    assert de.n_("{n} day", "{n} days", 1) == "{n} Tag"
    assert de.n_("{n} day", "{n} days", 0) == "{n} Tage"
    assert de._("a msgid nobody translated") == "a msgid nobody translated"


def test_a_msgctxt_keeps_its_own_translation() -> None:
    en, de = Ctx("en", BERLIN), Ctx("de", BERLIN)
    assert de.np_("calendar", "{n} day before the end", "{n} days before the end", 3) == "noch {n} Tage bis zum Ende"
    assert de.n_("{n} day before the end", "{n} days before the end", 3) == "{n} Tage vor dem Ende"
    assert en.np_("calendar", "{n} day before the end", "{n} days before the end", 1) == "{n} day before the end"
    assert de.p_("calendar", "Scope:") == "Bereich:"
    assert de._("Scope:") == "Geltungsbereich:"
    assert en.p_("calendar", "Scope:") == "Scope:"
    assert de.p_("nowhere", "a msgid nobody translated") == "a msgid nobody translated"


def test_unknown_language_falls_back_to_english() -> None:
    assert language_of("fr") == "en"
    assert language_of(None) == "en"
    assert language_of("de-AT") == "de"
    assert language_of("DE") == "de"
    assert Ctx.of("es", "Europe/Berlin") == Ctx("en", BERLIN)
    assert Ctx.of(None, None) == Ctx("en", ZoneInfo("UTC"))
    odd = Ctx(cast(Any, "fr"), BERLIN)  # a stored value the type does not allow still reads as English
    assert odd._("Settings") == "Settings"
    assert odd.date(dt.date(2025, 4, 17)) == "Thu 17 Apr"
    assert set(LANGUAGES) == {"en", "de"}
    assert translations("fr").gettext("Settings") == "Settings"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Thu 17 Apr"), ("de", "Do., 17. Apr.")],
)
def test_dates_read_like_the_locale(language: str, expected: str) -> None:
    ctx = Ctx.of(language, "Europe/Berlin")
    assert ctx.date(dt.date(2025, 4, 17)) == expected
    assert ctx.date("2025-04-17") == expected
    assert ctx.when("2025-04-17") == expected


def test_dates_with_year_and_march_in_german() -> None:
    assert Ctx("de", BERLIN).date("2025-03-19") == "Mi., 19. März"
    assert Ctx("de", BERLIN).date("2025-03-19", year=True) == "Mi., 19. März 2025"
    assert Ctx("en", BERLIN).date("2025-03-19", year=True) == "Wed 19 Mar 2025"


@pytest.mark.parametrize(
    ("language", "tz", "expected"),
    [
        ("en", BERLIN, "Sat 19 Apr 17:00"),
        ("en", NEW_YORK, "Sat 19 Apr 11:00"),
        ("de", BERLIN, "Sa., 19. Apr., 17:00"),
        ("de", NEW_YORK, "Sa., 19. Apr., 11:00"),
    ],
)
def test_instants_are_shown_in_the_chat_zone_on_a_24_hour_clock(language: str, tz: ZoneInfo, expected: str) -> None:
    ctx = Ctx(cast(Any, language), tz)
    assert ctx.datetime("2025-04-19T18:00:00+03:00") == expected
    assert ctx.when("2025-04-19T18:00:00+03:00") == expected


def test_an_instant_can_fall_on_another_day_in_another_zone() -> None:
    late = "2025-03-18T23:30:00+00:00"
    assert Ctx("en", KYIV).date(late) == "Wed 19 Mar"
    assert Ctx("en", NEW_YORK).date(late) == "Tue 18 Mar"
    assert Ctx("en", KYIV).datetime(late) == "Wed 19 Mar 01:30"
    assert Ctx("de", KYIV).datetime(late) == "Mi., 19. März, 01:30"


def test_naive_times_are_read_in_the_chat_zone_and_days_stay_days() -> None:
    assert Ctx("en", NEW_YORK).datetime("2025-04-19T18:00:00") == "Sat 19 Apr 18:00"
    assert Ctx("en", KYIV).datetime(dt.datetime(2025, 4, 19, 18, 0)) == "Sat 19 Apr 18:00"
    assert Ctx("en", NEW_YORK).datetime("2025-04-19") == "Sat 19 Apr"  # no clock time was given
    aware = dt.datetime(2025, 4, 19, 15, 0, tzinfo=dt.UTC)
    assert Ctx("en", BERLIN).datetime(aware) == "Sat 19 Apr 17:00"


def test_numbers_and_lists() -> None:
    en, de = Ctx("en", BERLIN), Ctx("de", BERLIN)
    assert en.number(1000) == "1,000"
    assert de.number(1000) == "1.000"
    assert en.number(1234.5) == "1,234.5"
    assert de.number(1234.5) == "1.234,5"
    assert en.join(["Israel", "Hamas"]) == "Israel and Hamas"
    assert de.join(["Russland", "Ukraine", "USA"]) == "Russland, Ukraine und USA"
    assert en.time(dt.time(7, 5)) == "07:05"
