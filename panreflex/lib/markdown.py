"""Markdown → sanitised HTML. User content is never executed: markdown-it with raw HTML disabled, then
nh3 (Ammonia) with an allow-list, links forced to rel="noopener noreferrer nofollow"."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre", "h2", "h3", "h4",
    "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "del", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


# A star between two letters is a German gender star (Bürger*innen), never emphasis.
_GENDER_STAR = re.compile(r"(?<=[^\W_\d])\*(?=[^\W_\d])")


def render_markdown(text: str) -> str:
    # Headings in user content start at h2 (h1 is the page title); shift "# x" to h2.
    html = _md.render(_GENDER_STAR.sub(r"\\*", text or ""))
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return sanitize_html(html)


def strip_tags_text(text: str) -> str:
    """Plain text without any markup (for search indexing, exports, e-mails)."""
    return nh3.clean(text or "", tags=set())
