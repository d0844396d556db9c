"""The extractor's entry points: a page (or a short report text) in, an :class:`Article` of plain values out.

The stages, each in its own module and each tested on its own: ``page`` (title, publication moment, language,
story sentences) -> ``temporal`` (time expressions anchored on the publication) and ``entities`` (parties and
their roles) -> ``frames`` (what one sentence states) -> ``discourse`` (what the article states as a whole).
"""

from __future__ import annotations

from articles import outcome, standing
from articles.discourse import Story
from articles.entities import local_zone
from articles.model import Article, ArticleError, CommitmentKind, Language, Moment, Report
from articles.page import content_hash, parse_page, split_sentences
from articles.plausible import implausible_date, noting, plausible_day, screen
from articles.reader import read_text

__all__ = ["extract_file", "extract_reports", "extract_text"]


def extract_text(text: str, path: str = "<text>", *, published: Moment | None = None) -> Article:
    """The article a page states; raises ArticleError (from the page layer) when it is not an article.

    ``published`` is used only when the page carries no publication date of its own. A publication date outside
    1900–2100 is refused (every other date is counted from it); implausible values in the text are left out,
    and the article's ``notes`` say which.
    """
    with noting() as notes:
        page = parse_page(text, path, published=published)
        if not plausible_day(page.published):
            raise ArticleError(path, f"publication date {implausible_date(page.published)}")
        body = "\n".join(page.paragraphs)
        story = Story(page.language, page.published, None, body, title=page.title)
        story.local = local_zone(body, page.language, story.context, story.parties(body))
        story.read_paragraphs(page.paragraph_sentences(), written=page.entries)
        story.read_all(page.headline_sentences(), headline=True)
        standing.settle_early_attacks(story)
        reports = outcome.reports(story)
        commitments = outcome.commitments(story, reports)
    return screen(
        Article(
            path=path,
            language=page.language,
            published=page.published,
            title=page.title,
            content_hash=content_hash(text),
            commitments=commitments,
            reports=reports,
            notes=tuple(notes),
        )
    )


def extract_file(path: str, *, published: Moment | None = None) -> Article:
    """Read a file (ArticleError on bad input) and extract it."""
    return extract_text(read_text(path), path, published=published)


def extract_reports(
    text: str, *, language: Language, published: Moment, about: CommitmentKind | None = None
) -> tuple[Report, ...]:
    """Reports in a short text such as an admin's one-line /report, read by the same sentence rules.

    ``about`` names the commitment the text reports on; then every report is about it, and an attack on a halt
    or truce ("Ukraine says Russia struck a power plant") is a violation claim even without "violated".
    """
    with noting():
        story = Story(language, published, local_zone(text, language), text, pinned=about, screened=False)
        story.read_all(split_sentences(text, language))
        reports = outcome.reports(story)
    return screen(Article("<report>", language, published, "", "", reports=reports)).reports
