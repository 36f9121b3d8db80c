"""The questionnaire of one version loaded into memory (three queries), with its pages and the
helpers to evaluate skip logic for a set of answers."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from . import expressions
from .models import Choice, ChoiceList, Item, SurveyVersion


@dataclass
class Page:
    index: int
    title: str
    items: list[Item]  # top-level items shown on this page
    group: Item | None = None


@dataclass
class FormDef:
    version: SurveyVersion
    items: list[Item] = field(default_factory=list)  # depth-first order
    children: dict[int | None, list[Item]] = field(default_factory=dict)
    lists: dict[int, ChoiceList] = field(default_factory=dict)
    choices: dict[int, list[Choice]] = field(default_factory=dict)
    by_name: dict[str, Item] = field(default_factory=dict)
    by_id: dict[int, Item] = field(default_factory=dict)
    # skip logic, prepared once per load: the `relevant` expressions that decide whether an item is
    # shown (its own and its containers'), and the names of the questions any rule refers to
    conditions: dict[int, tuple[str, ...]] = field(default_factory=dict)
    dependencies: frozenset[str] = frozenset()
    calculated: list[Item] = field(default_factory=list)  # calculations and hidden values with a formula
    filtered: list[Item] = field(default_factory=list)  # questions with a choice_filter

    @classmethod
    def load(cls, version: SurveyVersion) -> FormDef:
        fd = cls(version=version)
        raw = list(Item.objects.filter(version=version).order_by("position", "pk"))
        for item in raw:
            fd.children.setdefault(item.parent_id, []).append(item)
            fd.by_id[item.pk] = item
            fd.by_name[item.name] = item
        for cl in ChoiceList.objects.filter(version=version):
            fd.lists[cl.pk] = cl
            fd.choices[cl.pk] = []
        for choice in Choice.objects.filter(choice_list__version=version).order_by("position", "pk"):
            fd.choices[choice.choice_list_id].append(choice)

        def visit(parent_id):
            for item in fd.children.get(parent_id, []):
                fd.items.append(item)
                visit(item.pk)

        visit(None)
        fd._prepare_rules()
        return fd

    def _prepare_rules(self) -> None:
        names: set[str] = set()
        for item in self.items:
            self.conditions[item.pk] = tuple(n.relevant for n in [item, *self.ancestors(item)] if n.relevant)
            for text, columns in ((item.relevant, False), (item.constraint, False), (item.calculation, False),
                                  (item.choice_filter, True), ((item.extra or {}).get("count", ""), False)):
                if text:
                    try:
                        names |= expressions.references(expressions.parsed(text, columns))
                    except expressions.ExpressionError:
                        pass  # an unreadable rule counts as met (see _safe_true) and needs no answers
        self.calculated = [i for i in self.items if i.calculation and i.kind in Item.COMPUTED | {Item.Kind.OTHER}]
        self.filtered = [i for i in self.items if i.choice_filter]
        self.dependencies = frozenset(names)

    # --- structure --------------------------------------------------------------------------------
    def kids(self, item: Item | None) -> list[Item]:
        return self.children.get(item.pk if item else None, [])

    def choices_for(self, item: Item) -> list[Choice]:
        return self.choices.get(item.choice_list_id, []) if item.choice_list_id else []

    def choice_label(self, item: Item, code: str) -> str:
        for c in self.choices_for(item):
            if c.name == code:
                return c.label
        return code

    def questions(self) -> list[Item]:
        return [i for i in self.items if i.is_question]

    def repeat_of(self, item: Item) -> Item | None:
        parent = self.by_id.get(item.parent_id) if item.parent_id else None
        while parent is not None:
            if parent.kind in Item.REPEATING:
                return parent
            parent = self.by_id.get(parent.parent_id) if parent.parent_id else None
        return None

    def ancestors(self, item: Item) -> list[Item]:
        out = []
        parent = self.by_id.get(item.parent_id) if item.parent_id else None
        while parent is not None:
            out.append(parent)
            parent = self.by_id.get(parent.parent_id) if parent.parent_id else None
        return out

    def pages(self) -> list[Page]:
        """Each top-level group/repeat/matrix is a page; consecutive loose top-level items form a page."""
        pages: list[Page] = []
        loose: list[Item] = []
        for item in self.kids(None):
            if item.kind in (Item.Kind.GROUP, Item.Kind.REPEAT, Item.Kind.LOOP):
                if loose:
                    pages.append(Page(len(pages), "", loose))
                    loose = []
                pages.append(Page(len(pages), item.label, [item], group=item))
            else:
                loose.append(item)
        if loose:
            pages.append(Page(len(pages), "", loose))
        return pages

    def ordered_kids(self, item: Item | None, seed: int) -> list[Item]:
        kids = list(self.kids(item))
        if item is not None and item.randomize:
            random.Random(f"{seed}-{item.pk}").shuffle(kids)
        return kids

    def ordered_choices(self, item: Item, seed: int) -> list[Choice]:
        choices = list(self.choices_for(item))
        if item.randomize and item.kind != Item.Kind.LIKERT:
            random.Random(f"{seed}-{item.pk}").shuffle(choices)
        return choices

    # --- calculations and choice filters -------------------------------------------------------------
    def with_calculations(self, values: dict[str, Any]) -> dict[str, Any]:
        """The answers plus the value of every calculation (in form order; twice, so that a
        calculation may use one defined further down)."""
        if not self.calculated:
            return values
        out = dict(values)
        for _round in range(2):
            for item in self.calculated:
                out[item.name] = expressions.value_of(item.calculation, out)
        return out

    def allowed_choices(self, item: Item, values: dict[str, Any], choices: list[Choice] | None = None) -> list[Choice]:
        """The choices a `choice_filter` lets through for these answers (bare names are choice columns)."""
        choices = self.choices_for(item) if choices is None else choices
        if not item.choice_filter:
            return choices
        return [c for c in choices
                if expressions.choice_matches(item.choice_filter, values, {**(c.filters or {}), "name": c.name})]

    def choice_state(self, values: dict[str, Any]) -> dict[int, list[int]]:
        """For each filtered question, the positions of the choices shown for these answers (sent back
        by autosave; positions, because a cascading list may repeat a code, e.g. "mitte" in two cities)."""
        return {item.pk: sorted(c.position for c in self.allowed_choices(item, values)) for item in self.filtered}

    # --- skip logic -------------------------------------------------------------------------------
    def is_relevant(self, item: Item, values: dict[str, Any]) -> bool:
        conditions = self.conditions.get(item.pk)
        if conditions is None:  # an item not loaded with this form
            conditions = tuple(n.relevant for n in [item, *self.ancestors(item)] if n.relevant)
        return all(_safe_true(text, values) for text in conditions)

    def visibility(self, values: dict[str, Any]) -> dict[int, bool]:
        """Whether each item is shown for these answers. `values` needs only the questions named in
        `dependencies`: no rule looks at any other answer."""
        values = self.with_calculations(values)
        shown = dict.fromkeys(self.conditions, True)
        for pk, conditions in self.conditions.items():
            if conditions:
                shown[pk] = all(_safe_true(text, values) for text in conditions)
        return shown


def _safe_true(expr: str, values: dict[str, Any], current: Any = None) -> bool:
    try:
        return expressions.is_true(expr, values, current)
    except expressions.ExpressionError:
        return True
