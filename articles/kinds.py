"""Word lists that classify one (normalised) sentence: commitment kinds, status, report kind, conditions, scope.

Each function is a pure lookup over compiled patterns for English and German together, so one sentence is
read the same way whatever its language; the order of the checks encodes which reading wins.
"""

from __future__ import annotations

import re
from typing import Literal

from articles.lexicon import Lexicon
from articles.model import CommitmentKind, CommitmentStatus, ReportKind

__all__ = [
    "anchored",
    "commitment_kinds",
    "conditions",
    "is_background",
    "mentioned_kind",
    "report_kind",
    "scope",
    "split_conditions",
    "status",
]

# "modal" (will, soll) and "valid" (gilt) are not statuses of their own: the caller resolves them from context.
StatusCue = CommitmentStatus | Literal["modal", "valid"]


def _rx(pattern: str) -> Lexicon:
    """Case-insensitive word list with the cheap substring pre-check."""
    return Lexicon(pattern)


_CEASEFIRE = _rx(
    r"cease-?fire|truce|armistice|pauses?\s+in\s+(?:the\s+)?fighting|humanitarian\s+pause|waffenruhe"
    r"|feuerpause|waffenstillstand|kampfpause|cessation\s+of\s+hostilities|feuereinstellung"
    r"|waffen\b[^.,;]{0,80}?\b(?:ruhen|schweigen)|hold\s+(?:their|its)\s+fire|cease\s+(?:all\s+)?hostilities"
)
_HALT = _rx(
    r"\b(?:halt\w*|stop\w*|paus\w*|moratori\w*|refrain\w*|suspend\w*|cease\w*|not\s+to\s+(?:strike|attack|target)"
    r"|verzicht\w*|einzustellen|eingestellt|einstell\w*|aussetz\w*|auszusetzen|stopp\w*|keine\s+angriffe"
    r"|waffenruhe|feuerpause|truce)"
)
_MORATORIUM = _rx(r"\bmorator\w*")
_TARGET = _rx(
    r"energy|energie|power\s+(?:grid|plants?|stations?|supply)|kraftwerk|stromnetz|infrastructure"
    r"|infrastruktur|refiner|raffinerie"
)
_MARITIME = _rx(r"black\s+sea|schwarze[nm]?\s+meer|maritime|naval|at\s+sea|auf\s+see|schifffahrt|seeweg\w*")
_BLACK_SEA = _rx(r"black\s+sea|schwarze[nms]?\s+meer")
_PEOPLE = (
    r"(?:prisoners?|pows?|soldiers?|servicem[ae]n|hostages?|wounded|detainees?|captives?|captivity|bodies"
    r"|(?:kriegs)?gefangen\w*|soldat\w*|geiseln?|verwundet\w*|verletzt\w*|häftling\w*|leichen)"
)
_SWAP_WORDS = r"exchang\w*|swap\w*|in\s+return\s+for|austausch\w*|ausgetauscht|\w*tausch\w*|\d+\s+(?:for|gegen)\s+\d+"
_SWAP = _rx(_SWAP_WORDS)
_PERSONS = _rx(rf"\b{_PEOPLE}\b")
_RELEASE_WORDS = (
    r"releas\w*|free(?:d|s|ing)?\b|hand(?:s|ed|ing)?\s+over|handover|hand\s+back|return(?:s|ed)?\b|repatriat\w*"
    r"|freilass\w*|freigelassen|freizulassen|freigeben|übergeben|übergabe|übergibt|überstell\w*|rückführung"
    r"|zurückgeben|freikommen|entlassen|come\s+home|came\s+home|ließ\w*\s+(?:[\w-]+\s+){0,6}?frei\b"
)
_RELEASE = _rx(rf"\b(?:{_RELEASE_WORDS})")
_WITHDRAW = _rx(
    r"\b(?:withdraw\w*|pull(?:s|ed|ing)?\s+(?:out|back)|rückzug\w*|zurück(?:zu)?zieh\w*|zurückgezogen|ab(?:zu)?zieh\w*"
    r"|abzug\w*|abgezogen)"
)
_TALKS = _rx(
    r"\b(?:talks|negotiat\w*|verhand\w*|gespräche\w*|beraten|beratungen|consultations|summit|gipfel\w*"
    r"|meeting|treffen)\b"
)
_TALKS_ABOUT = _rx(
    r"\b(?:talks|negotiations?|verhandlungen|gespräche|beratungen)\s+(?:on|about|over|for|über|zu[rm]?)\b"
)
_TALKS_PAST = _rx(r"\b(?:after|following|nach|since|seit|vorausgegangen\w*)\s+(?:[\w-]+\s+){0,4}$")
_TALKS_FUTURE = _rx(
    r"\b(?:will|would|to\s+(?:begin|start|take\s+place|be\s+held|meet|resume|hold|open)|are\s+to|is\s+to|shall"
    r"|planned|scheduled|soll\w*|wird|werden|wollen|beginnen|stattfinden|aufnehmen|geplant|angesetzt"
    r"|fortsetzen)\b"
)
_ANCHOR = _rx(
    r"nach\s+(?:dem\s+)?inkrafttreten|of\s+the\s+(?:truce|ceasefire)\s+taking\s+effect"
    r"|after\s+the\s+(?:truce|ceasefire)\s+(?:takes|took)\s+effect|once\s+the\s+(?:truce|ceasefire)"
)
_YEAR = _rx(r"\b(?:19|20)\d\d\b")
_OTHER = (
    (
        _rx(
            r"humanitarian\s+(?:aid|access|supplies|relief)|aid\s+deliver\w*|hilfslieferung\w*"
            r"|humanitäre\w*\s+(?:hilfe|zugang)"
        ),
        "humanitarian access",
    ),
    (_rx(r"humanitarian\s+corridors?|humanitäre\w*\s+korridor\w*|fluchtkorridor\w*"), "humanitarian corridors"),
    (_rx(r"\bevacuat\w*|evakuier\w*"), "evacuation"),
    (
        _rx(
            r"withdraw\w*\s+from\s+hospitals|(?:aus|von)\s+(?:den\s+)?krankenhäusern\s+zurück\w*"
            r"|abzug\s+aus\s+(?:den\s+)?krankenhäusern"
        ),
        "withdrawal from hospitals",
    ),
)
_OTHER_GATE = _rx(r"\b(?:allow|permit|ensure|facilitate|zulassen|ermöglichen|gewährleisten|erlauben)\b")
_WITHDRAW_FROM_EN = _rx(
    r"\b(?:withdraw\w*|pull(?:s|ed|ing)?\s+(?:out|back))\s+(?:\w+\s+){0,2}?from\s+(?P<s>[^,.;]+?)"
    r"(?=\s+(?:and|within|by|until|in|after)\b|[,.;]|$)"
)
_WITHDRAW_FROM_DE = _rx(
    r"\b(?:aus|von)\s+(?:dem\s+|den\s+|der\s+)?(?P<s>[^,.;]+?)\s+(?:zurück(?:zu)?ziehen|ab(?:zu)?ziehen|zurück\w*\b)"
)
# German place and area words for withdrawal scopes, so the scope reads the same in both languages.
_GLOSSARY = (
    ("dicht besiedelten", "densely populated"),
    ("dicht besiedelte", "densely populated"),
    ("gebieten", "areas"),
    ("gebiete", "areas"),
    ("des gazastreifens", "of Gaza"),
    ("gazastreifen", "Gaza"),
    ("südlibanon", "southern Lebanon"),
    ("krankenhäusern", "hospitals"),
    ("städten", "cities"),
)

