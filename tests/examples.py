"""The example articles the bot and storage tests load: a fixed set, so their ids, states and replay times stay put
while ``examples/articles`` grows as the extractor's corpus (more stories, off-topic pages, pages without a date)."""

from __future__ import annotations

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "articles"
FIRST_EXAMPLES: tuple[str, ...] = (
    "de_dreitaegige-waffenruhe_2025-04-28.txt",
    "de_energie-angriffe_2025-03-20.txt",
    "de_gaza-abkommen_2025-01-16.txt",
    "de_hisbollah-verstoesse_2024-11-28.txt",
    "de_hisbollah-waffenruhe_2024-11-26.txt",
    "de_osterwaffenruhe_2025-04-19.txt",
    "de_putin-trump-telefonat_2025-03-18.txt",
    "de_schwarzes-meer_2025-03-25.txt",
    "en_black-sea-deal_2025-03-25.txt",
    "en_easter-truce-ends_2025-04-21.txt",
    "en_easter-truce_2025-04-19.txt",
    "en_gaza-deal_2025-01-16.txt",
    "en_israel-hezbollah-ceasefire_2024-11-26.txt",
    "en_istanbul-talks_2025-05-16.txt",
    "en_prisoner-swap_2025-03-19.txt",
    "en_putin-trump-call_2025-03-18.txt",
    "en_victory-day-truce_2025-04-28.txt",
)


def first_examples() -> list[Path]:
    """The paths of the fixed set, in name order."""
    return [EXAMPLES / name for name in FIRST_EXAMPLES]
