"""A web page becomes the text of a ``.txt`` article: trafilatura finds the story, its title and (with htmldate)
the page's own date; the text then goes through :func:`articles.extract.extract_text` exactly like a file.

The page's date is its publication when it has one. htmldate gives a day, or an instant when the page states one
with its zone (``article:published_time``); a day is kept a day, unless the feed that brought the page names an
instant on that same day, which is then used (the same publication, said more precisely).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from articles.extract import extract_text
from articles.model import Article, ArticleError, Moment

NO_STORY = "no story text found on the page"
# htmldate's output with its time: an offset when the page gave one, "T00:00:00" alone when it gave a day.
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
_DATE_OPTIONS = {"outputformat": _DATE_FORMAT, "original_date": True, "extensive_search": True}
_BLANK_RUNS = re.compile(r"\n{2,}")


@dataclass(frozen=True, slots=True)
class PageText:
    """What trafilatura read from one page: its title (None when none was found), the story paragraphs as text,
    and the page's own date (None when none was found)."""

    url: str
    title: str | None
    text: str
    published: Moment | None


def page_date(found: str | None) -> Moment | None:
    """htmldate's text → a day, an aware instant, or a naive clock time (a time without a zone)."""
    if not found:
        return None
    try:
        value = datetime.strptime(found, _DATE_FORMAT)
    except ValueError:
        try:
            value = datetime.strptime(found, "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            try:
                return date.fromisoformat(found[:10])
            except ValueError:
                return None
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.date()
    return value


def read_page(body: bytes | str, url: str) -> PageText:
    """The story of an HTML page; raises ArticleError(url, NO_STORY) when trafilatura finds none."""
    # trafilatura (and lxml, htmldate, courlan) cost ~25 MB: imported by the first page read, not at start-up.
    import trafilatura
    from trafilatura.settings import Document

    document = trafilatura.bare_extraction(
        body,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        date_extraction_params=_DATE_OPTIONS,
    )
    if not isinstance(document, Document) or not (document.text or "").strip():
        raise ArticleError(url, NO_STORY)
    title = (document.title or "").strip() or None
    return PageText(url=url, title=title, text=(document.text or "").strip(), published=page_date(document.date))


def article_text(page: PageText) -> str:
    """The page as a ``.txt`` article reads: the headline, a blank line, then one paragraph per block."""
    body = _BLANK_RUNS.sub("\n", page.text).replace("\n", "\n\n")
    return f"{page.title}\n\n{body}\n" if page.title else body + "\n"


def publication(page: Moment | None, fallback: Moment | None) -> Moment | None:
    """The page's own date; a bare day yields to ``fallback`` when that is an instant on the same day."""
    if page is None:
        return fallback
    if not isinstance(page, datetime) and isinstance(fallback, datetime) and fallback.date() == page:
        return fallback
    return page


def page_article(page: PageText, *, fallback: Moment | None = None) -> Article:
    """The article the page states (ArticleError like a ``.txt``: no story, no date anywhere).

    ``fallback`` dates a page that shows no date of its own (the feed item's date, or the message's).
    """
    return extract_text(article_text(page), page.url, published=publication(page.published, fallback))