_STATUS: tuple[tuple[StatusCue, Lexicon], ...] = (
    (
        "in_force",
        _rx(
            r"\b(?:began|begun|took\s+effect|has\s+taken\s+effect|came\s+into\s+(?:force|effect)|in\s+force"
            r"|in\s+effect|has\s+held|have\s+held|has\s+been\s+holding|is\s+holding|remains?\s+in\s+place"
            r"|in\s+kraft\s+getreten|ist\s+in\s+kraft|gilt\s+seit|galt|hält\s+seit|begann|hat\s+begonnen|läuft\s+seit"
            r"|releases|frees|exchanges|übergibt|tauscht|each\s+day|per\s+day|täglich|since)\b"
        ),
    ),
    (
        "agreed",
        _rx(
            r"\b(?:agree\w*|signed|sign|deal|accord|committed|pledged|einig\w*|geeinigt|verständigt\w*|vereinbar\w*"
            r"|unterzeichn\w*|zugestimmt|stimmte\w*|verpflicht\w*|abkommen|zugesagt|sagten\s+zu|sagte\s+zu)\b"
        ),
    ),
    (
        "proposed",
        _rx(
            r"\b(?:propos\w*|offer\w*|suggest\w*|call(?:ed|s)?\s+for|urged|vorgeschlagen\w*|schl[äa]gt|schlug"
            r"|vorschlag\w*|angebot\w*|angeboten|fordert\w*|plädiert\w*|ready\s+to|bereit)\b"
        ),
    ),
    (
        "announced",
        _rx(
            r"\b(?:announc\w*|ordered|orders|declared|declares|takes?\s+effect|ordn\w*|angeordnet|angewiesen"
            r"|anweis\w*|kündig\w*|angekündigt\w*|verkünde\w*|befahl|befohlen|instructed|directed|unilateral\w*"
            r"|stoppt|stops|halts|planned|scheduled|geplant|angesetzt)\b"
        ),
    ),
    ("valid", _rx(r"\b(?:gilt|gelte|gelten|applies|apply)\b")),
    (
        "modal",
        _rx(
            r"\b(?:will|would|is\s+to|are\s+to|shall|soll\w*|wird|werden|würde\w*|wollen|will|last|dauern|tritt|treten)\b"
        ),
    ),
)

