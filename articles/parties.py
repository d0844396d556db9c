"""Conflict parties: the many names a story uses (capitals, leaders, adjectives, German forms) -> one English name.

Roles matter as much as names: a party that only *says* something, mediates, receives a handover or owns the
targets of a strike is not the party that commits. :func:`roles` sorts the mentions of one sentence accordingly.
Names are looked up word by word in a dictionary (not one huge regex), which keeps extraction fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from articles.lexicon import Lexicon

__all__ = ["Mention", "Roles", "find_parties", "leaders_in", "roles"]

# canonical name -> aliases. An alias is one or more words; "stem*" matches any word starting with the stem,
# "=US" only in exactly that spelling. Leaders are listed in LEADERS too, so "the two leaders" can be resolved.
# fmt: off
_ALIASES: dict[str, tuple[str, ...]] = {
    "Russia": (
        "russia", "russian", "russians", "russland*", "russisch*", "russen", "moscow", "moskau*", "kremlin",
        "kreml*", "putin*", "lavrov", "lawrow", "peskov", "peskow", "medinsky", "medinski",
    ),
    "Ukraine": (
        "ukraine*", "ukrainian", "ukrainians", "ukrainer*", "ukrainisch*", "kyiv", "kiev", "kiew*", "zelensky",
        "zelenskyy", "zelenskiy", "zelenskyi", "selenskyj*", "sybiha", "jermak", "yermak", "umerov", "umjerow",
    ),
    "United States": (
        "united states", "=U.S.", "=US", "=USA", "american", "americans", "amerikanisch*", "white house",
        "weiße* haus*", "weisse* haus*", "washington*", "trump*", "witkoff", "rubio", "vereinigte* staaten",
        "biden",
    ),
    "Israel": ("israel*", "netanyahu", "netanjahu", "=IDF"),
    "Hamas": ("hamas",),
    "Hezbollah": ("hezbollah", "hisbollah", "hizbollah"),
    "Lebanon": ("lebanon", "lebanese", "libanon*", "libanesisch*", "mikati"),
    "Qatar": ("qatar*", "katar*", "doha"),
    "Egypt": ("egypt*", "ägypt*", "cairo", "kairo"),
    "Saudi Arabia": ("saudi*", "riyadh", "riad"),
    "Turkey": ("turkey", "türkiye", "türkei", "turkish", "türkisch*", "erdogan", "erdoğan", "ankara", "fidan"),
    "United Arab Emirates": ("united arab emirates", "vereinigte* arabische* emirate*", "=UAE"),
    "Sudanese Armed Forces": (
        "sudanese armed forces", "sudan's army", "sudanese army", "sudan's military", "=SAF", "burhan",
        "sudanesische* armee",
    ),
    "Rapid Support Forces": ("rapid support forces", "=RSF", "hemedti", "daglo", "dagalo"),
    "France": ("france", "french", "frankreich*", "französisch*", "macron", "paris"),
    "European Union": ("european union", "europäische* union", "=EU"),
    "United Nations": ("united nations", "vereinte* nationen", "=UN", "=UNO"),
}
# fmt: on

LEADERS: frozenset[str] = frozenset(
    {"putin", "trump", "zelensky", "selenskyj", "netanyahu", "netanjahu", "erdogan", "burhan", "hemedti", "biden"}
)
_CITY_NAMES = frozenset(
    {"moscow", "moskau", "kyiv", "kiev", "kiew", "washington", "doha", "cairo", "kairo", "riyadh", "riad", "ankara"}
)
# Words, keeping "U.S." and "Sudan's" whole; hyphens split ("US-Präsident", "Saudi-Arabien", "Hamas-led").
_WORD_RE = re.compile(r"[^\W\d_](?:[^\W_]|[.'’](?=[^\W\d_]))*\.?")
_INITIALS_RE = re.compile(r"(?:[A-Z]\.)+")

_Alias = tuple[tuple[str, ...], str]  # the alias's words, canonical name


def _index() -> tuple[dict[str, list[_Alias]], dict[str, list[_Alias]]]:
    """Aliases indexed by their first word: exact words as written, stems by their first three letters."""
    exact: dict[str, list[_Alias]] = {}
    stems: dict[str, list[_Alias]] = {}
    for canonical, aliases in _ALIASES.items():
        for alias in aliases:
            words = tuple(alias[1:].split()) if alias.startswith("=") else tuple(alias.split())
            if words[0].endswith("*"):
                stems.setdefault(words[0][:3], []).append((words, canonical))
            else:
                exact.setdefault(words[0], []).append((words, canonical))
    return exact, stems


_EXACT, _STEMS = _index()
_KEYS = frozenset({key.rstrip(".")[:3].lower() for key in _EXACT} | set(_STEMS))
_LETTERS_RE = re.compile(r"[^\W\d_]+")


def _candidates(text: str) -> list[int]:
    """Where a name can start: words whose first three letters (or characters, for "U.S.") begin an alias."""
    return [
        m.start()
        for m in _LETTERS_RE.finditer(text)
        if m.group(0)[:3].lower() in _KEYS or text[m.start() : m.start() + 3].lower() in _KEYS
    ]


def _bare(word: str) -> str:
    """A word as aliases spell it: no sentence-final full stop, no possessive "'s" (but "Sudan's army")."""
    if not _INITIALS_RE.fullmatch(word):
        word = word.rstrip(".")
    lowered = word.lower()
    if lowered.endswith(("'s", "’s")) and not lowered.startswith("sudan"):
        return word[:-2]
    return word


def _word_matches(pattern: str, word: str) -> bool:
    """One alias word against one text word: stems by prefix, cased aliases exactly."""
    if pattern.endswith("*"):
        return word.lower().startswith(pattern[:-1])
    return word.lower() == pattern if pattern.islower() else word == pattern


def _match_at(words: list[tuple[str, int]], index: int) -> tuple[int, str] | None:
    """The longest alias starting at word ``index``: (number of words, canonical name)."""
    first = _bare(words[index][0])
    candidates = _EXACT.get(first, []) + _EXACT.get(first.lower(), []) + _STEMS.get(first[:3].lower(), [])
    best: tuple[int, str] | None = None
    for alias_words, canonical in candidates:
        size = len(alias_words)
        if index + size > len(words) or (best is not None and size <= best[0]):
            continue
        if all(_word_matches(p, _bare(words[index + n][0])) for n, p in enumerate(alias_words)):
            best = (size, canonical)
    return best


def find_parties(text: str) -> list[Mention]:
    """Every party mention, skipping city names used as places ("talks in Moscow")."""
    found: list[Mention] = []
    resume = 0
    for candidate in _candidates(text):
        if candidate < resume:
            continue
        words = []
        for word in _WORD_RE.finditer(text, candidate):
            words.append((word.group(0), word.start()))
            if len(words) == 3:
                break
        hit = _match_at(words, 0) if words and words[0][1] == candidate else None
        if hit is None:
            continue
        size, canonical = hit
        start = words[0][1]
        last_word, last_start = words[size - 1]
        end = last_start + len(_bare(last_word))
        resume = end
        alias = text[start:end].lower()
        if alias in _CITY_NAMES and _PLACE_PREP_RE.search(text, 0, start):
            continue
        found.append(Mention(canonical, start, end, alias))
    return found


_PLACE_PREP_RE = re.compile(r"(?:\b(?:in|near|over|outside|bei|nahe|über|im)\s+)$", re.IGNORECASE)
# Prepositions before a mention that make it an addressee, owner, recipient, target or proposer, not a committer.
_OBLIQUE_RE = re.compile(
    r"\b(?:to|with|told|against|on|at|for|from|into|by|an|mit|gegen|auf|gegenüber|von|für|aus|bei|"
    r"nach|über|in|im|called|urged|asked)\s+(?:the\s+|die\s+|den\s+|dem\s+|der\s+)?(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
_BETWEEN_RE = re.compile(
    r"\b(?:between|zwischen)\s+(?:(?:the|der|den|dem)\s+)?(?:[\w'-]+\s+){0,2}?"
    r"(?:(?:and|und)\s+(?:(?:the|der|die|den)\s+)?)?$",
    re.IGNORECASE,
)
_PERSON_AFTER_RE = re.compile(
    r"(?:'s)?\s+(?:[\w-]+\s+)?(?:soldiers?|servicem[ae]n|prisoners?|hostages?|captives?|detainees?|"
    r"soldat\w*|gefangen\w*|kriegsgefangen\w*|geiseln?|häftling\w*|energy|infrastructure|power|energie\w*|"
    r"infrastruktur\w*|drones?|drohnen)\b",
    re.IGNORECASE,
)
_ATTACKER_AFTER_RE = re.compile(r"\s+(?:\w*angriff\w*|strikes?|attacks?|beschuss|shelling)\b", re.IGNORECASE)
_TARGET_BEFORE_RE = re.compile(
    r"(?:infrastruktur\w*|anlagen|energieanlagen|infrastructure|facilities|soldaten|soldiers|captivity)\s+"
    r"(?:der|des|of)\s+$",
    re.IGNORECASE,
)
_SPEECH_RE = Lexicon(
    r"\b(?:said|says|told reporters|stated|according to|in a (?:joint )?statement|statements? from|claimed|"
    r"sagte|sagt|erklärte\w*|erklärt|teilte\w*|hieß es|hiess es|laut|nach angaben|zufolge|berichtete\w*|"
    r"meldete\w*|sprach|nach darstellung|schrieb|wrote|added|fügte|confirmed|bestätigte\w*)\b",
)
# Announcing verbs name a speaker only in a later clause: "..., U.S. President Joe Biden announced on Tuesday".
_LATE_SPEECH_RE = Lexicon(r"\b(?:announced|kündigte\w*|gab\w* bekannt|gaben bekannt)\b")
_MEDIATOR_RE = Lexicon(
    r"\b(?:mediators?|vermittler\w*|brokered by|mediated by|vermittelt von|unter vermittlung)\b[^.;]{0,60}",
)
_ACCUSE_RE = Lexicon(r"\b(?:accus\w*|blam\w*|warf\w*|wirft|beschuldig\w*|bezichtig\w*|vorgeworfen)\b")
_CLAUSE_CUT_RE = re.compile(r"[,;:–—]")


@dataclass(frozen=True, slots=True)
class Mention:
    """One party name in a sentence, with its character span."""

    name: str
    start: int
    end: int
    alias: str


@dataclass(frozen=True, slots=True)
class Roles:
    """Who does what in one sentence: committers, speakers, and accusers/accused for claims."""

    actors: tuple[str, ...]
    speakers: tuple[str, ...]
    accusers: tuple[str, ...]
    accused: tuple[str, ...]
    between: tuple[str, ...]


def leaders_in(text: str) -> list[str]:
    """Parties whose leader is named, in order: resolves "the two leaders" / "beide Präsidenten"."""
    out: list[str] = []
    for mention in find_parties(text):
        if any(word in mention.alias for word in LEADERS) and mention.name not in out:
            out.append(mention.name)
    return out


def _unique(names: list[str]) -> tuple[str, ...]:
    """Names in first-mention order without repeats."""
    return tuple(dict.fromkeys(names))


def _speaker_spans(text: str) -> list[tuple[int, int]]:
    """Spans of speakers: "X said" (clause before the verb) or ", said X" / "according to X" (words after)."""
    spans: list[tuple[int, int]] = []
    for pattern in (_SPEECH_RE, _LATE_SPEECH_RE):
        for match in pattern.finditer(text):
            cut = max((m.end() for m in _CLAUSE_CUT_RE.finditer(text, 0, match.start())), default=0)
            if pattern is _LATE_SPEECH_RE and not cut:
                continue  # "Putin announced a truce": the announcer is the one who commits
            after = _CLAUSE_CUT_RE.search(text, match.end())
            stop = min(after.start() if after else len(text), match.end() + 45)
            word = match.group(0).lower()
            inverted = not text[cut : match.start()].strip()
            if word == "zufolge":
                spans.append((cut, match.start()))
            elif inverted or word in _AFTER_WORDS:
                spans.append((match.start(), stop))
            else:
                spans.append((cut, match.start()))
    spans.extend(m.span() for m in _MEDIATOR_RE.finditer(text))
    return spans


_AFTER_WORDS = frozenset(
    {"according to", "laut", "nach angaben", "statements from", "statement from", "nach darstellung"}
)


def _oblique(text: str, mention: Mention) -> bool:
    """True when grammar makes the mention an addressee, owner, recipient or target rather than a subject."""
    before = text[max(0, mention.start - 40) : mention.start]
    if _ATTACKER_AFTER_RE.match(text, mention.end):
        return False  # "Moratorium für russische Angriffe": whose attacks stop is who commits
    if _OBLIQUE_RE.search(before) or _TARGET_BEFORE_RE.search(before):
        return True
    return bool(_PERSON_AFTER_RE.match(text, mention.end))


def _same_name_group(text: str, first: Mention, second: Mention) -> bool:
    """Two mentions of one party a title apart ("Kremlchef Wladimir Putin") are one noun phrase."""
    gap = text[first.end : second.start]
    return first.name == second.name and len(gap) <= 20 and not _GAP_BREAK_RE.search(gap)


_GAP_BREAK_RE = re.compile(r"[,;:()]|\b(?:and|und|or|oder|with|mit)\b", re.IGNORECASE)


def roles(text: str, mentions: list[Mention] | None = None) -> Roles:
    """Split the parties of one sentence into committers, speakers, accusers and accused."""
    mentions = find_parties(text) if mentions is None else mentions
    spans = _speaker_spans(text)
    speakers: list[str] = []
    plain: list[str] = []
    between: list[str] = []
    previous: Mention | None = None
    for mention in mentions:
        if previous is not None and _same_name_group(text, previous, mention):
            continue  # "US-Präsident Donald Trump": the title decided the role already
        previous = mention
        if any(a <= mention.start < b for a, b in spans):
            speakers.append(mention.name)
            continue
        before = text[max(0, mention.start - 40) : mention.start]
        if _BETWEEN_RE.search(before):
            between.append(mention.name)
            plain.append(mention.name)
        elif not _oblique(text, mention):
            plain.append(mention.name)
    accuse = _ACCUSE_RE.search(text)
    accusers: list[str] = []
    accused: list[str] = []
    if accuse and not speakers:
        cut = max((m.end() for m in _CLAUSE_CUT_RE.finditer(text, 0, accuse.start())), default=0)
        subjects = [m.name for m in mentions if cut <= m.start < accuse.start()]
        accusers = subjects[-1:]  # the subject right before "accused" / "warf ... vor"
    accusers = accusers or speakers
    for mention in mentions:
        taken = mention.name in accusers or mention.name in speakers or mention.name in accused
        if not taken and (accuse is None or mention.start > accuse.end()):
            accused.append(mention.name)
    actors = _unique(between) if len(set(between)) >= 2 else _unique(plain)
    return Roles(actors, _unique(speakers), _unique(accusers), _unique(accused), _unique(between))
