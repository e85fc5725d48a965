"""HTML pages (.html, .htm): main text, title and date through trafilatura, offline.

Extraction favours precision: navigation, breadcrumbs, share links and footers are dropped, because
every line of the text becomes a sentence that the coder reads. Paragraphs stay one per line, and the
page title becomes the first line when the text does not already start with it (headlines are coded).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from trafilatura import bare_extraction

from tacitus.documents.base import (
    BadInput,
    FileInput,
    check_not_empty,
    decode_with_charsets,
    normalise_newlines,
    optional_date,
)
from tacitus.records import Document, ReadFailure

logger = logging.getLogger(__name__)

EXTRACTION_OPTIONS: dict[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,  # old official sites lay out their text in tables
    "include_images": False,
    "include_links": False,
    "with_metadata": True,
    # Dates from the page's markup and metadata only, not guessed from the running text.
    "date_extraction_params": {"extensive_search": False, "original_date": True},
}

# trafilatura's own MIN_EXTRACTED_SIZE: below it, its fallback extractors may have supplied the text,
# and they take navigation ("Home > News") for text when a page has no article.
SHORT_TEXT_CHARS = 250
# A short text is kept without a second opinion when it has a line of prose this long.
MIN_PROSE_WORDS = 8

_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
    rb"""|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")
_TABLE_RULE = re.compile(r"\|[\s|:-]*-[\s|:-]*")  # "|---|---|" under a table header


@dataclass
class ExtractedPage:
    text: str
    title: str | None
    date: str | None
    url: str | None
    site: str | None


def read_html_file(source: FileInput) -> Iterator[Document | ReadFailure]:
    try:
        yield html_document(
            source.read_bytes(), doc_id=source.doc_id, origin=source.origin, default_date=source.default_date
        )
    except BadInput as e:
        yield source.failure(str(e))
    except OSError as e:
        yield source.failure(f"cannot read: {e.strerror or e}")


def html_document(
    data: bytes,
    *,
    doc_id: str,
    origin: str,
    default_date: str | None,
    url: str | None = None,
    charsets: Iterable[str] = (),
) -> Document:
    """One Document from the bytes of an HTML page. Raises BadInput when it has no usable main text.

    The page's own date wins over `default_date`; `url`, when given (a crawl's target URI), wins over
    the page's own. `charsets` (e.g. from an HTTP header) are tried before the page's declared one.
    """
    page = extract_page(decode_html(data, charsets=charsets))
    return Document(
        id=doc_id,
        text=page.text,
        date=page.date or default_date,
        url=url or page.url,
        title=page.title,
        source=page.site,
        origin=origin,
    )


def decode_html(data: bytes, *, charsets: Iterable[str] = ()) -> str:
    """UTF-8 first; a page that is not UTF-8 is decoded with `charsets`, then with its declared one."""
    declared = declared_charset(data)
    html = decode_with_charsets(data, [*charsets, *([declared] if declared else [])])
    check_not_empty(html)
    return html


def declared_charset(data: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(data[:4096])
    if not match:
        return None
    charset = (match.group(1) or match.group(2)).decode("ascii").lower()
    return None if charset.replace("-", "").replace("_", "") == "utf8" else charset


def extract_page(html: str) -> ExtractedPage:
    """Main text and metadata of a page. Raises BadInput when it has no main text."""
    result = _extract(html, fast=False)
    text = clean_text(result.text or "") if result else ""
    if text and len(text) < SHORT_TEXT_CHARS and not _has_prose_line(text):
        # Short and not prose-like: keep it only if trafilatura's main extractor alone finds it too.
        strict = _extract(html, fast=True)
        text = clean_text(strict.text or "") if strict else ""
    if not text or result is None:
        raise BadInput("no main text found in the page")

    title = " ".join((result.title or "").split()) or None
    if title and not _same_line(text.split("\n", 1)[0], title):
        text = f"{title}\n{text}"
    return ExtractedPage(
        text=text,
        title=title,
        date=optional_date(result.date, "page date"),
        url=result.url or None,
        site=result.sitename or None,
    )


def _extract(html: str, *, fast: bool) -> Any:
    try:
        return bare_extraction(html, fast=fast, **EXTRACTION_OPTIONS)
    except Exception as e:  # a third-party parser on arbitrary input: one bad page must not stop a batch
        logger.debug("trafilatura failed", exc_info=True)
        raise BadInput(f"HTML extraction failed: {type(e).__name__}: {e}") from None


def clean_text(text: str) -> str:
    """One paragraph per line: blank lines dropped, table rows split into one line per cell."""
    lines: list[str] = []
    for line in normalise_newlines(text).split("\n"):
        line = line.strip()
        if _TABLE_RULE.fullmatch(line):
            continue
        if line.startswith("|") and line.endswith("|"):
            lines.extend(cell.strip() for cell in line.strip("|").split("|") if cell.strip())
        elif line:
            lines.append(line)
    return "\n".join(lines)


def _has_prose_line(text: str) -> bool:
    return any(
        len(line.split()) >= MIN_PROSE_WORDS and _SENTENCE_END.search(line)
        for line in text.split("\n")
    )


def _same_line(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