_ATTACK = (
    r"attack\w*|strik\w*|struck|shell\w*|drone\w*|missile\w*|artillery|fire[ds]?|hit|violat\w*|breach\w*"
    r"|angriff\w*|angegriffen|beschuss|beschossen|drohnen\w*|rakete\w*|verstoß\w*|verletz\w*"
)
_ATTACK_RE = Lexicon(rf"\b(?:{_ATTACK})\b")
_REPORTS: tuple[tuple[ReportKind, Lexicon], ...] = (
    (
        "denial",
        _rx(
            r"\b(?:denied|denies|deny|denial|dismissed\s+(?:the\s+)?(?:\w+\s+)?(?:claims?|accusations?|allegations?|reports?)"
            r"|rejected\s+(?:the\s+)?(?:\w+\s+)?(?:claims?|accusations?|allegations?)|bestritt\w*|bestreit\w*|dementier\w*)\b"
            r"|\b(?:wies|weist|zurückgewiesen|zurückweisen)\b[^.]*\b(?:vorwurf|vorwürfe\w*|anschuldigung\w*"
            r"|behauptung\w*)|\b(?:vorwurf|vorwürfe\w*|anschuldigung\w*)\b[^.]*\b(?:zurück|zurückgewiesen)\b"
        ),
    ),
    (
        "violation",
        _rx(
            r"\b(?:violat\w*|breach\w*|broke|broken|verstoß\w*|verstoss\w*|verstieß\w*|verstöße\w*|gebrochen"
            r"|verletzung\w*)\b"
            rf"|\b(?:accus\w*|warf\w*|wirft|beschuldig\w*|bezichtig\w*|vorgeworfen)\b[^.]*\b(?:{_ATTACK})\b"
            r"|\b(?:despite|trotz|obwohl|although|even\s+though)\s+(?:the\s+|der\s+|des\s+|dem\s+|die\s+)?(?:[\w']+\s+)?"
            r"(?:truce|ceasefire|moratorium|halt"
            r"|pledge|order|waffenruhe|feuerpause|moratoriums?|befehl\w*|anordnung)"
        ),
    ),
    (
        "reaction",
        _rx(
            r"\b(?:rejected|dismissed|welcomed|critici[sz]ed|condemned|branded|trap|ploy|stunt|propaganda|cynical"
            r"|reacted|unimpressed|scepticism|skepticism|sceptical|skeptical|mocked|zynisch\w*|falle|begrüß\w*"
            r"|kritisier\w*|verurteil\w*|skeptisch|reagierte|reagiert)\b"
            r"|\b(?:wies|weist)\b[^.]*\bzurück\b|\bzurückgewiesen\b|\basked\b[^.]*\bwhy\b|\bfragte\b[^.]*\bwarum\b"
            r"|\b(?:accus\w*|warf\w*|vorgeworfen)\b"
        ),
    ),
    (
        "expiry",
        _rx(
            r"\b(?:expired|has\s+expired|ran\s+out|lapsed|came\s+to\s+an\s+end|abgelaufen|ausgelaufen|lief\s+\w+\s+aus"
            r"|endete)\b"
        ),
    ),
    (
        "extension",
        _rx(
            r"(?<!can be )(?<!could be )(?<!may be )\b(?:extended|prolonged|extend(?:s|ing)?\s+(?:the|it)"
            r"|agreed\s+to\s+extend|verlängert\w*|verlängerung\s+(?:vereinbart|beschlossen|angekündigt))\b"
        ),
    ),
    (
        "fulfilment",
        _rx(
            r"(?<!to be )(?<!will be )\b(?:handed\s+over|released|freed|exchanged|swapped|returned|repatriated"
            r"|came\s+home|come\s+home|took\s+place|übergeben|freigelassen|ausgetauscht|übergab\w*|fand\w*\s+statt"
            r"|stattgefunden|kamen\s+frei|überstellt|heimgekehrt|zurückgekehrt|tauschten|tauschte)\b"
            r"|\bließ\w*\s+(?:[\w-]+\s+){0,6}?frei\b"
        ),
    ),
    (
        "compliance",
        _rx(
            r"\b(?:largely\s+held|has\s+held|have\s+held|is\s+holding|respected|observed|observing|complied|comply"
            r"|complying|abided|honou?red|eingehalten|einzuhalten|umzusetzen|umgesetzt|umsetzen|hält\s+sich"
            r"|hielten\s+sich|respektiert)\b"
        ),
    ),
)
# Claims about the commitment that need the commitment (or the deal) named in the sentence to count as reactions.
_HEAD_COUNT = re.compile(rf"\d+\s+(?:[\w-]+\s+){{0,3}}?{_PEOPLE}", re.IGNORECASE)
_WEAK_REACTION = _rx(r"\b(?:betonte|betont|stressed|insisted|bekräftigte)\b")
_REFERS_TO_DEAL = _rx(
    r"\b(?:deal|agreement|announcement|proposal|offer|ankündigung|vereinbarung|vorstoß|angebot|vorschlag)\b"
)
_MODAL_FUTURE = _rx(
    r"\b(?:will|would|could|can|may|might|to\s+be|are\s+to|is\s+to|due\s+to|agreed\s+to|soll\w*|wird|werden"
    r"|wollen|will|könnte\w*|kann|können)\b"
)
_NEGATED_EXTENSION = _rx(r"\b(?:no|not|nicht|kein\w*)\s+(?:\w+\s+){0,3}(?:extend|verlänger)\w*")
_BACKGROUND = _rx(
    r"\b(?:previous|prior|last\s+spoke|last\s+met|last\s+year|have\s+collapsed|had\s+collapsed|collapsed"
    r"|frühere\w*|vorherige\w*|bisherige\w*|zuletzt|gescheitert|dozens\s+of\s+times|in\s+the\s+past)\b"
    r"|\bletzte\w*\s+(?:telefonat|gespräch|treffen)"
)
_CONDITION_RE = _rx(
    r"(?:\b(?:only\s+if|only\s+after|if|provided\s+that|as\s+long\s+as|on\s+condition\s+that|unless|nur\s+wenn"
    r"|erst\s+wenn|erst\s+nachdem|wenn|falls|sofern|vorausgesetzt,?\s+dass|unter\s+der\s+bedingung,?\s+dass"
    r"|voraussetzung\s+(?:sei|ist|dafür\s+sei),?\s+dass|bedingung\s+(?:sei|ist),?\s+dass)\b)\s*(?P<clause>[^.;:,]+)"
)
_CONDITION_NOUN = _rx(r"\b(?:voraussetzung|bedingung\w*|conditions?|preconditions?|provided\s+that)\b")
_EXTEND_BEFORE_RE = _rx(r"\b(?:extended|extend|verlängert\w*|verlängern)\b[^,.;]*$")
_AUXILIARY_RE = _rx(r"\s+\b(?:are|is|be|were|was|been|werden|wird|sind|ist|würden|wurden|seien|sei|werde)\b(?=\s|$)")
_SCOPE_ENERGY = _rx(r"energy|energie|power|strom|kraftwerk|refiner|raffinerie")
_SCOPE_CIVIL = _rx(r"civilian\s+infrastructure|zivile\w*\s+infrastruktur")
_PER_DAY_SWAP = _rx(
    r"(?P<a>\d+)\s+(?:\w+\s+)?(?P<na>hostages|prisoners|geiseln|gefangene)\s+(?:each|per|a|pro|jeden)\s+(?:day|tag)"
    r"\s+(?:in\s+exchange\s+for|for|gegen|im\s+austausch\s+(?:für|gegen))\s+(?P<b>\d+)\s+(?:\w+\s+)?"
    r"(?P<nb>prisoners|hostages|gefangene|häftlinge)"
)


