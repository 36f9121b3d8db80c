"""Readability figures against values computed here by hand from the published formulas, and the hints."""

from __future__ import annotations

import pytest

from panreflex.communication import readability

# Every word's syllables counted by hand (Son-ne, heu-te, Trin-ken, bit-te, Was-ser, Blei-ben, Schat-ten).
GERMAN = "Die Sonne scheint heute. Trinken Sie bitte viel Wasser. Bleiben Sie im Schatten."
GERMAN_WORDS = ["Die", "Sonne", "scheint", "heute", "Trinken", "Sie", "bitte", "viel", "Wasser", "Bleiben", "Sie",
                "im", "Schatten"]
GERMAN_SYLLABLES = [1, 2, 1, 2, 2, 1, 2, 1, 2, 2, 1, 1, 2]
ENGLISH = "The sun is hot today. Drink a lot of water. Stay in the shade."
ENGLISH_SYLLABLES = [1, 1, 1, 1, 2, 1, 1, 1, 1, 2, 1, 1, 1, 1]  # to-day, wa-ter


def test_german_flesch_amstad_by_hand():
    words, sentences, syllables = len(GERMAN_WORDS), 3, sum(GERMAN_SYLLABLES)
    expected = 180 - words / sentences - 58.5 * syllables / words  # Amstad (1978)
    report = readability.analyse(GERMAN, language="de")
    assert (report.words, report.sentences, report.syllables) == (words, sentences, syllables)
    assert report.flesch == pytest.approx(expected, abs=0.05)
    assert report.flesch == pytest.approx(85.7, abs=0.05)


def test_first_wiener_sachtextformel_by_hand():
    n = len(GERMAN_WORDS)
    ms = 100 * sum(1 for s in GERMAN_SYLLABLES if s >= 3) / n
    sl = n / 3
    iw = 100 * sum(1 for w in GERMAN_WORDS if len(w) > 6) / n
    es = 100 * sum(1 for s in GERMAN_SYLLABLES if s == 1) / n
    expected = 0.1935 * ms + 0.1672 * sl + 0.1297 * iw - 0.0327 * es - 0.875
    assert readability.analyse(GERMAN, language="de").wiener == pytest.approx(expected, abs=0.05)


def test_english_flesch_by_hand():
    words, sentences, syllables = 14, 3, sum(ENGLISH_SYLLABLES)
    expected = 206.835 - 1.015 * words / sentences - 84.6 * syllables / words
    report = readability.analyse(ENGLISH, language="en")
    assert (report.words, report.sentences, report.syllables) == (words, sentences, syllables)
    assert report.flesch == pytest.approx(expected, abs=0.05)
    assert report.wiener is None


def test_no_figures_for_languages_without_a_formula_but_hints_still_work():
    report = readability.analyse("Sıcak hava uyarısı.", language="tr")
    assert report.flesch is None and report.words == 3


def _kinds(text, **kw):
    return [h.kind for h in readability.hints(text, jargon=kw.pop("jargon", {}), **kw)]


def test_hints_for_standard_german():
    long_sentence = " ".join(["Wort"] * 25) + "."
    assert "long_sentence" in _kinds(long_sentence, language="de", variant="standard")
    assert "passive" in _kinds("Die Hitzewarnung wird heute veröffentlicht.", language="de", variant="standard")
    assert "negation" in _kinds("Gehen Sie nicht in die Sonne.", language="de", variant="standard")
    assert "jargon" in _kinds("Die Vulnerabilität steigt.", language="de", variant="standard",
                              jargon={"vulnerabilität": "Verletzlichkeit"})
    assert "long_word" in _kinds("Gesundheitsversorgungseinrichtungen helfen.", language="de", variant="standard")


def test_leichte_sprache_rules():
    kinds = _kinds("Es ist heiß, und Sie sollen viel trinken, weil der Körper Wasser braucht.", language="de",
                   variant="easy")
    assert "statements" in kinds and "long_sentence" in kinds
    assert "abbreviation" in _kinds("Trinken Sie z. B. Wasser.", language="de", variant="easy")
    assert "abbreviation" in _kinds("Rufen Sie das DRK an.", language="de", variant="easy")
    assert "roman" in _kinds("Das steht in Teil XIV.", language="de", variant="easy")
    assert "compound" in _kinds("Die Hitzeschutzmaßnahmen beginnen.", language="de", variant="easy")
    assert "compound" not in _kinds("Die Hitze-Schutz-Maßnahmen beginnen.", language="de", variant="easy")
    assert "compound" not in _kinds("Die Hitze·schutz·maßnahmen beginnen.", language="de", variant="easy")
    assert _kinds("Es ist heiß. Trinken Sie Wasser.", language="de", variant="easy") == []


def test_english_passive_and_negation():
    kinds = _kinds("The warning was issued. Do not go outside.", language="en", variant="standard")
    assert "passive" in kinds and "negation" in kinds
