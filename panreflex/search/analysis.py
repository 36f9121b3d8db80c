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
HYPHENATED_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)+")
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
IEREN_ENDINGS = ("ationen", "ation", "ierten", "ierter", "iertes", "ierte", "iert", "ierst", "ieren", "iere")
MAX_EXPANSIONS = 8  # index terms a query word may add as compound heads or modifiers
PART_GROUPS_MAX_DF = 50  # a compound in this many examples or more: its parts count only together
_DATA = Path(__file__).resolve().parent / "data"


def _word_list(name: str) -> frozenset[str]:
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(fold(w) for line in lines if (w := line.split("#", 1)[0].strip()))


_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})
_PLAIN_VOWELS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "Ä": "A", "Ö": "O", "Ü": "U"})


def plural_umlaut_stem(surface: str) -> str | None:
    """The stem of a word with its umlauts as plain vowels, when it has any: plurals and other forms
    with an umlaut meet their singular (Dörfer/Dorf, Ärzte/Arzt, Häuser/Haus, Städte/Stadt)."""
    if not any(c in surface for c in "äöüÄÖÜ"):
        return None
    return stem(fold(surface.translate(_PLAIN_VOWELS)))


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


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """Snowball German stem of a folded word."""
    return _stemmer.stemWord(word)


def surface_words(text: str) -> list[str]:
    """The words of a text as written (case kept), in order."""
    return WORD_RE.findall(text or "")


@lru_cache(maxsize=50_000)
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
    # Latin plurals: Zentrum/Zentren, Ministerium/Ministerien, Datum/Daten meet on the plural's stem
    if word.endswith("um") and len(word) >= 6:
        tokens.append(stem(word[:-2]))
    # verbs in -ieren and their nouns in -ation meet on the verb's stem: informiert, Information → informi
    for ending in IEREN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            tokens.append(stem(word[: -len(ending)] + "ieren"))
            break
    return tuple(dict.fromkeys(t for t in tokens if t))


def lexicon_vocabulary() -> frozenset[str]:
    return _lexicon_vocabulary()


@lru_cache(maxsize=1)
def _lexicon_vocabulary() -> frozenset[str]:
    vocab: set[str] = set()
    for w in LEXICON_WORDS:
        vocab.update(word_variants(w))
    return frozenset(vocab)


def _known(part: str, vocab) -> str | None:
    s = stem(part)
    if s in vocab:
        return s
    if part in vocab:
        return part
    return None


def split_compound(word: str, vocab) -> tuple[str, str] | None:
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


def split_loose(word: str, vocab) -> tuple[str, str] | None:
    """For queries: split a folded word of nine letters or more into a known modifier (the longest) and
    any tail of four letters or more (Kontaktverfolgung → kontakt + verfolg, when the index only has
    Kontaktnachverfolgung); the tail then finds the compounds it is the head of."""
    if len(word) < 9:
        return None
    for i in range(len(word) - 4, 3, -1):
        head, tail = word[:i], word[i:]
        if tail in SUFFIX_PARTS or stem(tail) in SUFFIX_PARTS or len(stem(tail)) < 4:
            continue
        for h in [head] + [head[: -len(link)] for link in LINKS if head.endswith(link)]:
            known = _known(h, vocab)
            if known is not None and len(h) >= 4 and h not in SUFFIX_PARTS:
                return known, stem(tail)
    return None


class Analyzer:
    """Turns texts into index tokens. `vocabulary` (a set of stems) drives compound splitting."""

    def __init__(self, vocabulary: Iterable[str] | Lexicon = (), cache_size: int = 500_000):  # noqa: D107
        self.cache_size = cache_size
        lexicon = lexicon_vocabulary()
        if isinstance(vocabulary, Lexicon):
            self.vocabulary: Lexicon | frozenset[str] = vocabulary  # asked, not copied
        elif isinstance(vocabulary, frozenset) and lexicon <= vocabulary:
            self.vocabulary = vocabulary  # no copy of a large vocabulary
        else:
            self.vocabulary = frozenset(vocabulary) | lexicon
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
            plain = plural_umlaut_stem(surface)
            if plain and plain not in found:
                found.append(plain)
            parts = split_compound(word, self.vocabulary)
            if parts:
                for part in parts:
                    if part not in found:
                        found.append(part)
                    for extra in word_variants(part)[1:]:
                        if extra not in found:
                            found.append(extra)
            tokens = tuple(found)
        if len(self._cache) < self.cache_size:
            self._cache[key] = tokens
        return tokens

    def tokens(self, text: str) -> list[str]:
        """Tokens of every word; a hyphenated compound (Impf-Bus, Pop-up-Teststelle) also gives the tokens
        of its parts written together, so that it meets the same compound written in one word."""
        out: list[str] = []
        for w in surface_words(text):
            out.extend(self.word_tokens(w))
        if "-" in (text or ""):
            for m in HYPHENATED_RE.finditer(text):
                out.extend(self.word_tokens(m.group().replace("-", "")))
        return out

    def text(self, text: str) -> str:
        """Space-joined tokens, as stored in the index."""
        return " ".join(self.tokens(text))