def is_background(text: str, year: int) -> bool:
    """History and context ("the two last spoke on ...", "collapsed in July 2023") commit nobody."""
    if _BACKGROUND.search(text):
        return True
    return any(int(m.group(0)) < year for m in _YEAR.finditer(text))


def anchored(text: str) -> bool:
    """ "Within 60 days of the truce taking effect": the period counts from the ceasefire's start."""
    return bool(_ANCHOR.search(text))


def _family(text: str) -> CommitmentKind | None:
    """The ceasefire family: maritime before targeted halts before general ceasefires."""
    match = _CEASEFIRE.search(text)
    if match is None and not _HALT.search(text):
        return None
    about = _TALKS_ABOUT.search(text)
    if match and about and about.start() < match.start():
        return None  # "negotiations on a maritime ceasefire" are talks, not a ceasefire
    if _ANCHOR.search(text):
        return None  # "after the truce takes effect" refers to the ceasefire, it does not restate it
    if _MARITIME.search(text) and (match or _HALT.search(text)):
        return "maritime_ceasefire"
    if (_TARGET.search(text) and _HALT.search(text)) or (match is None and _MORATORIUM.search(text)):
        return "strike_halt"  # in these stories a moratorium is the halt on strikes against a class of targets
    return "ceasefire" if match else None


