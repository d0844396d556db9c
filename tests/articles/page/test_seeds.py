"""The two pages the project was made from parse (read from ``../shared/seeds`` when it exists), and so do
look-alike pages of the same scrape shapes written for these tests (so every clone tests the shapes)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from articles.page import Page, parse_page

SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"

# The German shape: numbered breadcrumb ending in 'Kicker: Headline', the headline glued to its kicker, the stamp
# glued to the teaser, a caption right below, a place dateline, a related-topics list inside the story, author
# initials, then partner ads of two lines each.
DE_LOOKALIKE = """1. Startseite
  2. Politik
  3. Ausland
  4. Nahost: Israel will Angriffe im Süden für 14 Tage einstellen

NahostIsrael will Angriffe im Süden für 14 Tage einstellen

Nach Angaben der Vermittler haben sich beide Seiten auf eine befristete Pause verständigt. Die Gespräche in Kairo \
dauerten drei Stunden. 04.02.2025 - 18:05 Uhr aktualisiert Artikel anhören
Vermittler bei einem Treffen im Januar: Die Gespräche sollen weitergehen. Foto: Max Muster/AP/dpa

Kairo. Laut den Vermittlern soll die Feuerpause noch in dieser Nacht beginnen. Einzelheiten nannten sie nicht.

Die Regierung in Jerusalem bestätigte die Einigung am Abend. Beide Seiten sollen jeweils 40 Gefangene freilassen.

Verwandte Themen
Israel
Ägypten
Nahost

Ein Sprecher der Vermittler sagte, man hoffe auf eine dauerhafte Lösung.

abc, def, ghi
Mehr zum Thema
Unsere Partner
Anzeige
beispiel.de
Jetzt Strompreise vergleichen und sparen
Anzeige
Musterfirma
Direkt hier bestellen!
Anzeige
Vergleichsportal
Produktvergleich - schnell zum besten Angebot."""

# The English shape: no headline line; the first line starts with ' date …' and runs on into a photo caption.
EN_LOOKALIKE = """ date 2025-02-04 Since the talks began in January, the envoys have met four times. (archive picture) \
Bild: dpa

Israel and Hamas have agreed to pause attacks in the south during talks in Cairo. There has been no word from \
Washington yet.

The mediators said the pause would last 14 days and could be extended if both sides kept to it.

No word from Washington yet

The White House has not commented on the agreement so far."""


def text_of(page: Page) -> str:
    return "\n".join(page.paragraphs)


def test_german_lookalike() -> None:
    page = parse_page(DE_LOOKALIKE)
    assert page.published == datetime(2025, 2, 4, 18, 5, tzinfo=timezone(timedelta(hours=1)))
    assert page.title == "Israel will Angriffe im Süden für 14 Tage einstellen"
    assert page.kicker == "Nahost"
    assert page.language == "de"
    assert page.paragraphs == (
        "Nach Angaben der Vermittler haben sich beide Seiten auf eine befristete Pause verständigt. Die Gespräche in "
        "Kairo dauerten drei Stunden.",
        "Laut den Vermittlern soll die Feuerpause noch in dieser Nacht beginnen. Einzelheiten nannten sie nicht.",
        "Die Regierung in Jerusalem bestätigte die Einigung am Abend. Beide Seiten sollen jeweils 40 Gefangene "
        "freilassen.",
        "Ein Sprecher der Vermittler sagte, man hoffe auf eine dauerhafte Lösung.",
    )
    assert page.headline_sentences() == ("Israel will Angriffe im Süden für 14 Tage einstellen",)


def test_english_lookalike() -> None:
    page = parse_page(EN_LOOKALIKE)
    assert page.published == date(2025, 2, 4)
    assert page.language == "en"
    assert page.paragraphs[0].startswith("Israel and Hamas have agreed to pause attacks")
    assert "archive" not in text_of(page)
    assert "Bild" not in text_of(page)
    assert "No word from Washington yet" not in page.paragraphs
    assert page.title_from_story


def seed(name: str) -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} is not there")
    return (SEEDS / name).read_text(encoding="utf-8")


def test_german_seed() -> None:
    page = parse_page(seed("de_putin-trump-call_2025-03-18.txt"))
    assert page.published == datetime(2025, 3, 18, 20, 51, tzinfo=timezone(timedelta(hours=1)))
    assert page.published.isoformat() == "2025-03-18T20:51:00+01:00"
    assert page.title == "Russland will Angriffe auf Energieanlagen für 30 Tage aussetzen"
    assert page.kicker == "Ukraine"
    assert page.language == "de"
    assert "30 Tage" in " ".join(page.headline_sentences())
    story = text_of(page)
    for noise in ("20:51", "anhören", "Foto:", "Verwandte Themen", "Außenpolitik", "flx", "Anzeige", "Partner",
                  "Homeday", "Produktvergleich", "Düsseldorf. "):  # fmt: skip
        assert noise not in story
    assert all(p.endswith((".", "“", '"', "!", "?")) for p in page.paragraphs)


def test_english_seed() -> None:
    page = parse_page(seed("en_putin-trump-call_2025-03-18.txt"))
    assert page.published == date(2025, 3, 18)
    assert type(page.published) is date
    assert page.language == "en"
    assert page.paragraphs[0].startswith("US President Donald Trump and Kremlin leader")
    story = text_of(page)
    assert "archive picture" not in story
    assert "Bild:" not in story
