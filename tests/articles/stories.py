"""The short story both page tests put under a headline and a publication stamp, in English and German."""

from __future__ import annotations

TITLE = "Truce extended by two more days"
EN_STORY = (
    "Hamas and Israel agreed to extend the pause in fighting, mediators in Doha said on Monday evening.\n\n"
    "Both sides said they would keep to the terms of the original deal.\n"
)
DE_STORY = (
    "Die Konfliktparteien haben sich auf eine Verlängerung der Feuerpause geeinigt, teilten die Vermittler mit.\n\n"
    "Beide Seiten sagten zu, sich an die bisherigen Bedingungen zu halten.\n"
)
