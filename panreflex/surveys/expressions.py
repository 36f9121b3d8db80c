"""A small, safe evaluator for the XLSForm expression subset used in `relevant` and `constraint`.

Supported: `${name}` (and `../name`), `.` (the current answer), string literals 'x' / "x", numbers,
comparisons `= != < <= > >=`, `and`, `or`, `not(...)`, `selected(x, 'code')`, `count-selected(x)`,
`string-length(x)`, `true()`, `false()`, arithmetic `+ - * div mod` and parentheses; for
calculations also `if()`, `concat()`, `coalesce()`, `round()`, `int()`, `number()`, `string()`,
`boolean()`, `substr()`, `contains()`, `starts-with()`, `ends-with()`, `selected-at()`, `abs()`,
`floor()`, `ceiling()`, `min()`, `max()`, `today()`, `now()`. In a `choice_filter` a bare name is a
column of the choices sheet (`state = ${state}`, `selected(${chosen}, name)`).

Nothing is ever passed to Python's eval: the text is tokenised, parsed into a tuple tree by a
recursive-descent parser and interpreted. Anything outside the subset raises `ExpressionError` with a
precise message (used by the XLSForm import to report what cannot be represented).
"""

from __future__ import annotations

import functools
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _


class ExpressionError(ValueError):
    pass


_TOKEN = re.compile(
    r"""\s*(?:
      (?P<ref>\$\{\s*(?P<refname>[A-Za-z_][\w.\-]*)\s*\})
    | (?P<path>\.\./(?P<pathname>[A-Za-z_][\w.\-]*))
    | (?P<num>\d+(?:\.\d+)?)
    | (?P<str>'[^']*'|"[^"]*")
    | (?P<op><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)
    | (?P<name>[A-Za-z_][\w\-]*)
    | (?P<dot>\.)
    )""",
    re.VERBOSE,
)

# name -> (fewest, most arguments); None: any number
FUNCTIONS = {
    "selected": (2, 2), "not": (1, 1), "count-selected": (1, 1), "string-length": (1, 1), "true": (0, 0),
    "false": (0, 0), "if": (3, 3), "concat": (1, None), "coalesce": (2, 2), "round": (1, 2), "int": (1, 1),
    "number": (1, 1), "string": (1, 1), "boolean": (1, 1), "substr": (2, 3), "contains": (2, 2),
    "starts-with": (2, 2), "ends-with": (2, 2), "today": (0, 0), "now": (0, 0), "selected-at": (2, 2),
    "abs": (1, 1), "floor": (1, 1), "ceiling": (1, 1), "min": (1, None), "max": (1, None),
}


def tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = text or ""
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExpressionError(
                _("Cannot read the expression at position %(pos)s: “%(rest)s”.") % {"pos": pos + 1, "rest": text[pos:pos + 20]}
            )
        pos = m.end()
        if m.group("ref"):
            tokens.append(("ref", m.group("refname")))
        elif m.group("path"):
            tokens.append(("ref", m.group("pathname")))
        elif m.group("num"):
            tokens.append(("num", m.group("num")))
        elif m.group("str"):
            tokens.append(("str", m.group("str")[1:-1]))
        elif m.group("op"):
            tokens.append(("op", m.group("op")))
        elif m.group("name"):
            tokens.append(("name", m.group("name")))
        else:
            tokens.append(("dot", "."))
    return tokens


