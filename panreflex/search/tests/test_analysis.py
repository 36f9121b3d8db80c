"""The German analyser without a database: every case of the issue."""

from panreflex.search.analysis import Analyzer, analyse_query, fold, split_compound, word_variants


def tokens(text, vocab=()):
    return set(Analyzer(vocab).tokens(text))


def plan_tokens(query, vocab, synonyms=()):
    analyzer_vocab = Analyzer(vocab).vocabulary
    plan = analyse_query(query, vocabulary=analyzer_vocab, vocabulary_list=sorted(vocab), synonym_groups=synonyms)
    return plan


def matches(plan, doc_tokens):
    """AND over words, OR over alternatives, AND inside an alternative (what the backends do)."""
    return all(any(set(alt) <= doc_tokens for alt in g.alternatives) for g in plan.groups)


def test_folding_umlauts_and_sharp_s():
    assert fold("Köln") == fold("Koeln") == "koeln"
    assert fold("Straße") == fold("Strasse") == "strasse"
    assert fold("Über GRÖSSE café") == "ueber groesse cafe"


def test_inflections_meet_on_one_token():
    impfung, impfungen, geimpft, impfen = (set(word_variants(fold(w))) for w in ("Impfung", "Impfungen", "geimpft", "impfen"))
    assert "impf" in impfung & impfungen & geimpft & impfen


def test_participle_rule_only_for_lowercase_words():
    assert "impf" in tokens("geimpft")
    assert tokens("Gesundheit") == {"gesund"}


def test_stop_words_are_dropped():
    assert tokens("für die und der") == set()


def test_compound_is_split_into_known_parts():
    assert split_compound("impfbus", {"impf", "bus"}) == ("impf", "bus")
    assert {"impfbus", "impf", "bus"} <= tokens("Impfbus")
    # linking -s- and suffix-like tails
    assert split_compound("wohnungslos", {"wohnung", "wohn"}) is None
    assert split_compound("krisenstab", {"kris", "stab"}) == ("kris", "stab")


def test_impfbus_finds_bus_fuer_impfungen_and_the_reverse():
    doc_bus = tokens("Ein Bus für Impfungen")
    doc_impfbus = tokens("Der Impfbus kommt")
    vocab = doc_bus | doc_impfbus
    assert matches(plan_tokens("Impfbus", vocab), doc_bus)
    assert matches(plan_tokens("Bus für Impfungen", vocab), doc_impfbus)
    assert not matches(plan_tokens("Impfbus", vocab), tokens("Ein Bus fuhr"))


def test_umlaut_spellings_match():
    assert matches(plan_tokens("Koeln", tokens("Köln")), tokens("Stadt Köln"))
    assert matches(plan_tokens("Köln", tokens("Koeln")), tokens("Stadt Koeln"))
    assert matches(plan_tokens("Strasse", tokens("Straße")), tokens("Straße für Straße"))


def test_one_typo_in_words_of_five_letters_or_more():
    vocab = tokens("Quarantäne Impfung Stab")
    plan = plan_tokens("Quarantne", vocab)
    assert plan.groups[0].corrected and matches(plan, tokens("Quarantäne"))
    # two typos: no match
    assert not matches(plan_tokens("Qurantne", vocab), tokens("Quarantäne"))
    # short words (under five letters) are not corrected
    assert not plan_tokens("Sta", vocab).groups[0].corrected


def test_synonyms_expand_the_query():
    groups = [["Obdachlose", "Wohnungslose"]]
    vocab = tokens("Wohnungslose Menschen")
    plan = plan_tokens("Obdachlose", vocab, groups)
    assert matches(plan, tokens("Hilfe für Wohnungslose"))
    assert plan.groups[0].synonyms == ["Wohnungslose"]
    assert not matches(plan_tokens("Obdachlose", vocab), tokens("Hilfe für Wohnungslose"))


def test_both_backends_receive_the_same_plan():
    from panreflex.search.backends import group_expression

    vocab = tokens("Ein Bus für Impfungen")
    plan = plan_tokens("Impfbus geimpft", vocab)
    fts = [group_expression(g, "sqlite") for g in plan.groups]
    tsq = [group_expression(g, "postgresql") for g in plan.groups]
    assert fts[0].startswith('"impfbus" OR ("impf" AND "bus")')
    assert tsq[0].startswith("'impfbus' | ('impf' & 'bus')")
    assert [e.replace('"', "'").replace(" OR ", " | ").replace(" AND ", " & ") for e in fts] == tsq


def test_query_tokens_cannot_inject_syntax():
    import re

    from panreflex.search.backends import group_expression

    plan = plan_tokens('Impf" OR xx\' & !yy NEAR(', tokens("Impfung"))
    fts = " AND ".join(group_expression(g, "sqlite") for g in plan.groups)
    assert re.fullmatch(r'(\s|\(|\)|AND|OR|"[a-z0-9]+")+', fts), fts
    assert '"or"' in fts and '"near"' in fts  # operators typed by the user are plain words
    tsq = " & ".join(group_expression(g, "postgresql") for g in plan.groups)
    assert re.fullmatch(r"(\s|\(|\)|&|\||'[a-z0-9]+')+", tsq), tsq
