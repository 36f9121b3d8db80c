"""Readability figures and writing hints for messages (issue 17).

Figures come from textstat (its language-aware backend functions, called with the language as an
argument, so nothing global is switched between requests). For English, textstat would look syllables
up in NLTK's CMU dictionary and download it from the internet when missing; the platform contacts no
third party, so English syllables are counted with Pyphen, which is textstat's own fallback for words
not in that dictionary (and what it uses for German), and the Flesch constants are textstat's:
- German: Flesch reading ease in Amstad's adaptation (180 − ASL − 58.5 × ASW) and the first Wiener
  Sachtextformel (0.1935·MS + 0.1672·SL + 0.1297·IW − 0.0327·ES − 0.875);
- English: Flesch reading ease (206.835 − 1.015 × ASL − 84.6 × ASW).
Tests compare both with values computed by hand from the formulas.

Hints are heuristics a program can check; they point at places to look at, they do not judge:
long sentences, long words, passive voice, negations, jargon from the staff-edited word list, and for
Leichte Sprache the checkable rules (one statement per sentence, short sentences, no abbreviations,
no Roman numerals, long compounds split with a hyphen or a median dot).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

LONG_SENTENCE = 20  # words (standard and plain language)
EASY_SENTENCE = 10  # words (Leichte Sprache)
LONG_WORD_SYLLABLES = 5
COMPOUND_LETTERS = 13  # a Leichte Sprache word this long without "-" or "·" is probably an unsplit compound

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\n{2,}")
_WORD = re.compile(r"[\w\-·’']+", re.UNICODE)
_ABBREVIATIONS = re.compile(
    r"\b(?:z\.\s?B\.|d\.\s?h\.|u\.\s?a\.|u\.\s?U\.|ggf\.|bzw\.|usw\.|etc\.|evtl\.|inkl\.|ca\.|Nr\.|Tel\.|"
    r"Str\.|vgl\.|sog\.|i\.\s?d\.\s?R\.|e\.g\.|i\.e\.)|\b[A-ZÄÖÜ]{2,6}\b"
)
_ROMAN = re.compile(r"\b(?=[MDCLXVI]{2,}\b)M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})\b")
_PASSIVE_DE = re.compile(
    r"\b(?:wird|werden|wurde|wurden|worden|werde|würde|würden)\b(?:\s+\w+){0,6}?\s+(?:(?:ge|be|ver|er|ent|zer|emp|miss)\w+(?:t|en)|\w+iert|\w+ge\w+(?:t|en))\b",
    re.IGNORECASE,
)
_PASSIVE_EN = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?\w+(?:ed|en)\b", re.IGNORECASE)
_NEGATION_DE = re.compile(r"\b(?:nicht|kein|keine|keinen|keinem|keiner|keines|nie|niemals|nichts|niemand|weder)\b",
                          re.IGNORECASE)
_NEGATION_EN = re.compile(r"\b(?:not|no|never|nothing|nobody|none|neither|nor)\b|n't\b", re.IGNORECASE)
# more than one statement: a second clause joined by a conjunction or a comma before one
_CLAUSES_DE = re.compile(r",\s*(?:und|oder|aber|denn|weil|dass|wenn|falls|obwohl|damit|sodass|als|während|"
                         r"nachdem|bevor|der|die|das|welche[rsn]?)\b|;|\b(?:und|oder|aber)\b.*\b(?:und|oder|aber)\b",
                         re.IGNORECASE)


@dataclass
class Hint:
    kind: str
    label: str
    text: str  # the passage


@dataclass
class Report:
    language: str
    variant: str
    words: int = 0
    sentences: int = 0
    syllables: int = 0
    flesch: float | None = None
    wiener: float | None = None
    hints: list[Hint] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"words": self.words, "sentences": self.sentences, "syllables": self.syllables,
                "flesch": self.flesch, "wiener": self.wiener, "hints": len(self.hints)}

    @property
    def flesch_band(self) -> str:
        """Amstad's / Flesch's bands in words."""
        if self.flesch is None:
            return ""
        value = self.flesch
        if value >= 80:
            return _("easy")
        if value >= 60:
            return _("fairly easy to standard")
        if value >= 50:
            return _("fairly difficult")
        if value >= 30:
            return _("difficult")
        return _("very difficult")

    @property
    def wiener_band(self) -> str:
        """The Wiener Sachtextformel gives a school grade (4 = easy, 15 = very difficult)."""
        if self.wiener is None:
            return ""
        return _("about school year %(grade)s") % {"grade": max(1, round(self.wiener))}


def _lang(language: str) -> str:
    return "de_DE" if language.startswith("de") else "en_US" if language.startswith("en") else ""


def sentences_of(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_SPLIT.split(text or "") if s and s.strip()]


def analyse(text: str, *, language: str = "de", variant: str = "standard", jargon: dict[str, str] | None = None
            ) -> Report:
    """Figures and hints for `text`. Figures only for German and English (the formulas exist for them)."""
    from textstat.backend import counts, metrics

    report = Report(language=language, variant=variant)
    text = (text or "").strip()
    if not text:
        return report
    lang = _lang(language)
    report.words = counts.count_words(text)
    report.sentences = counts.count_sentences(text)
    if lang == "de_DE":
        report.syllables = counts.count_syllables(text, lang)
        report.flesch = round(metrics.flesch_reading_ease(text, lang), 1)
        report.wiener = round(metrics.wiener_sachtextformel(text, 1, lang), 1)
    elif lang == "en_US":
        from textstat.backend.utils import get_lang_cfg

        report.syllables = _syllables(text, lang)
        if report.words and report.sentences:
            report.flesch = round(
                get_lang_cfg("en", "fre_base") - get_lang_cfg("en", "fre_sentence_length") * report.words
                / report.sentences - get_lang_cfg("en", "fre_syll_per_word") * report.syllables / report.words, 1)
    report.hints = hints(text, language=language, variant=variant, jargon=jargon or {})
    return report


def _syllables(text: str, lang: str) -> int:
    """Syllables as textstat counts them, without its CMU dictionary (see the module's docstring)."""
    from textstat.backend import counts
    from textstat.backend.selections import list_words
    from textstat.backend.utils import get_pyphen

    if lang == "de_DE":
        return counts.count_syllables(text, lang)
    if lang == "en_US":
        pyphen = get_pyphen(lang)
        return sum(len(pyphen.positions(word)) + 1 for word in list_words(text, lowercase=True))
    return 0


def hints(text: str, *, language: str, variant: str, jargon: dict[str, str]) -> list[Hint]:
    german = language.startswith("de")
    english = language.startswith("en")
    lang = _lang(language)
    easy = variant == "easy"
    found: list[Hint] = []
    limit = EASY_SENTENCE if easy else LONG_SENTENCE
    for sentence in sentences_of(text):
        words = _WORD.findall(sentence)
        if len(words) > limit:
            found.append(Hint("long_sentence", _("Long sentence (%(n)d words, aim for at most %(limit)d)")
                              % {"n": len(words), "limit": limit}, sentence))
        if easy and german and _CLAUSES_DE.search(sentence):
            found.append(Hint("statements", _("More than one statement in a sentence (Leichte Sprache: one "
                                              "statement per sentence)"), sentence))
        if german and _PASSIVE_DE.search(sentence) or english and _PASSIVE_EN.search(sentence):
            found.append(Hint("passive", _("Passive voice: say who does what"), sentence))
        negation = _NEGATION_DE if german else _NEGATION_EN if english else None
        if negation is not None and negation.search(sentence):
            found.append(Hint("negation", _("Negation: say it positively if you can"), sentence))
    seen: set[str] = set()
    for word in _WORD.findall(text):
        key = word.lower()
        if key in seen:
            continue
        seen.add(key)
        plain = word.replace("-", "").replace("·", "")
        if lang and "-" not in word and "·" not in word and _syllables(plain, lang) >= LONG_WORD_SYLLABLES:
            found.append(Hint("long_word", _("Long word"), word))
        if easy and german and len(plain) >= COMPOUND_LETTERS and "-" not in word and "·" not in word:
            found.append(Hint("compound", _("Long compound: split it with a hyphen or a median dot "
                                            "(Hitze-Schutz, Hitze·schutz)"), word))
        if key in jargon:
            suggestion = jargon[key]
            label = (_("Jargon: better “%(plain)s”") % {"plain": suggestion}) if suggestion else _("Jargon")
            found.append(Hint("jargon", label, word))
    if easy:
        for match in _ABBREVIATIONS.finditer(text):
            found.append(Hint("abbreviation", _("Abbreviation: write the word out"), match.group(0)))
        for match in _ROMAN.finditer(text):
            found.append(Hint("roman", _("Roman numeral: write the number in digits"), match.group(0)))
    return found