class _Parser:
    def __init__(self, tokens, columns: bool = False):
        self.tokens = tokens
        self.i = 0
        self.columns = columns  # a choice filter: bare names are columns of the choices sheet

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "")

    def take(self):
        tok = self.peek()
        self.i += 1
        return tok

    def expect(self, kind, value=None):
        tok = self.take()
        if tok[0] != kind or (value is not None and tok[1] != value):
            raise ExpressionError(_("Expected “%(want)s” but found “%(found)s”.") % {"want": value or kind, "found": tok[1] or _("the end")})
        return tok

    def parse(self):
        node = self.or_expr()
        if self.peek()[0] != "end":
            raise ExpressionError(_("Unexpected “%(token)s” in the expression.") % {"token": self.peek()[1]})
        return node

    def or_expr(self):
        node = self.and_expr()
        while self.peek() == ("name", "or"):
            self.take()
            node = ("or", node, self.and_expr())
        return node

    def and_expr(self):
        node = self.cmp_expr()
        while self.peek() == ("name", "and"):
            self.take()
            node = ("and", node, self.cmp_expr())
        return node

    def cmp_expr(self):
        node = self.add_expr()
        while self.peek()[0] == "op" and self.peek()[1] in ("=", "!=", "<", "<=", ">", ">="):
            op = self.take()[1]
            node = ("cmp", op, node, self.add_expr())
        return node

    def add_expr(self):
        node = self.mul_expr()
        while self.peek()[0] == "op" and self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            node = ("arith", op, node, self.mul_expr())
        return node

    def mul_expr(self):
        node = self.unary()
        while self.peek() in (("op", "*"), ("name", "div"), ("name", "mod")):
            op = self.take()[1]
            node = ("arith", op, node, self.unary())
        return node

    def unary(self):
        if self.peek() == ("op", "-"):
            self.take()
            return ("arith", "-", ("num", Decimal(0)), self.unary())
        return self.primary()

    def primary(self):
        kind, value = self.take()
        if kind == "num":
            return ("num", Decimal(value))
        if kind == "str":
            return ("str", value)
        if kind == "ref":
            return ("ref", value)
        if kind == "dot":
            return ("self",)
        if kind == "op" and value == "(":
            node = self.or_expr()
            self.expect("op", ")")
            return node
        if kind == "name":
            if self.peek() != ("op", "(") and self.columns:
                return ("col", value)
            if self.peek() != ("op", "("):
                raise ExpressionError(_("“%(name)s” is not supported here.") % {"name": value})
            if value not in FUNCTIONS:
                raise ExpressionError(_("The function “%(name)s()” is not supported.") % {"name": value})
            self.take()
            args = []
            if self.peek() != ("op", ")"):
                args.append(self.or_expr())
                while self.peek() == ("op", ","):
                    self.take()
                    args.append(self.or_expr())
            self.expect("op", ")")
            fewest, most = FUNCTIONS[value]
            if len(args) < fewest or (most is not None and len(args) > most):
                n = str(fewest) if fewest == most else f"{fewest}–{most if most is not None else '…'}"
                raise ExpressionError(_("%(name)s() takes %(n)s argument(s).") % {"name": value, "n": n})
            return ("call", value, tuple(args))
        raise ExpressionError(_("Unexpected “%(token)s” in the expression.") % {"token": value or _("end")})


def parse(text: str, *, columns: bool = False):
    """Parse an expression into a tree; raises ExpressionError. `columns`: a choice filter, where a
    bare name is a column of the choices sheet (`name` the choice's code)."""
    tokens = tokenize(text)
    if not tokens:
        raise ExpressionError(_("The expression is empty."))
    return _Parser(tokens, columns=columns).parse()


def _walk(tree):
    if isinstance(tree, tuple):
        if tree and isinstance(tree[0], str):
            yield tree
            for part in tree[1:]:
                yield from _walk(part)
        else:
            for part in tree:
                yield from _walk(part)


def references(tree) -> set[str]:
    return {node[1] for node in _walk(tree) if node[0] == "ref" and len(node) == 2}


def uses_self(tree) -> bool:
    return any(node == ("self",) for node in _walk(tree))


# --- evaluation --------------------------------------------------------------------------------
def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _as_number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    try:
        return Decimal(_as_text(value).strip()) if _as_text(value).strip() else None
    except InvalidOperation:
        return None


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return value != 0
    if isinstance(value, (list, tuple)):
        return bool(value)
    return bool(_as_text(value))


def _compare(op: str, left: Any, right: Any) -> bool:
    ln, rn = _as_number(left), _as_number(right)
    if isinstance(left, date) or isinstance(right, date):
        a, b = _as_text(left), _as_text(right)
    elif ln is not None and rn is not None and op != "=" and op != "!=":
        a, b = ln, rn
    elif ln is not None and rn is not None and (isinstance(left, Decimal) or isinstance(right, Decimal)):
        a, b = ln, rn
    else:
        a, b = _as_text(left), _as_text(right)
        if op not in ("=", "!=") and (a == "" or b == ""):
            return False
    return {
        "=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b,
    }[op]


