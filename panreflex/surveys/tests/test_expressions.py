from datetime import date
from decimal import Decimal

import pytest

from panreflex.surveys import expressions as ex


@pytest.mark.parametrize("expr,values,current,expected", [
    ("${q} = 'x'", {"q": "x"}, None, True),
    ("${q} = 'x'", {"q": "y"}, None, False),
    ("${q} != 'x'", {"q": None}, None, True),
    ("selected(${m}, 'b')", {"m": ["a", "b"]}, None, True),
    ("not(selected(${m}, 'c'))", {"m": ["a", "b"]}, None, True),
    ("${n} > 3 and ${n} <= 10", {"n": Decimal(5)}, None, True),
    ("${n} > 3 or ${q} = 'x'", {"n": Decimal(1), "q": "x"}, None, True),
    (". >= 0 and . <= 100", {}, Decimal(101), False),
    (". <= ${a}", {"a": Decimal(3)}, Decimal("2.5"), True),
    ("count-selected(${m}) >= 2", {"m": ["a", "b"]}, None, True),
    ("string-length(.) < 5", {}, "abc", True),
    ("${n} + 2 * 3 = 10", {"n": Decimal(4)}, None, True),
    ("${n} div 2 = 2", {"n": Decimal(4)}, None, True),
    ("${d} > '2020-01-01'", {"d": date(2021, 5, 1)}, None, True),
    ("${n} > 3", {"n": None}, None, False),
    ("true() and not(false())", {}, None, True),
])
def test_evaluates_the_safe_subset(expr, values, current, expected):
    assert ex.is_true(expr, values, current) is expected


@pytest.mark.parametrize("expr,message", [
    ("regex(${a}, 'x')", "The function “regex()” is not supported."),
    ("__import__('os').system('x')", "The function “__import__()” is not supported."),
    ("${a} = ", "Unexpected “end” in the expression."),
    ("${a} ; 1", "Cannot read the expression at position 5: “ ; 1”."),
    ("${a} = 1)", "Unexpected “)” in the expression."),
    ("os.system", "“os” is not supported here."),
    ("selected(${a})", "selected() takes 2 argument(s)."),
])
def test_refuses_everything_else_precisely(expr, message, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"), pytest.raises(ex.ExpressionError) as info:
        ex.parse(expr)
    assert str(info.value) == message


def test_check_reports_unknown_names_and_self():
    from django.utils import translation

    with translation.override("en"):
        with pytest.raises(ex.ExpressionError, match="unknown question\\(s\\): nope"):
            ex.check("${nope} = 'x'", {"q"})
        with pytest.raises(ex.ExpressionError, match="only be used in a validation rule"):
            ex.check(". = 'x'", {"q"}, allow_self=False)
    assert ex.references(ex.parse("${a} = 1 and selected(${b}, 'x')")) == {"a", "b"}


def test_never_calls_python_eval(monkeypatch):
    import builtins

    def boom(*a, **k):
        raise AssertionError("eval must not be used")

    monkeypatch.setattr(builtins, "eval", boom)
    assert ex.is_true("${a} = 1", {"a": Decimal(1)})