def talks_planned(text: str) -> bool:
    """Talks that are to take place; past meetings and "after three days of talks" are background."""
    upcoming = any(not _TALKS_PAST.search(text, 0, m.start()) for m in _TALKS.finditer(text))
    return upcoming and bool(_TALKS_FUTURE.search(text) or status(text) == "agreed")


def commitment_kinds(text: str) -> list[CommitmentKind]:
    """Every kind of promise a sentence mentions, most specific first; one per family."""
    if talks_planned(text):
        return ["negotiations"]  # what the talks are about (a ceasefire, a release) is not yet promised
    found: list[CommitmentKind] = []
    family = _family(text)
    if family:
        found.append(family)
    if _PERSONS.search(text):
        if _SWAP.search(text):
            found.append("prisoner_exchange")
        elif _RELEASE.search(text):
            found.append("release")
    if _OTHER_GATE.search(text) and scope_items(text):
        found.append("other")
    elif _WITHDRAW.search(text):
        found.append("withdrawal")
    return found


def mentioned_kind(text: str) -> CommitmentKind | None:
    """What a report is about when the sentence names it: the Black Sea makes it maritime, targets a halt."""
    if _BLACK_SEA.search(text) or (_MARITIME.search(text) and _CEASEFIRE.search(text)):
        return "maritime_ceasefire"
    if _TARGET.search(text) and not _CEASEFIRE.search(text):
        return "strike_halt"
    found = commitment_kinds(text)
    if not found and _TALKS.search(text):
        return "negotiations"
    return found[0] if found else None


