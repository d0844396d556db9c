"""The extractor's words live in data files; this module loads and compiles them, and knows no words itself.

``articles/resources/<lang>/*.yaml`` hold one language each (a new phrasing is an edit there, not in Python);
``articles/resources/*.yaml`` hold what is the same in every language (parties' facts, conflicts, zone
abbreviations). A cue file has three kinds of top-level entries:

``fragments``
    named regex pieces that patterns include as ``{name}`` (so a word list is written once per language);
``data``
    plain values (word-to-word maps, numbers) the engine reads as they are (``rules("de").data["glossary"]``);
a cue (a mapping with ``pattern``)
    one word list the engine asks for by name (``rules("en").cue("ceasefire")``);
a ranked group (a list of mappings with ``label``, ``priority`` and ``pattern``)
    alternatives of which the highest-priority match wins (``rules("en").ranked("report_kinds")``).

Every cue and rule carries ``examples`` (texts it must match) and may carry ``counter`` (texts it must not);
in a ranked group an example must also not be taken by a rule of higher priority. The test suite turns all of
them into test cases, so a rule and the sentences that justify it stay side by side.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from articles.lexicon import Lexicon

__all__ = [
    "LANGUAGES",
    "RESOURCES",
    "Rule",
    "RuleSet",
    "all_rules",
    "common",
    "data",
    "rules",
]

RESOURCES = Path(__file__).resolve().parent / "resources"
LANGUAGES: tuple[str, ...] = ("en", "de")
_DATA_FILES = frozenset({"calendar", "parties", "page"})  # plain data, not cues
_FRAGMENT_RE = re.compile(r"\{([a-z_]+)\}")

# The pattern of a cue a language has no words for (English reported speech keeps its tense): it needs no examples.
NEVER = "(?!)"


class ResourceError(ValueError):
    """A data file that does not have the shape the engine needs; names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One compiled pattern with the examples that justify it."""

    name: str
    language: str
    label: str | None
    priority: int
    source: str
    pattern: Lexicon
    examples: tuple[str, ...]
    counter: tuple[str, ...]


class _UniqueKeys(yaml.CSafeLoader):
    """YAML keeps only the last of a key given twice in one mapping, so a rule's second ``counter:`` list would
    silently drop its first; this loader refuses the file instead."""


def _unique_mapping(loader: _UniqueKeys, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"key {key!r} given twice", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


_UniqueKeys.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def _read(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeys)
    except (OSError, yaml.YAMLError) as exc:
        raise ResourceError(f"{path}: {exc}") from exc


def _load(path: Path) -> dict[str, Any]:
    loaded = _read(path)
    if not isinstance(loaded, dict):
        raise ResourceError(f"{path}: expected a mapping at the top level")
    return loaded


@cache
def common(name: str) -> Any:
    """A language-independent data file (``resources/<name>.yaml``): a mapping, or a list such as the conflicts."""
    return _read(RESOURCES / f"{name}.yaml")


@cache
def data(language: str, name: str) -> dict[str, Any]:
    """A data file of one language (``resources/<language>/<name>.yaml``)."""
    return _load(RESOURCES / language / f"{name}.yaml")


def _expand(source: str, fragments: Mapping[str, str], where: str) -> str:
    def include(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in fragments:
            raise ResourceError(f"{where}: unknown fragment {{{name}}}")
        return fragments[name]

    return _FRAGMENT_RE.sub(include, source)


def _texts(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ResourceError(f"{where}: examples and counter must be lists of texts")
    return tuple(value)


def _rule(entry: Any, name: str, language: str, fragments: Mapping[str, str], where: str) -> Rule:
    if not isinstance(entry, dict) or not isinstance(entry.get("pattern"), str):
        raise ResourceError(f"{where}: a rule needs a 'pattern'")
    source = _expand(entry["pattern"], fragments, where)
    flags = 0 if entry.get("case") == "sensitive" else re.IGNORECASE
    try:
        pattern = Lexicon(source, flags)
    except re.error as exc:
        raise ResourceError(f"{where}: bad pattern ({exc})") from exc
    examples = _texts(entry.get("examples"), where)
    if not examples and source != NEVER:
        raise ResourceError(f"{where}: every rule needs at least one example")
    return Rule(
        name=name,
        language=language,
        label=entry.get("label"),
        priority=int(entry.get("priority", 0)),
        source=source,
        pattern=pattern,
        examples=examples,
        counter=_texts(entry.get("counter"), where),
    )


class RuleSet:
    """The compiled cues and ranked groups of one language."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._cues: dict[str, Rule] = {}
        self._ranked: dict[str, tuple[Rule, ...]] = {}
        self.fragments: dict[str, str] = {}
        self.data: dict[str, Any] = {}
        files = sorted(p for p in (RESOURCES / language).glob("*.yaml") if p.stem not in _DATA_FILES)
        raw = [(path, _load(path)) for path in files]
        for path, content in raw:  # fragments first: any file may use any file's fragments
            for name, text in (content.get("fragments") or {}).items():
                if name in self.fragments:
                    raise ResourceError(f"{path}: fragment {name!r} defined twice")
                self.fragments[name] = _expand(str(text), self.fragments, f"{path}: fragment {name}")
        for path, content in raw:
            for name, value in (content.get("data") or {}).items():
                if name in self.data:
                    raise ResourceError(f"{path}: data {name!r} defined twice")
                self.data[name] = value
            for name, entry in content.items():
                if name in {"fragments", "data"}:
                    continue
                where = f"{path.relative_to(RESOURCES)}: {name}"
                if name in self._cues or name in self._ranked:
                    raise ResourceError(f"{where}: defined twice")
                if isinstance(entry, list):
                    group = [
                        _rule(item, f"{name}[{i}]", language, self.fragments, f"{where}[{i}]")
                        for i, item in enumerate(entry)
                    ]
                    if any(rule.label is None for rule in group):
                        raise ResourceError(f"{where}: every rule of a ranked group needs a 'label'")
                    self._ranked[name] = tuple(sorted(group, key=lambda r: -r.priority))
                else:
                    self._cues[name] = _rule(entry, name, language, self.fragments, where)

    def cue(self, name: str) -> Lexicon:
        """The compiled word list of one cue."""
        return self._cues[name].pattern

    def ranked(self, name: str) -> tuple[Rule, ...]:
        """The rules of a ranked group, highest priority first."""
        return self._ranked[name]

    def labelled(self, name: str, label: str) -> Rule:
        """The rule of a ranked group that yields ``label``."""
        return next(rule for rule in self._ranked[name] if rule.label == label)

    def first(self, name: str, text: str) -> tuple[Rule, re.Match[str]] | None:
        """The highest-priority rule of a group that matches the text, with its match."""
        for rule in self._ranked[name]:
            match = rule.pattern.search(text)
            if match is not None:
                return rule, match
        return None

    def cue_names(self) -> frozenset[str]:
        return frozenset(self._cues)

    def group_names(self) -> frozenset[str]:
        return frozenset(self._ranked)

    def __iter__(self) -> Iterator[Rule]:
        yield from self._cues.values()
        for group in self._ranked.values():
            yield from group


@cache
def rules(language: str) -> RuleSet:
    """The rules of one language, compiled once per process."""
    if language not in LANGUAGES:
        raise ResourceError(f"no resources for language {language!r}")
    return RuleSet(language)


def all_rules() -> Iterator[Rule]:
    """Every rule of every language (for the tests that check each rule against its examples)."""
    for language in LANGUAGES:
        yield from rules(language)
