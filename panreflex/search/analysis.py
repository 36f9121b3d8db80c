"""The German-aware text analyser: one pipeline for indexing and for queries, on every database.

Steps for every word: lower-casing; folding of umlauts and ß (ä→ae, ö→oe, ü→ue, ß→ss) and of other
diacritics; stop words dropped; Snowball German stemming. Extra tokens make inflections and compounds
meet:
- nouns in -ung also give their verb root (Impfung → impf, like impfen → impf);
- past participles ge…t / ge…et give their root (geimpft → impf, gearbeitet → arbeit);
- compounds are split against a vocabulary (index terms plus a small built-in lexicon) with the usual
  linking elements (-s-, -es-, -n-, -en-, -e-): Impfbus → impf + bus.

A document stores every token of every word. A query word becomes a group of alternatives (each an
AND of tokens): its own tokens, its compound parts, up to a few one-edit spelling corrections (for words
of five or more letters that the index does not know) and the members of a staff-maintained synonym
group. The backends only receive these ready-made tokens, so SQLite and PostgreSQL see the same thing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import snowballstemmer

WORD_RE = re.compile(r"[^\W_]+")
MIN_TYPO_LENGTH = 5
MIN_COMPOUND_LENGTH = 6
MIN_PART_LENGTH = 3
# Endings that look like a word of their own but are suffixes (…los, …lich) – never a compound part.
SUFFIX_PARTS = frozenset({
    "los", "lich", "ig", "isch", "heit", "keit", "schaft", "ung", "tum", "nis", "bar", "sam", "haft",
    "weis", "weise", "mass", "ist", "ern", "end", "ens", "ten", "ter", "tes", "ier", "eur", "ent", "ant",
    "ion", "tat", "tion", "sion", "ismus", "chen", "lein", "ling", "sich",
})
LINKS = ("es", "en", "s", "n", "e")
_DATA = Path(__file__).resolve().parent / "data"


def _word_list(name: str) -> frozenset[str]:
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(fold(w) for line in lines if (w := line.split("#", 1)[0].strip()))


_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})


def fold(text: str) -> str:
    """Lower-case, ä→ae ö→oe ü→ue ß→ss, other diacritics removed (é→e)."""
    text = text.lower().translate(_FOLD)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


STOP_WORDS = _word_list("stopwords_de.txt")
LEXICON_WORDS = _word_list("lexicon_de.txt")
_stemmer = snowballstemmer.stemmer("german")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball German stem of a folded word."""
    return _stemmer.stemWord(word)


def surface_words(text: str) -> list[str]:
    """The words of a text as written (case kept), in order."""
    return WORD_RE.findall(text or "")


@lru_cache(maxsize=200_000)
def word_variants(word: str, lowercase_initial: bool = True) -> tuple[str, ...]:
    """Tokens of one folded word without compound parts: stem first, then inflection roots."""
    base = stem(word)
    tokens = [base]
    if base.endswith("ung") and len(base) >= 6:
        tokens.append(stem(base[:-3]))
    if lowercase_initial and word.startswith("ge") and len(word) >= 6 and word.endswith("t"):
        root = word[2:-2] if word.endswith("et") and len(word) >= 8 else word[2:-1]
        if len(root) >= 4:
            tokens.append(stem(root))
    return tuple(dict.fromkeys(t for t in tokens if t))


def lexicon_vocabulary() -> frozenset[str]:
    return _lexicon_vocabulary()


@lru_cache(maxsize=1)
def _lexicon_vocabulary() -> frozenset[str]:
    vocab: set[str] = set()
    for w in LEXICON_WORDS:
        vocab.update(word_variants(w))
    return frozenset(vocab)


def _known(part: str, vocab: frozenset[str] | set[str]) -> str | None:
    s = stem(part)
    if s in vocab:
        return s
    if part in vocab:
        return part
    return None


def split_compound(word: str, vocab: frozenset[str] | set[str]) -> tuple[str, str] | None:
    """Split a folded word into two known parts (stems), or None. Prefers the most balanced split."""
    if len(word) < MIN_COMPOUND_LENGTH:
        return None
    best: tuple[int, tuple[str, str]] | None = None
    for i in range(MIN_PART_LENGTH, len(word) - MIN_PART_LENGTH + 1):
        head, tail = word[:i], word[i:]
        if tail in SUFFIX_PARTS or stem(tail) in SUFFIX_PARTS:
            continue
        tail_stem = _known(tail, vocab)
        if tail_stem is None or len(tail_stem) < MIN_PART_LENGTH:
            continue
        heads = [head] + [head[: -len(link)] for link in LINKS if head.endswith(link)]
        for h in heads:
            if len(h) < MIN_PART_LENGTH or h in SUFFIX_PARTS:
                continue
            head_stem = _known(h, vocab)
            if head_stem is None:
                continue
            balance = min(len(h), len(tail))
            if best is None or balance > best[0]:
                best = (balance, (head_stem, tail_stem))
            break
    return best[1] if best else None