# --- queries -------------------------------------------------------------------------------------
@dataclass
class WordGroup:
    """One query word: matched when any alternative (an AND of tokens) matches. `expansions` are the
    alternatives that are not the word itself (compounds with it, long forms, translations, spelling
    corrections, synonyms): an example with the word as written ranks above one with only those."""

    word: str
    alternatives: list[tuple[str, ...]] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    synonyms: list[str] = field(default_factory=list)
    expansions: set[tuple[str, ...]] = field(default_factory=set)

    def add(self, alternative: tuple[str, ...], *, expansion: bool = False) -> None:
        if alternative and alternative not in self.alternatives:
            self.alternatives.append(alternative)
            if expansion:
                self.expansions.add(alternative)
        elif alternative and not expansion:
            self.expansions.discard(alternative)


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


def split_candidates(word: str) -> set[str]:
    """Every string `split_compound` and `split_loose` may look up in the vocabulary for `word` (its
    heads and tails, with and without linking elements, and their stems), so that a vocabulary in the
    database is asked once per query or document instead of once per string."""
    out = {word}
    if len(word) < MIN_COMPOUND_LENGTH:
        return out
    for i in range(MIN_PART_LENGTH, len(word) - MIN_PART_LENGTH + 1):
        head, tail = word[:i], word[i:]
        for part in (tail, *(head[: -len(link)] for link in LINKS if head.endswith(link)), head):
            out.add(part)
            out.add(stem(part))
    return out


class Lexicon:
    """The index vocabulary as the analyser asks it: is a term known, which terms begin or end with a
    stem (compounds), which are near a misspelled word, how many examples have a term. This one holds
    the terms in memory (tests, a rebuild's first pass); `index.DatabaseLexicon` asks the database, so
    that no app process keeps a copy of the vocabulary."""

    def __init__(self, terms: dict[str, int] | Iterable[str] = ()):  # noqa: D107
        self.df = dict(terms) if isinstance(terms, dict) else dict.fromkeys(terms, 1)
        self._known = frozenset(self.df) | lexicon_vocabulary()
        self._sorted: tuple[list[str], list[str]] | None = None

    def __contains__(self, term: str) -> bool:
        return term in self._known

    def prefetch(self, strings: Iterable[str]) -> None:
        """Strings about to be asked with `in` (a database lexicon reads them in one go)."""

    def frequency(self, term: str) -> int:
        return self.df.get(term, 0)

    def _lists(self) -> tuple[list[str], list[str]]:
        if self._sorted is None:
            self._sorted = (sorted(self.df), sorted(t[::-1] for t in self.df))
        return self._sorted

    @staticmethod
    def _prefixed(items: list[str], prefix: str, limit: int) -> list[str]:
        from bisect import bisect_left

        out, i = [], bisect_left(items, prefix)
        while i < len(items) and items[i].startswith(prefix) and len(out) < limit:
            out.append(items[i])
            i += 1
        return out

    def with_prefix(self, prefix: str, limit: int = 500) -> list[str]:
        return self._prefixed(self._lists()[0], prefix, limit)

    def with_suffix(self, suffix: str, limit: int = 500) -> list[str]:
        return [t[::-1] for t in self._prefixed(self._lists()[1], suffix[::-1], limit)]

    def near(self, token: str, distance: int) -> list[str]:
        """Terms that may be within `distance` edits of `token` (a superset; the caller measures)."""
        return [t for t in self.df if abs(len(t) - len(token)) <= distance]


