"""Numbers in running text: number words to digits, durations in days, and head counts of people.

Everything downstream reads the *normalised* sentence, so "dreißig Tage", "30-tägige", "thirty days" and
"30 days" all look alike to one duration pattern.
"""

from __future__ import annotations

import re

from text_to_num import alpha2digit, text2num

from articles.model import Language

__all__ = ["duration_days", "normalise", "parse_int", "quantity"]

_DE_COMPOUND_RE = re.compile(r"\b([a-zäöüß]+?)(tägig|wöchig|monatig|stündig)(\w*)", re.IGNORECASE)
_EN_COMPOUND_RE = re.compile(r"\b([a-z]+)-(day|week|month|hour)s?-?(long)?\b", re.IGNORECASE)
_LONG_RE = re.compile(r"\b(day|week|month)-long\b", re.IGNORECASE)

_UNIT_DAYS = {"day": 1, "tag": 1, "täg": 1, "week": 7, "woch": 7, "wöch": 7, "month": 30, "monat": 30}
_DURATION_RE = re.compile(
    r"(?P<n>\d+|\ba|\bone|\beinen|\beine|\bein)(?:\s+(?:more|weitere\w*))?[\s-]*"
    r"(?P<u>days?|weeks?|months?|hours?|tagen?|tage|wochen?|monaten?|monate|stunden?|"
    r"tägig\w*|wöchig\w*|monatig\w*|stündig\w*)\b",
    re.IGNORECASE,
)
_NOT_DURATION_BEFORE_RE = re.compile(
    r"\b(?:by|um|the first|the last|past|vergangenen|letzten|ersten|more than|mehr als|over|seit|after|nach|"
    r"every|alle)\s+$",
    re.IGNORECASE,
)
_NOT_DURATION_AFTER_RE = re.compile(
    r"\s*(?:after|later|before|ago|earlier|nach|später|zuvor|danach|davor|of (?:talks|fighting|war))\b",
    re.IGNORECASE,
)
_NON_DIGIT_RE = re.compile(r"\D")
_WITHIN_RE = re.compile(r"\b(?:within|binnen|innerhalb(?:\s+von)?)\s+$", re.IGNORECASE)
_NUMBER = r"\d{1,3}(?:[,.\u202f]\d{3})+(?!\d)|\d+"
_PEOPLE = (
    r"prisoners?|pows?|soldiers?|servicem[ae]n|hostages?|wounded|detainees?|captives?|civilians?|bodies|people|"
    r"kriegsgefangen\w*|gefangen\w*|soldat\w*|geiseln?|verwundet\w*|verletzt\w*|häftling\w*|leichen|menschen|"
    r"zivilist\w*|inhaftiert\w*|women|children|minors|frauen|kinder"
)
_VAGUE = r"(?<!several )(?<!mehrere )(?<!einige )(?<!some )(?<![\d,.])"  # "several hundred" is no head count
_QUANTITY_RE = re.compile(rf"{_VAGUE}(?P<n>{_NUMBER})\s+(?:[\w-]+\s+){{0,3}}?(?:{_PEOPLE})\b", re.IGNORECASE)
_SWAP_RE = re.compile(rf"(?<![\d,.])(?P<n>{_NUMBER})\s+(?:for|gegen|für)\s+(?:{_NUMBER})\b", re.IGNORECASE)


def parse_int(text: str) -> int:
    """Digits with thousands separators ("1,000", "1.000", "1 000") as an int."""
    return int(_NON_DIGIT_RE.sub("", text))


def _word_number(word: str, lang: Language) -> int | None:
    """A number word as an int, or None when it is not one."""
    try:
        return int(text2num(word.lower(), lang))
    except ValueError:
        return None


def _de_compound(match: re.Match[str]) -> str:
    """ "dreitägige" -> "3-tägige", so one duration pattern reads both spellings."""
    value = _word_number(match.group(1), "de")
    return match.group(0) if value is None else f"{value}-{match.group(2)}{match.group(3)}"


def _en_compound(match: re.Match[str]) -> str:
    """ "seven-day" -> "7-day", so one duration pattern reads both spellings."""
    value = _word_number(match.group(1), "en")
    return match.group(0) if value is None else f"{value}-{match.group(2)}"


def normalise(text: str, lang: Language) -> str:
    """Number words and compounds as digits ("dreitägige" -> "3-tägige", "seven-day" -> "7-day")."""
    text = _LONG_RE.sub(lambda m: f"1-{m.group(1)}", text)
    text = _DE_COMPOUND_RE.sub(_de_compound, text) if lang == "de" else _EN_COMPOUND_RE.sub(_en_compound, text)
    try:
        return str(alpha2digit(text, lang, threshold=2))
    except (ValueError, IndexError):  # the library can trip over odd token runs; digits still work then
        return text


def _unit_days(unit: str, amount: int) -> int | None:
    """A period in whole days; hours only when they make whole days (72 hours, not 30)."""
    unit = unit.lower()
    if unit.startswith(("hour", "stund", "stünd")):
        return amount // 24 if amount % 24 == 0 and amount else None
    for stem, days in _UNIT_DAYS.items():
        if unit.startswith(stem):
            return amount * days
    return None


def duration_days(text: str) -> int | None:
    """The first period the sentence states, in whole days; skips extensions ("by two days") and offsets."""
    for match in _DURATION_RE.finditer(text):
        raw = match.group("n")
        if not raw[0].isdigit() and match.group("u").lower().startswith(("day", "tag", "hour", "stund")):
            continue  # "a day after", "ein Tag" are not periods worth keeping
        if _NOT_DURATION_BEFORE_RE.search(text, 0, match.start()):
            continue
        if _NOT_DURATION_AFTER_RE.match(text, match.end()) and not _WITHIN_RE.search(text, 0, match.start()):
            continue  # "48 hours after signing" is an offset; "binnen 60 Tagen nach ..." is still a period
        days = _unit_days(match.group("u"), int(raw) if raw[0].isdigit() else 1)
        if days:
            return days
    return None


def quantity(text: str) -> int | None:
    """The first head count: "175 prisoners", "23 schwer verwundete Soldaten", "1,000 for 1,000"."""
    found = [m for m in (_QUANTITY_RE.search(text), _SWAP_RE.search(text)) if m]
    if not found:
        return None
    return parse_int(min(found, key=lambda m: m.start()).group("n"))
