"""Scoring extraction against annotated articles: the measure every change to the rules is judged by.

An annotation (``<article>.json`` beside ``<article>.txt``) holds ``language``, ``published``, ``commitments`` and
``reports``. Only the fields an item carries are scored; a list means "any of these" (``null`` in it: leaving the
field empty is fine too); ``"optional": true`` items count neither as missed nor, when found, as extra. Commitments
pair by kind and parties (any annotated party among the extracted ones), reports by kind and what they are about;
the other fields are then compared, dates by day, parties by the project's name for them (an annotation's "Kyiv"
or "BLA" is Ukraine or the Baloch Liberation Army). A strict annotation with every field (the project's own format)
is the same thing with nothing left open.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from articles.entities import find_parties
from articles.model import ArticleError

__all__ = [
    "ArticleScore",
    "Split",
    "Tally",
    "evaluate_folder",
    "held_out",
    "load_gold",
    "score_article",
    "summarise",
]

COMMITMENT_FIELDS = ("start", "end", "due", "duration_days", "quantity")
REPORT_FIELDS = ("accused", "claimed_by", "date", "quantity")
_DATE_FIELDS = frozenset({"start", "end", "due", "date", "published"})


@dataclass(slots=True)
class Tally:
    """Counts for one kind of item; adds up over articles."""

    found: int = 0  # required gold items paired with an extracted one
    missed: int = 0
    extra: int = 0
    fields_right: int = 0
    fields_total: int = 0
    by_field: dict[str, list[int]] = field(default_factory=dict)  # name -> [right, total]

    def add(self, other: Tally) -> None:
        self.found += other.found
        self.missed += other.missed
        self.extra += other.extra
        self.fields_right += other.fields_right
        self.fields_total += other.fields_total
        for name, (right, total) in other.by_field.items():
            counts = self.by_field.setdefault(name, [0, 0])
            counts[0] += right
            counts[1] += total

    def count(self, name: str, right: bool) -> None:
        self.fields_total += 1
        self.fields_right += right
        counts = self.by_field.setdefault(name, [0, 0])
        counts[0] += right
        counts[1] += 1

    @property
    def precision(self) -> float:
        return _ratio(self.found, self.found + self.extra)

    @property
    def recall(self) -> float:
        return _ratio(self.found, self.found + self.missed)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    @property
    def field_accuracy(self) -> float:
        return _ratio(self.fields_right, self.fields_total)


def _ratio(num: int, den: int) -> float:
    return 1.0 if den == 0 else num / den


@dataclass(slots=True)
class ArticleScore:
    """One article: what was paired, missed and extra, with one line per problem for the report."""

    name: str
    off_topic: bool
    language_ok: bool
    published_ok: bool
    title_ok: bool | None  # None when the annotation gives no title
    commitments: Tally
    reports: Tally
    problems: list[str] = field(default_factory=list)

    @property
    def output(self) -> int:
        """Items extracted from an off-topic article (the annotation has none): all of them are wrong."""
        return self.commitments.extra + self.reports.extra if self.off_topic else 0


def _alternatives(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _day(value: Any) -> Any:
    """An ISO date or datetime as its day; other values unchanged."""
    return value[:10] if isinstance(value, str) and len(value) >= 10 and value[4] == "-" else value


def _names(value: Any) -> set[str]:
    if value is None:
        return set()
    items = value if isinstance(value, list) else [value]
    return {_canonical(str(item)).casefold() for item in items if item is not None}


@cache
def _canonical(name: str) -> str:
    """The project's name for a party an annotation spells another way ("BLA", "Kyiv"): the name the gazetteer
    gives the whole of it, else the name as written."""
    for language in ("en", "de"):
        found = find_parties(name, language)
        if len(found) == 1 and found[0].start == 0 and found[0].end >= len(name.rstrip(".")):
            return found[0].name
    return name


def field_ok(name: str, gold: Any, got: Any) -> bool:
    """Whether one extracted field agrees with the annotation (any alternative; dates by day; names contained)."""
    if name in {"accused", "claimed_by", "actors"}:
        # a list here is the names themselves, not alternatives; none named means none may be extracted, and a
        # null among the names means naming none is fine too (a claim the page leaves to "witnesses" or no one)
        wanted, named = _names(gold), _names(got)
        if not wanted or (not named and isinstance(gold, list) and None in gold):
            return not named
        return bool(wanted & named)  # any bound party; a list of claimants or accused names alternatives
    for want in _alternatives(gold):
        if name in _DATE_FIELDS:
            if _day(want) == _day(got):
                return True
        elif want == got:
            return True
    return False


def _pairs_with(gold: dict[str, Any], got: dict[str, Any], keys: Sequence[str]) -> bool:
    return all(key not in gold or field_ok(key, gold[key], got.get(key)) for key in keys)


def _agreement(gold: dict[str, Any], got: dict[str, Any], fields: Sequence[str]) -> int:
    return sum(field_ok(name, gold[name], got.get(name)) for name in fields if name in gold)


def _label(item: dict[str, Any]) -> str:
    kind = "/".join(map(str, _alternatives(item.get("kind"))))
    about = item.get("about")
    actors = item.get("actors") or ([item["claimed_by"]] if item.get("claimed_by") else [])
    text = kind + (f" about {'/'.join(map(str, _alternatives(about)))}" if about else "")
    if actors:
        text += f" [{', '.join(str(a) for a in actors)}]"
    return text


def _matching(edges: set[tuple[int, int]]) -> int:
    """The most pairs the (annotated, extracted) edges allow (augmenting paths; an article has a few items)."""
    partner: dict[int, int] = {}

    def augment(gold: int, seen: set[int]) -> bool:
        for a, b in edges:
            if a == gold and b not in seen:
                seen.add(b)
                if b not in partner or augment(partner[b], seen):
                    partner[b] = gold
                    return True
        return False

    return sum(augment(gold, set()) for gold in sorted({a for a, _ in edges}))


def _score_items(
    section: str,
    gold_items: list[dict[str, Any]],
    got_items: list[dict[str, Any]],
    keys: Sequence[str],
    fields: Sequence[str],
    problems: list[str],
) -> Tally:
    """Pair annotated and extracted items: required ones first, then optional ones. Within each, as many pairs as
    can be made, and among those the pairs that agree on the most fields first, so no item takes the extraction a
    better-fitting one needed."""
    tally = Tally()
    left = list(range(len(got_items)))
    for optional in (False, True):
        pending = [n for n, g in enumerate(gold_items) if bool(g.get("optional")) == optional]
        edges = {(n, i) for n in pending for i in left if _pairs_with(gold_items[n], got_items[i], keys)}
        ranked = sorted(edges, key=lambda e: (-_agreement(gold_items[e[0]], got_items[e[1]], fields), e))
        size = _matching(edges)
        for n, i in ranked:
            if n not in pending or i not in left:
                continue
            rest = {(a, b) for a, b in edges if a != n and b != i and a in pending and b in left}
            if _matching(rest) + 1 < size:
                continue  # this pair would cost another item its only partner
            size -= 1
            pending.remove(n)
            left.remove(i)
            gold, got = gold_items[n], got_items[i]
            if not optional:
                tally.found += 1
            for name in fields:
                if name not in gold:
                    continue
                right = field_ok(name, gold[name], got.get(name))
                tally.count(name, right)
                if not right:
                    problems.append(f"{section} {_label(gold)}: {name} is {got.get(name)!r}, expected {gold[name]!r}")
        if not optional:
            for n in pending:
                tally.missed += 1
                problems.append(f"{section}: missed {_label(gold_items[n])}")
    for index in left:
        tally.extra += 1
        got = got_items[index]
        problems.append(f"{section}: extra {_label(got)} ({' '.join(str(got.get('evidence', '')).split())[:70]!r})")
    return tally


def score_article(
    name: str, gold: dict[str, Any], got: dict[str, Any] | None, error: str | None = None
) -> ArticleScore:
    """Score one extraction (``got`` is one element of ``extract --json``'s ``articles``, or None on an error)."""
    problems: list[str] = []
    off_topic = not gold.get("commitments") and not gold.get("reports")
    if got is None:
        problems.append(f"not read: {error}")
        got = {"language": None, "published": None, "commitments": [], "reports": []}
    language_ok = field_ok("language", gold.get("language"), got.get("language"))
    published_ok = field_ok("published", gold.get("published"), got.get("published"))
    if not language_ok:
        problems.append(f"language is {got.get('language')!r}, expected {gold.get('language')!r}")
    if not published_ok:
        problems.append(f"published is {got.get('published')!r}, expected {gold.get('published')!r}")
    title_ok: bool | None = None
    if "title" in gold:
        title_ok = any(_squash(title) == _squash(got.get("title")) for title in _alternatives(gold["title"]))
        if not title_ok:
            problems.append(f"title is {got.get('title')!r}, expected {gold['title']!r}")
    commitments = _score_items(
        "commitment", gold.get("commitments", []), got["commitments"], ("kind", "actors"), COMMITMENT_FIELDS, problems
    )
    reports = _score_items(
        "report", gold.get("reports", []), got["reports"], ("kind", "about"), REPORT_FIELDS, problems
    )
    return ArticleScore(name, off_topic, language_ok, published_ok, title_ok, commitments, reports, problems)


def _squash(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


@dataclass(slots=True)
class Split:
    """The scores of one folder (or any named group of articles) added up."""

    name: str
    articles: list[ArticleScore]

    def total(self, section: str) -> Tally:
        tally = Tally()
        for article in self.articles:
            tally.add(article.commitments if section == "commitments" else article.reports)
        return tally

    @property
    def language(self) -> float:
        return _ratio(sum(a.language_ok for a in self.articles), len(self.articles))

    @property
    def published(self) -> float:
        return _ratio(sum(a.published_ok for a in self.articles), len(self.articles))

    @property
    def title(self) -> float:
        scored = [a.title_ok for a in self.articles if a.title_ok is not None]
        return _ratio(sum(scored), len(scored))

    @property
    def off_topic(self) -> tuple[int, int]:
        """(off-topic articles with any output, off-topic articles)."""
        topics = [a for a in self.articles if a.off_topic]
        return sum(a.output > 0 for a in topics), len(topics)


def load_gold(path: Path) -> dict[str, Any]:
    """The annotation beside an article; raises ValueError with a one-line reason when it is unusable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read annotation ({exc})") from exc
    if not isinstance(data, dict) or not {"commitments", "reports"} <= data.keys():
        raise ValueError(f"{path}: an annotation needs 'commitments' and 'reports'")
    return data


def summarise(splits: Sequence[Split]) -> list[str]:
    """One table with a row per split, then the accuracy of each field (the stages' own scores)."""
    header = (
        f"{'split':<22} {'n':>3}  {'commit P':>8} {'R':>5} {'F1':>5} {'fields':>6}  "
        f"{'report P':>8} {'R':>5} {'F1':>5} {'fields':>6}  {'lang':>5} {'date':>5} {'title':>5}  off-topic"
    )
    lines = [header, "-" * len(header)]
    for split in splits:
        c, r = split.total("commitments"), split.total("reports")
        bad, topics = split.off_topic
        lines.append(
            f"{split.name:<22} {len(split.articles):>3}  {c.precision:>8.2f} {c.recall:>5.2f} {c.f1:>5.2f} "
            f"{c.field_accuracy:>6.2f}  {r.precision:>8.2f} {r.recall:>5.2f} {r.f1:>5.2f} {r.field_accuracy:>6.2f}  "
            f"{split.language:>5.2f} {split.published:>5.2f} {split.title:>5.2f}  {bad} of {topics} with output"
        )
    lines.append("")
    lines.append("field accuracy by stage (right/scored):")
    for split in splits:
        parts = []
        for section, label in (("commitments", "commitment"), ("reports", "report")):
            for name, (right, total) in sorted(split.total(section).by_field.items()):
                parts.append(f"{label} {name} {right}/{total}")
        lines.append(f"  {split.name}: " + ("; ".join(parts) or "nothing scored"))
    return lines


HELD_OUT_LIST = "held-out.list"


def held_out(folder: Path) -> frozenset[str]:
    """The article names a folder keeps apart (``held-out.list``: one name per line, ``#`` comments)."""
    listing = folder / HELD_OUT_LIST
    if not listing.is_file():
        return frozenset()
    names = (line.split("#", 1)[0].strip() for line in listing.read_text(encoding="utf-8").splitlines())
    return frozenset(Path(name).stem for name in names if name)


def evaluate_folder(folder: Path, extract: Callable[[Path], dict[str, Any]]) -> list[Split]:
    """Score every annotated article of a folder; a folder with a held-out list gives a dev and a held-out split.

    ``extract`` turns a path into one element of ``extract --json``'s ``articles`` and raises ``ArticleError``
    for a page it cannot read (scored as nothing found).
    """
    apart = held_out(folder)
    dev: list[ArticleScore] = []
    kept: list[ArticleScore] = []
    for path in sorted(folder.glob("*.txt")):
        annotation = path.with_suffix(".json")
        if not annotation.is_file():
            continue
        gold = load_gold(annotation)
        try:
            got, error = extract(path), None
        except ArticleError as exc:
            got, error = None, exc.reason
        score = score_article(path.stem, gold, got, error)
        (kept if path.stem in apart else dev).append(score)
    if not apart:
        return [Split(folder.name, dev)]
    return [Split(f"{folder.name} (dev)", dev), Split(f"{folder.name} (held-out)", kept)]
