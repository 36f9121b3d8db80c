"""The version diff lists fields in the order of the form, whatever order the database gives the keys in
(PostgreSQL's jsonb sorts them by length)."""

from panreflex.practices.diffing import field_label, snapshot_diff, snapshot_rows, word_diff


def _jsonb_order(d: dict) -> dict:
    return dict(sorted(d.items(), key=lambda kv: (len(kv[0]), kv[0])))


def test_rows_follow_form_order_not_stored_key_order():
    before = {"title": "Anrufe", "summary": "Ehrenamtliche riefen in Hitzewellen allein lebende Ältere an.", "status": "draft", "themes": []}
    after = {"title": "Anrufe", "summary": "Ehrenamtliche riefen in Hitzewellen rund 300 allein lebende Ältere an.", "status": "changes_requested",
             "themes": [{"id": 1, "label": "Gesundheit"}]}
    rows = snapshot_diff(_jsonb_order(before), _jsonb_order(after))
    assert [r.name for r in rows] == ["summary", "status", "themes"]
    assert any(op == "insert" and "300" in text for op, text in rows[0].segments)


def test_unknown_keys_of_older_snapshots_come_last():
    rows = snapshot_diff({"zzz_old": "a", "summary": "x"}, {"zzz_old": "b", "summary": "y"})
    assert [r.name for r in rows] == ["summary", "zzz_old"]


def test_reading_rows_in_form_order():
    snap = _jsonb_order({"summary": "Kurz", "challenge": "Die Lage", "title": "T", "results": "Viel"})
    labels = [label for label, _kind, _value in snapshot_rows(snap)]
    assert labels == [field_label(n).capitalize() for n in ("summary", "challenge", "results")]


def test_word_diff_marks_only_the_new_words():
    assert [s for s in word_diff("a b c", "a x c") if s[0] != "equal"] == [("delete", "b"), ("insert", "x")]
