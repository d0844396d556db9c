"""Every rule in the language data files matches the examples written beside it, and none of its counter-examples.

In a ranked group an example must also not be taken by a rule of higher priority, so the priorities are tested
by the same sentences that justify the rules.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from articles.rules import LANGUAGES, ResourceError, Rule, _read, all_rules, rules

RULES = list(all_rules())


def _id(rule: Rule) -> str:
    return f"{rule.language}:{rule.name}"


@pytest.mark.parametrize("rule", RULES, ids=[_id(r) for r in RULES])
def test_rule_matches_its_examples(rule: Rule) -> None:
    for example in rule.examples:
        assert rule.pattern.search(example), f"{_id(rule)} does not match its example {example!r}"
    for counter in rule.counter:
        assert not rule.pattern.search(counter), f"{_id(rule)} matches its counter-example {counter!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_ranked_examples_are_not_taken_by_a_higher_rule(language: str) -> None:
    ruleset = rules(language)
    for group in sorted(ruleset.group_names()):
        ranked = ruleset.ranked(group)
        for rule in ranked:
            for example in rule.examples:
                winner = ruleset.first(group, example)
                assert winner is not None
                assert winner[0].label == rule.label or winner[0].priority == rule.priority, (
                    f"{language}:{group}: {example!r} is taken by {winner[0].label!r} before {rule.label!r}"
                )


def test_both_languages_name_the_same_cues() -> None:
    english, german = rules("en"), rules("de")
    assert english.cue_names() == german.cue_names()
    assert english.group_names() == german.group_names()


def test_a_key_given_twice_in_a_data_file_is_refused(tmp_path: Path) -> None:
    """YAML would keep only the second list, and the first one's counter-examples would never be tested."""
    path = tmp_path / "frames.yaml"
    path.write_text('fear:\n  pattern: "x"\n  counter: ["a"]\n  counter: ["b"]\n', encoding="utf-8")
    with pytest.raises(ResourceError, match="given twice"):
        _read(path)