def typo_candidates(token: str, lexicon: Lexicon, limit: int = 3) -> list[str]:
    """Vocabulary terms within one edit of `token` (two for tokens of ten letters or more), the closest
    first, then the more frequent."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    cutoff = 2 if len(token) >= 10 else 1
    choices = lexicon.near(token, cutoff)
    hits = process.extract(token, choices, scorer=Levenshtein.distance, score_cutoff=cutoff, limit=None)
    ranked = sorted((h for h in hits if h[0] != token), key=lambda h: (h[1], -lexicon.frequency(h[0]), h[0]))
    return [term for term, _dist, _i in ranked][:limit]


def compounds(lexicon: Lexicon, token: str, word: str = "") -> list[str]:
    """Index terms that are compounds with `token` (a stem) as their head (Stadtteillotsen for Lotsen)
    or with `word` (as written, folded) or `token` as their modifier followed by a known word
    (Testzentrum for Test, Abwassermonitoring for Abwasser), the most frequent first."""
    found = []
    for term in lexicon.with_suffix(token):
        modifier = term[: -len(token)]
        if len(modifier) >= MIN_PART_LENGTH and modifier not in SUFFIX_PARTS:
            found.append(term)
    for prefix in dict.fromkeys(p for p in (word, token) if p):
        terms = lexicon.with_prefix(prefix)
        rests = {t: [t[len(prefix):]] + [t[len(prefix) + len(link):] for link in LINKS
                                         if t[len(prefix):].startswith(link)] for t in terms}
        lexicon.prefetch(r for rs in rests.values() for r in rs)
        found += [t for t, rs in rests.items()
                  if any(len(r) >= MIN_PART_LENGTH and r not in SUFFIX_PARTS and r in lexicon for r in rs)]
    found = list(dict.fromkeys(found))
    found.sort(key=lambda t: (-lexicon.frequency(t), t))
    return found[:MAX_EXPANSIONS]


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, tuple[str, tuple[str, ...]]]:
    """{folded abbreviation: (as written in the list, stems of its long form)} from
    `data/abbreviations_de.txt`."""
    out = {}
    for line in (_DATA / "abbreviations_de.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" not in line:
            continue
        short, long = (x.strip() for x in line.split("=", 1))
        stems = tuple(word_variants(fold(w))[0] for w in surface_words(long) if fold(w) not in STOP_WORDS)
        if short and stems:
            out[fold(short)] = (short, stems)
    return out


@lru_cache(maxsize=1)
def english_terms() -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """{folded English word or two-word phrase: German equivalents as stem tuples} from
    `data/english_de.txt`."""
    out: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for line in (_DATA / "english_de.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" not in line:
            continue
        english, german = (x.strip() for x in line.split("=", 1))
        key = tuple(fold(w) for w in surface_words(english))
        alternatives = []
        for form in german.split(";"):
            stems = tuple(word_variants(fold(w))[0] for w in surface_words(form) if fold(w) not in STOP_WORDS)
            if stems:
                alternatives.append(stems)
        if key and alternatives and len(key) <= 2:
            out.setdefault(key, []).extend(alternatives)
    return out


def umlaut_spellings(word: str) -> list[str]:
    """A folded word as it would be folded had its a, o, u been ä, ö, ü (Koln, Dusseldorf, Arzte typed
    without umlauts: koeln, duesseldorf, aerzte), one or every such vowel; ß typed as s is a spelling
    correction."""
    positions = [i for i, c in enumerate(word) if c in "aou" and word[i + 1:i + 2] != "e"][:4]
    out = []
    for i in positions:
        out.append(word[: i + 1] + "e" + word[i + 1:])
    if len(positions) > 1:
        out.append("".join(c + "e" if i in positions else c for i, c in enumerate(word)))
    return out


def _abbreviation(surface: str) -> tuple[str, ...] | None:
    """Stems of the long form when `surface` is a known abbreviation (two letters: only in capitals)."""
    entry = abbreviations().get(fold(surface))
    if entry is None or (len(surface) <= 2 and not surface.isupper()):
        return None
    return entry[1]


def query_words(text: str) -> list[tuple[str, list[str]]]:
    """(word, its hyphen-separated parts) of a query, at most 20: "Impf-Bus" is one word Impfbus of the
    parts Impf and Bus."""
    out = []
    for m in re.finditer(r"[^\W_]+(?:-[^\W_]+)*", text[:500]):
        pieces = m.group().split("-")
        out.append(("".join(pieces), pieces if len(pieces) > 1 else []))
    return out[:20]


def parse_synonyms(lines: Iterable[str]) -> list[list[str]]:
    """Synonym groups as lists of terms; each line/group is comma separated."""
    groups = []
    for line in lines:
        terms = [t.strip() for t in re.split(r"[,;\n]", line) if t.strip()]
        if len(terms) >= 2:
            groups.append(terms)
    return groups


def analyse_query(text: str, *, lexicon: Lexicon, synonym_groups: list[list[str]] = ()) -> QueryPlan:
    """Build the query plan for `text` with the index vocabulary `lexicon`.

    Every query word gives a group of alternatives: its own tokens, compounds of the index with it as
    head or modifier, the long form of an abbreviation, spelling corrections when the index does not
    know the word (also when it knows one of its parts) and synonyms. A compound (Impfbus, Impf-Bus)
    gives one group per part, each also met by the whole word: an example with only one part matches
    half of it, and ranks below examples with both. When the index has the whole word in at least
    `PART_GROUPS_MAX_DF` examples, the parts only count together (one group), so that a
    frequent compound does not pull in every example with one of its parts."""
    known = lexicon
    words = [fold(surface) for surface, _pieces in query_words(text)]
    spellings = {w: umlaut_spellings(w) for w in words}
    lexicon.prefetch({c for w in words for c in split_candidates(w)} | {v for w in words for v in word_variants(w)}
                     | {stem(u) for us in spellings.values() for u in us})
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
    english = english_terms()
    entries = query_words(text)
    skip = False
    for i, (surface, pieces) in enumerate(entries):
        if skip:
            skip = False
            continue
        word = fold(surface)
        following = fold(entries[i + 1][0]) if i + 1 < len(entries) else ""
        if (word, following) in english:  # an English phrase (fake news, contact tracing): one group
            phrase = WordGroup(word=f"{surface} {entries[i + 1][0]}")
            phrase.add(tuple(word_variants(w)[0] for w in (word, following) if w not in STOP_WORDS))
            for alternative in english[(word, following)]:
                phrase.add(alternative, expansion=True)
            groups.append(phrase)
            skip = True
            continue
        if word in STOP_WORDS or (len(word) < 2 and not word.isdigit()):
            continue
        group = WordGroup(word=surface)
        variants = word_variants(word, surface[:1].islower())
        for v in variants:
            group.add((v,))
        if len(variants[0]) >= 4:
            for term in compounds(lexicon, variants[0], word):
                group.add((term,), expansion=True)
        long_form = _abbreviation(surface)
        if long_form:
            group.add(long_form, expansion=True)
        for alternative in english.get((word,), []):
            group.add(alternative, expansion=True)
        plain = plural_umlaut_stem(surface)
        if plain:
            group.add((plain,))
        if not any(v in known for v in variants):  # typed without umlauts: the spelling the index has
            for spelling in spellings.get(word, []):
                if stem(spelling) in known:
                    group.add((stem(spelling),), expansion=True)
        if pieces:
            parts = [word_variants(fold(p))[0] for p in pieces if fold(p) not in STOP_WORDS and len(p) >= 2]
        else:
            parts = list(split_compound(word, known) or ())
        loose = False
        if not parts and not any(v in known for v in variants):
            parts = list(split_loose(word, known) or ())
            loose = bool(parts)
        if len(word) >= MIN_TYPO_LENGTH and not any(v in known for v in variants):
            for candidate in typo_candidates(variants[0], lexicon):
                group.add((candidate,), expansion=True)
                group.corrected.append(candidate)
        for v in variants:
            for term, stems in synonym_index.get(v, []):
                group.add(stems, expansion=True)
                if term not in group.synonyms:
                    group.synonyms.append(term)
        common = max((lexicon.frequency(v) for v in variants), default=0) >= PART_GROUPS_MAX_DF
        if len(parts) < 2 or common:
            if len(parts) >= 2:
                group.add(tuple(parts))
            groups.append(group)
            continue
        for i, part in enumerate(parts):
            sub = WordGroup(word=surface, alternatives=list(group.alternatives), expansions=set(group.expansions),
                            corrected=group.corrected if i == 0 else [], synonyms=group.synonyms if i == 0 else [])
            sub.add((part,), expansion=True)
            if loose and i == len(parts) - 1:  # an unknown head: the compounds it is the head of
                for term in compounds(lexicon, part):
                    sub.add((term,), expansion=True)
            groups.append(sub)
    return QueryPlan(text=text, groups=groups)
