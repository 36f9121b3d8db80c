from decimal import Decimal

import pytest

from panreflex.lib import tabular
from panreflex.lib.markdown import render_markdown


def test_markdown_is_sanitised_and_keeps_gender_stars():
    html = render_markdown("# Titel\n\nBewohner*innen und Bürger*innen sind *wichtig* <script>alert(1)</script>"
                           " [x](javascript:alert(1)) <img src=x onerror=alert(1)>")
    assert "<script" not in html and "<img" not in html and "href=\"javascript" not in html
    assert "Bewohner*innen und Bürger*innen" in html
    assert "<em>wichtig</em>" in html
    assert "<h2>Titel</h2>" in html


def test_csv_windows_1252_semicolon_is_read():
    data = "Titel;Kommune\nÖffnung;Köln\n".encode("cp1252")
    table = tabular.read_csv(data)
    assert table.encoding == "cp1252" and table.delimiter == ";"
    assert list(table.dicts()) == [(2, {"Titel": "Öffnung", "Kommune": "Köln"})]


def test_numbers_with_decimal_comma_and_point():
    assert tabular.parse_number("1.234,5") == Decimal("1234.5")
    assert tabular.parse_number("1234.5") == Decimal("1234.5")
    assert tabular.parse_number("") is None
    with pytest.raises(ValueError, match="keine Zahl|not a number"):
        tabular.parse_number("viel")
    with pytest.raises(ValueError):
        tabular.guess_decimal_mark(["1,5", "2.5"])


def test_formula_injection_is_neutralised_and_reversible():
    assert tabular.safe_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert tabular.safe_cell("-3") == "-3"
    assert tabular.unsafe_cell(tabular.safe_cell("@SUM(A1)")) == "@SUM(A1)"
    data = tabular.write_xlsx([("Blatt", ["a"], [["=1+1"]])])
    assert tabular.read_xlsx(data).rows == [["'=1+1"]]


def test_split_multi_cells():
    assert tabular.split_multi("T1; T2") == ["T1", "T2"]
    assert tabular.split_multi("a|b") == ["a", "b"]
    assert tabular.split_multi("") == []