def status(text: str) -> StatusCue | None:
    """The strongest status cue in the sentence, or None when it states no commitment at all."""
    for name, pattern in _STATUS:
        if pattern.search(text):
            return name
    return None


def report_kind(text: str) -> ReportKind | None:
    """The one kind of later claim the sentence makes, by priority; fulfilment needs a past, counted act."""
    for name, pattern in _REPORTS:
        match = pattern.search(text)
        if not match:
            continue
        if name == "fulfilment" and not _fulfilled(text, match):
            continue
        if name == "extension" and _NEGATED_EXTENSION.search(text):
            continue
        return name
    if _WEAK_REACTION.search(text) and (mentioned_kind(text) or _REFERS_TO_DEAL.search(text)):
        return "reaction"
    return None


def describes_attack(text: str) -> bool:
    """Strikes, shelling, drones: a violation claim once the reader knows which halt the sentence is about."""
    return _ATTACK_RE.search(text) is not None


def _fulfilled(text: str, match: re.Match[str]) -> bool:
    """A past act in a clause without a future modal, with a head count (talks need none)."""
    clause_start = max(text.rfind(",", 0, match.start()), text.rfind(";", 0, match.start())) + 1
    if _MODAL_FUTURE.search(text, clause_start, match.start()):
        return False
    return bool(_HEAD_COUNT.search(text) or _TALKS.search(text))


def _clean_condition(clause: str) -> str:
    """The clause without passive auxiliaries, as the contract spells conditions."""
    return " ".join(_AUXILIARY_RE.sub("", " " + clause).split())


def conditions(text: str) -> tuple[str, ...]:
    """Short condition clauses, without "if"/"wenn" and auxiliaries; not those that only govern an extension."""
    out: list[str] = []
    for match in _CONDITION_RE.finditer(text):
        if _EXTEND_BEFORE_RE.search(text, 0, match.start()):
            continue
        clause = _clean_condition(match.group("clause"))
        if clause:
            out.append(clause)
    return tuple(out)


def names_condition(text: str) -> bool:
    """A sentence that states a condition of an earlier promise says so ("Voraussetzung", "condition")."""
    return bool(_CONDITION_NOUN.search(text))


def split_conditions(text: str) -> str:
    """The sentence without its condition clauses, so parties and cues inside them do not leak out."""
    return _CONDITION_RE.sub(" ", text)


def scope_items(text: str) -> list[str]:
    """Non-military undertakings named in the sentence (aid access, corridors, evacuations)."""
    return [name for pattern, name in _OTHER if pattern.search(text)]


def withdrawal_scope(text: str) -> str | None:
    """Where troops leave: "from southern Lebanon", "aus dem Südlibanon" -> "southern Lebanon"."""
    match = _WITHDRAW_FROM_EN.search(text) or _WITHDRAW_FROM_DE.search(text)
    if match is None:
        return None
    place = " ".join(match.group("s").split())
    lowered = place.lower()
    for german, english in _GLOSSARY:
        lowered = lowered.replace(german, english)
    return place if lowered == place.lower() else lowered


def scope(kind: CommitmentKind, text: str) -> str | None:
    """A short canonical English scope for the kinds that have one."""
    if kind == "strike_halt":
        if _SCOPE_CIVIL.search(text):
            return "civilian infrastructure"
        if _SCOPE_ENERGY.search(text):
            return "energy infrastructure"
        return "infrastructure" if _TARGET.search(text) else None
    if kind == "maritime_ceasefire":
        return "Black Sea" if _BLACK_SEA.search(text) else None
    if kind == "withdrawal":
        return withdrawal_scope(text)
    if kind == "other":
        items = scope_items(text)
        return "; ".join(items) if items else None
    if kind == "prisoner_exchange":
        swap = _PER_DAY_SWAP.search(text)
        if swap:
            noun_a = "hostages" if swap.group("na").lower() in {"hostages", "geiseln"} else "prisoners"
            noun_b = "hostages" if swap.group("nb").lower() == "hostages" else "prisoners"
            return f"{swap.group('a')} {noun_a} per day for {swap.group('b')} {noun_b}"
    return None