class Analyzer:
    """Turns texts into index tokens. `vocabulary` (a set of stems) drives compound splitting."""

    def __init__(self, vocabulary: Iterable[str] = ()):  # noqa: D107
        self.vocabulary: frozenset[str] = frozenset(vocabulary) | lexicon_vocabulary()
        self._cache: dict[tuple[str, bool], tuple[str, ...]] = {}

    def word_tokens(self, surface: str) -> tuple[str, ...]:
        """All tokens of one written word (empty for stop words)."""
        key = (surface, surface[:1].islower())
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        word = fold(surface)
        if word in STOP_WORDS or (len(word) < 2 and not word.isdigit()):
            tokens: tuple[str, ...] = ()
        else:
            found = list(word_variants(word, key[1]))
            parts = split_compound(word, self.vocabulary)
            if parts:
                for part in parts:
                    if part not in found:
                        found.append(part)
                    for extra in word_variants(part)[1:]:
                        if extra not in found:
                            found.append(extra)
            tokens = tuple(found)
        if len(self._cache) < 500_000:
            self._cache[key] = tokens
        return tokens

    def tokens(self, text: str) -> list[str]:
        out: list[str] = []
        for w in surface_words(text):
            out.extend(self.word_tokens(w))
        return out

    def text(self, text: str) -> str:
        """Space-joined tokens, as stored in the index."""
        return " ".join(self.tokens(text))


_shared: list = [None, None]  # [vocabulary object, Analyzer]


def shared_analyzer(vocabulary: frozenset[str]) -> Analyzer:
    """One analyser per vocabulary object, reused between queries: building one copies the whole
    vocabulary (100,000+ terms), and its word cache stays warm."""
    if _shared[0] is not vocabulary:
        _shared[:] = [vocabulary, Analyzer(vocabulary)]
    return _shared[1]


# --- queries -------------------------------------------------------------------------------------
@dataclass
class WordGroup:
    """One query word: matched when any alternative (an AND of tokens) matches."""

    word: str
    alternatives: list[tuple[str, ...]] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    synonyms: list[str] = field(default_factory=list)

    def add(self, alternative: tuple[str, ...]) -> None:
        if alternative and alternative not in self.alternatives:
            self.alternatives.append(alternative)


@dataclass
class QueryPlan:
    text: str
    groups: list[WordGroup]

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def tokens(self) -> set[str]:
        return {t for g in self.groups for alt in g.alternatives for t in alt}


def typo_candidates(token: str, vocabulary: list[str], limit: int = 3) -> list[str]:
    """Vocabulary terms within one edit of `token`."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    hits = process.extract(token, vocabulary, scorer=Levenshtein.distance, score_cutoff=1, limit=limit * 4)
    # closest first, then the more common term (vocabulary is ordered by document frequency)
    return [term for term, _dist, _i in sorted(hits, key=lambda h: (h[1], h[2]))][:limit]


def parse_synonyms(lines: Iterable[str]) -> list[list[str]]:
    """Synonym groups as lists of terms; each line/group is comma separated."""
    groups = []
    for line in lines:
        terms = [t.strip() for t in re.split(r"[,;\n]", line) if t.strip()]
        if len(terms) >= 2:
            groups.append(terms)
    return groups


def analyse_query(text: str, *, vocabulary: frozenset[str], vocabulary_list: list[str],
                  synonym_groups: list[list[str]] = ()) -> QueryPlan:
    """Build the query plan for `text` with the index `vocabulary` (set) and `vocabulary_list` (by frequency)."""
    known = shared_analyzer(vocabulary).vocabulary
    synonym_index: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for terms in synonym_groups:
        analysed = []
        for term in terms:
            stems = tuple(word_variants(fold(w))[0] for w in surface_words(term) if fold(w) not in STOP_WORDS)
            if stems:
                analysed.append((term, stems))
        for _term, stems in analysed:
            if len(stems) == 1:
                synonym_index.setdefault(stems[0], []).extend(a for a in analysed if a[1] != stems)
    groups: list[WordGroup] = []
    for surface in surface_words(text[:500])[:20]:
        word = fold(surface)
        if word in STOP_WORDS or (len(word) < 2 and not word.isdigit()):
            continue
        group = WordGroup(word=surface)
        variants = word_variants(word, True)
        for v in variants:
            group.add((v,))
        parts = split_compound(word, known)
        if parts:
            group.add(parts)
        if len(word) >= MIN_TYPO_LENGTH and not any(v in known for v in variants) and not parts:
            for candidate in typo_candidates(variants[0], vocabulary_list):
                group.add((candidate,))
                group.corrected.append(candidate)
        for v in variants:
            for term, stems in synonym_index.get(v, []):
                group.add(stems)
                if term not in group.synonyms:
                    group.synonyms.append(term)
        groups.append(group)
    return QueryPlan(text=text, groups=groups)
