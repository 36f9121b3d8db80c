from django.utils import translation

from panreflex.lib import charts


def test_bar_chart_is_accessible_and_escaped():
    with translation.override("en"):
        chart = charts.bar_chart(title="Wer <koordiniert>?", rows=[("Krisenstab & Co", 3), ("Gesundheitsamt", 1)])
    svg = str(chart.svg)
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "&lt;koordiniert&gt;" in svg and "Krisenstab &amp; Co" in svg and "<koordiniert>" not in svg
    assert "75.0 %" in svg
    table = str(chart.table)
    assert "<caption>Wer &lt;koordiniert&gt;?</caption>" in table and 'scope="col"' in table and 'scope="row"' in table
    assert "<details" in str(chart.html) and "<script" not in str(chart.html)


def test_stacked_and_histogram():
    with translation.override("en"):
        stacked = charts.stacked_bar_chart(title="Likert", categories=["1", "2", "3"], rows=[("a", [1, 1, 2]), ("b", [0, 0, 0])])
        hist = charts.histogram(title="Zahl", values=[1, 2, 2, 3, 10], bins=3, unit="Personen")
        empty = charts.histogram(title="Leer", values=[])
    assert "50 %" in str(stacked.svg) and "a: 1 25.0 %" in stacked.summary
    assert "5 answers, mean 3.60, median 2" in hist.summary
    assert str(hist.table).count("<tr>") == 5  # header, 3 bins, footer
    assert "No answers" in empty.summary
