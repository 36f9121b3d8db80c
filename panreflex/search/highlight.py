"""Highlighted snippets: words whose tokens meet the query's tokens are wrapped in <mark>, the rest is
escaped. Uses the same analyser as the index, so "Impfungen" marks "geimpft" and "Impfbus"."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analysis import WORD_RE, Analyzer, fold, stem

SNIPPET_FIELDS = ("summary", "description", "measures", "challenge", "results", "went_well", "transfer_municipalities")
SNIPPET_WORDS = 40
_MARKDOWN = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`#>|~]+")


def plain(text: str) -> str:
    """Markdown reduced to its words (links keep their text)."""
    return " ".join(_MARKDOWN.sub(lambda m: m.group(1) or " ", text or "").split())


MIN_AFFIX = 4  # a query token this long marks the compounds it begins or ends (Impf → Impfzentrum)


class _Marker:
    """Which written words meet the query's tokens: their tokens meet, or the word is a compound
    beginning or ending with a query token (the page's texts are marked without asking the index
    vocabulary). Answers are kept per word for the page."""

    def __init__(self, tokens: set[str], analyzer: Analyzer):  # noqa: D107
        self.tokens = tokens
        self.affixes = tuple(t for t in tokens if len(t) >= MIN_AFFIX)
        self.analyzer = analyzer
        self.seen: dict[str, bool] = {}

    def __call__(self, word: str) -> bool:
        found = self.seen.get(word)
        if found is None:
            found = bool(self.tokens) and (
                not self.tokens.isdisjoint(self.analyzer.word_tokens(word))
                or (bool(self.affixes) and (fold(word).startswith(self.affixes) or stem(fold(word)).endswith(self.affixes))))
            self.seen[word] = found
        return found


_markers: dict[int, _Marker] = {}


def _meets(word: str, tokens: set[str], analyzer: Analyzer) -> bool:
    marker = _markers.get(id(tokens))
    if marker is None or marker.tokens is not tokens:
        _markers.clear()
        marker = _markers[id(tokens)] = _Marker(tokens, analyzer)
    return marker(word)


def mark(text: str, tokens: set[str], analyzer: Analyzer) -> tuple[SafeString, int]:
    out, last, hits = [], 0, 0
    for m in WORD_RE.finditer(text):
        if _meets(m.group(), tokens, analyzer):
            out.append(escape(text[last:m.start()]))
            out.append(f"<mark>{escape(m.group())}</mark>")
            last = m.end()
            hits += 1
    out.append(escape(text[last:]))
    return mark_safe("".join(out)), hits  # noqa: S308 – every piece is escaped above


def _window(text: str, tokens: set[str], analyzer: Analyzer) -> tuple[str, int]:
    words = list(WORD_RE.finditer(text))
    hit_positions = [i for i, m in enumerate(words) if _meets(m.group(), tokens, analyzer)]
    if len(words) <= SNIPPET_WORDS:
        return text, len(hit_positions)
    first = hit_positions[0] if hit_positions else 0
    start_word = max(0, first - 8)
    end_word = min(len(words), start_word + SNIPPET_WORDS)
    start = words[start_word].start()
    end = words[end_word - 1].end()
    return ("… " if start_word else "") + text[start:end] + (" …" if end_word < len(words) else ""), len(hit_positions)


def snippet(practice, tokens: set[str], analyzer: Analyzer) -> SafeString:
    best_text, best_hits = "", -1
    for name in SNIPPET_FIELDS:
        text = plain(getattr(practice, name, "") or "")
        if not text:
            continue
        window, hits = _window(text, tokens, analyzer)
        if hits > best_hits:
            best_text, best_hits = window, hits
        if name == "summary" and hits:
            break  # the summary is the best snippet when it has a matching word
    html, _ = mark(best_text, tokens, analyzer)
    return html


_analyzer: list[Analyzer] = []


def shared_analyzer() -> Analyzer:
    """One analyser without the index vocabulary (stems, inflections, the built-in lexicon's compounds),
    reused between requests: its word cache stays warm and small."""
    if not _analyzer:
        _analyzer.append(Analyzer(cache_size=20_000))
    return _analyzer[0]


def decorate(result) -> None:
    """Set `snippet` and `title_html` on every hit of a SearchResult."""
    tokens = result.plan.tokens if result.plan is not None else set()
    analyzer = shared_analyzer()
    for hit in result.hits:
        hit.title_html, _ = mark(hit.practice.title, tokens, analyzer)
        if tokens:
            hit.snippet = snippet(hit.practice, tokens, analyzer)
        else:
            hit.snippet, _ = mark(_window(plain(hit.practice.summary), set(), analyzer)[0], set(), analyzer)