def evaluate(tree, values: dict[str, Any], current: Any = None) -> Any:
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "str":
        return tree[1]
    if kind == "ref":
        return values.get(tree[1])
    if kind == "self":
        return current
    if kind == "col":
        return (values.get("__choice__") or {}).get(tree[1], "")
    if kind == "or":
        return _truthy(evaluate(tree[1], values, current)) or _truthy(evaluate(tree[2], values, current))
    if kind == "and":
        return _truthy(evaluate(tree[1], values, current)) and _truthy(evaluate(tree[2], values, current))
    if kind == "cmp":
        return _compare(tree[1], evaluate(tree[2], values, current), evaluate(tree[3], values, current))
    if kind == "arith":
        a = _as_number(evaluate(tree[2], values, current))
        b = _as_number(evaluate(tree[3], values, current))
        if a is None or b is None:
            return None
        op = tree[1]
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if b == 0:
            return None
        return a / b if op == "div" else a % b
    if kind == "call":
        name, args = tree[1], tree[2]
        if name == "true":
            return True
        if name == "false":
            return False
        if name == "not":
            return not _truthy(evaluate(args[0], values, current))
        if name == "today":
            return date.today()
        if name == "now":
            from django.utils import timezone

            return timezone.localtime().replace(microsecond=0).isoformat()
        if name == "if":
            chosen = args[1] if _truthy(evaluate(args[0], values, current)) else args[2]
            return evaluate(chosen, values, current)
        if name == "coalesce":
            first = evaluate(args[0], values, current)
            return first if _as_text(first) != "" else evaluate(args[1], values, current)
        if name == "concat":
            return "".join(_as_text(evaluate(a, values, current)) for a in args)
        if name in ("min", "max"):
            numbers = [n for n in (_as_number(evaluate(a, values, current)) for a in args) if n is not None]
            return (min if name == "min" else max)(numbers) if numbers else None
        value = evaluate(args[0], values, current)
        if name in ("int", "round", "number", "abs", "floor", "ceiling"):
            number = _as_number(value)
            if number is None:
                return None
            if name == "int":
                return Decimal(int(number))
            if name == "abs":
                return abs(number)
            if name == "floor":
                return Decimal(number.to_integral_value(rounding="ROUND_FLOOR"))
            if name == "ceiling":
                return Decimal(number.to_integral_value(rounding="ROUND_CEILING"))
            if name == "round":
                digits = int(_as_number(evaluate(args[1], values, current)) or 0) if len(args) > 1 else 0
                return number.quantize(Decimal(1).scaleb(-digits), rounding="ROUND_HALF_UP")
            return number
        if name == "string":
            return _as_text(value)
        if name == "boolean":
            return _truthy(value)
        if name in ("contains", "starts-with", "ends-with"):
            a, b = _as_text(value), _as_text(evaluate(args[1], values, current))
            return b in a if name == "contains" else (a.startswith(b) if name == "starts-with" else a.endswith(b))
        if name == "substr":
            text = _as_text(value)
            start = int(_as_number(evaluate(args[1], values, current)) or 0)
            if len(args) > 2:
                return text[start:start + int(_as_number(evaluate(args[2], values, current)) or 0)]
            return text[start:]
        if name == "selected-at":
            options = value if isinstance(value, (list, tuple)) else _as_text(value).split()
            index = int(_as_number(evaluate(args[1], values, current)) or 0)
            return str(options[index]) if 0 <= index < len(options) else ""
        if name == "selected":
            needle = _as_text(evaluate(args[1], values, current))
            options = value if isinstance(value, (list, tuple)) else _as_text(value).split()
            return needle in [str(o) for o in options]
        if name == "count-selected":
            options = value if isinstance(value, (list, tuple)) else _as_text(value).split()
            return Decimal(len(options))
        if name == "string-length":
            return Decimal(len(_as_text(value)))
    raise ExpressionError(_("Cannot evaluate the expression."))


def check(text: str, known_names: set[str] | None = None, *, allow_self: bool = True):
    """Parse and check references; returns the tree. Raises ExpressionError with a precise message."""
    tree = parse(text)
    if known_names is not None:
        missing = sorted(references(tree) - known_names)
        if missing:
            raise ExpressionError(
                _("The expression refers to unknown question(s): %(names)s.") % {"names": ", ".join(missing)}
            )
    if not allow_self and uses_self(tree):
        raise ExpressionError(_("“.” (the current answer) can only be used in a validation rule."))
    return tree


@functools.lru_cache(maxsize=4096)
def parsed(text: str, columns: bool = False):
    """`parse` for stored expressions, cached: a tree is an immutable tuple, and skip logic evaluates
    the same few expressions on every autosave and page."""
    return parse(text, columns=columns)


def value_of(text: str, values: dict[str, Any]) -> Any:
    """The value of a calculation (None when it cannot be computed from these answers)."""
    if not (text or "").strip():
        return None
    try:
        return evaluate(parsed(text), values)
    except (ExpressionError, ArithmeticError, ValueError, TypeError):
        return None


def choice_matches(text: str, values: dict[str, Any], choice_columns: dict[str, Any]) -> bool:
    """Whether a choice passes a `choice_filter` (bare names are the choice's columns)."""
    if not (text or "").strip():
        return True
    try:
        return _truthy(evaluate(parsed(text, True), {**values, "__choice__": choice_columns}))
    except (ExpressionError, ArithmeticError, ValueError, TypeError):
        return True


def is_true(text: str, values: dict[str, Any], current: Any = None) -> bool:
    """Evaluate a stored expression; an empty expression is true."""
    if not (text or "").strip():
        return True
    return _truthy(evaluate(parsed(text), values, current))
