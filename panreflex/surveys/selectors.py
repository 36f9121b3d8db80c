"""Reads of the surveys domain: lists, fieldwork tracking, results and cross-tabs."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Exists, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from panreflex.accounts import access
from panreflex.lib import charts
from panreflex.places.models import SIZE_CLASSES

from .formdef import FormDef
from .models import Answer, Item, Response, Survey, SurveyVersion
from .services.answers import form_for

MIN_GROUP = 5  # breakdown groups with fewer answers are suppressed

STATES = {
    "01": "Schleswig-Holstein", "02": "Hamburg", "03": "Niedersachsen", "04": "Bremen", "05": "Nordrhein-Westfalen",
    "06": "Hessen", "07": "Rheinland-Pfalz", "08": "Baden-Württemberg", "09": "Bayern", "10": "Saarland",
    "11": "Berlin", "12": "Brandenburg", "13": "Mecklenburg-Vorpommern", "14": "Sachsen", "15": "Sachsen-Anhalt",
    "16": "Thüringen",
}


def survey_list(*, viewer) -> QuerySet[Survey]:
    return access.filter_visible(viewer, Survey.objects.select_related("organisation")).annotate(
        n_complete=Count("responses", filter=Q(responses__status=Response.Status.COMPLETE), distinct=True),
        n_invited=Count("invitations", distinct=True),
    ).order_by("-created_at")


def results_version(survey: Survey, number: str | int | None = None) -> SurveyVersion | None:
    qs = survey.versions.filter(frozen_at__isnull=False)
    if number:
        try:
            return qs.filter(number=int(number)).first()
        except (TypeError, ValueError):
            return None
    return qs.order_by("-number").first() or survey.versions.order_by("-number").first()


# --- fieldwork tracking --------------------------------------------------------------------------
@dataclass
class Tracking:
    invited: int
    sent: int
    opened: int
    partial: int
    complete: int
    open_link_partial: int
    open_link_complete: int

    @property
    def rate(self) -> float:
        return round(100.0 * self.complete / self.invited, 1) if self.invited else 0.0


def tracking(survey: Survey) -> Tracking:
    inv = survey.invitations.aggregate(
        invited=Count("id"),
        sent=Count("id", filter=Q(sent_at__isnull=False)),
        opened=Count("id", filter=Q(opened_at__isnull=False)),
        complete=Count("id", filter=Q(completed_at__isnull=False)),
        partial=Count("id", filter=Q(completed_at__isnull=True, response__isnull=False)
                      & Exists(Answer.objects.filter(response__invitation=OuterRef("pk")))),
    )
    open_link = Response.objects.filter(survey=survey, invitation__isnull=True).aggregate(
        partial=Count("id", filter=Q(status=Response.Status.PARTIAL)),
        complete=Count("id", filter=Q(status=Response.Status.COMPLETE)),
    )
    # in anonymous mode submitted responses have no invitation any more: they are counted via completed_at
    anon_complete = survey.invitations.filter(completed_at__isnull=False).count() if survey.anonymous else 0
    return Tracking(
        invited=inv["invited"], sent=inv["sent"], opened=inv["opened"], partial=inv["partial"], complete=inv["complete"],
        open_link_partial=open_link["partial"], open_link_complete=max(0, open_link["complete"] - anon_complete),
    )


def invitation_rows(survey: Survey):
    return survey.invitations.select_related("place", "organisation").annotate(
        n_answers=Count("response__answers")
    ).order_by("name")


# --- results -------------------------------------------------------------------------------------
@dataclass
class Filters:
    size_class: str = ""
    state: str = ""
    item: Item | None = None
    code: str = ""
    include_partial: bool = False

    @property
    def active(self) -> bool:
        return bool(self.size_class or self.state or (self.item and self.code) or self.include_partial)


def parse_filters(fd: FormDef, params) -> Filters:
    f = Filters(size_class=params.get("size_class", "")[:4], state=params.get("state", "")[:2],
                include_partial=params.get("partial") == "1")
    name = params.get("filter_item", "")
    item = fd.by_name.get(name)
    if item is not None and item.kind in (Item.Kind.SINGLE, Item.Kind.LIKERT, Item.Kind.YESNO, Item.Kind.MUNICIPALITY,
                                          Item.Kind.MULTIPLE):
        f.item = item
        f.code = params.get("filter_code", "")[:100]
    return f


def response_base(survey: Survey, version: SurveyVersion, filters: Filters | None = None) -> QuerySet[Response]:
    qs = Response.objects.filter(survey=survey, version=version)
    filters = filters or Filters()
    if not filters.include_partial:
        qs = qs.filter(status=Response.Status.COMPLETE)
    if filters.size_class:
        qs = qs.filter(size_class=filters.size_class)
    if filters.state:
        qs = qs.filter(state_code=filters.state)
    if filters.item is not None and filters.code:
        if filters.item.kind == Item.Kind.MULTIPLE:
            match = Answer.objects.filter(item=filters.item, codes__contains=f" {filters.code} ")
        else:
            match = Answer.objects.filter(item=filters.item, code=filters.code)
        qs = qs.filter(pk__in=match.values("response_id"))
    return qs


@dataclass
class QuestionResult:
    item: Item
    kind: str
    answered: int
    chart: charts.Chart | None = None
    rows: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    children: list[Item] = field(default_factory=list)


def _choice_counts(fd: FormDef, item: Item, answers: QuerySet[Answer]) -> tuple[list[tuple[str, int]], int]:
    counts = dict(answers.values_list("code").annotate(n=Count("id")).values_list("code", "n"))
    rows = [(c.label, counts.get(c.name, 0)) for c in fd.choices_for(item)]
    known = {c.name for c in fd.choices_for(item)}
    if item.allow_other and counts.get("other") and "other" not in known:
        rows.append((_("Other"), counts["other"]))
    if item.kind == Item.Kind.MUNICIPALITY:
        names = dict(answers.values_list("code", "text").distinct())
        rows = sorted(((names.get(code) or code, n) for code, n in counts.items()), key=lambda r: -r[1])
    return rows, sum(counts.values())


def question_result(fd: FormDef, item: Item, base: QuerySet[Response], *, text_query: str = "",
                    text_limit: int = 20, with_texts: bool = True) -> QuestionResult:
    result = _question_result(fd, item, base, text_query=text_query, text_limit=text_limit, with_texts=with_texts)
    if fd.repeat_of(item) is not None:
        result.stats.update(entry_stats(fd, [item], base).get(item.pk, {}))
    return result


def _analysed_as(item: Item, has_numbers: bool = True) -> str:
    """The kind whose analysis a question gets: ranges and numeric calculations like numbers, times,
    other XLSForm fields and text calculations like short texts."""
    if item.kind == Item.Kind.RANGE or (item.kind in Item.COMPUTED and has_numbers):
        return Item.Kind.INTEGER
    if item.kind in (Item.Kind.TIME, Item.Kind.DATETIME, Item.Kind.OTHER) or item.kind in Item.COMPUTED:
        return Item.Kind.TEXT
    return item.kind


def entry_stats(fd: FormDef, items: list[Item], base: QuerySet[Response]) -> dict[int, dict]:
    """Questions in repeats and loops: answers per entry (loops: per choice of the loop's list), with
    the mean where the answers are numbers — from one grouped query."""
    out: dict[int, dict] = {}
    ids = [i.pk for i in items if fd.repeat_of(i) is not None]
    if not ids:
        return out
    rows = Answer.objects.filter(item_id__in=ids, response__in=base).order_by().values("item_id", "instance").annotate(
        n=Count("id"), mean=Avg("number"), responses=Count("response_id", distinct=True))
    for row in rows.values_list("item_id", "instance", "n", "mean"):
        item_id, instance, n, mean = row
        container = fd.repeat_of(fd.by_id[item_id])
        if container.kind == Item.Kind.LOOP:
            loop_choices = fd.choices_for(container)
            label = loop_choices[instance].label if instance < len(loop_choices) else str(instance + 1)
        else:
            label = _("Entry %(n)s") % {"n": instance + 1}
        stats = out.setdefault(item_id, {"entries": 0, "per_entry": []})
        stats["entries"] += n
        stats["per_entry"].append((instance, label, n, round(float(mean), 2) if mean is not None else None))
    for stats in out.values():
        stats["per_entry"] = [row[1:] for row in sorted(stats["per_entry"])]
    return out


def _question_result(fd: FormDef, item: Item, base: QuerySet[Response], *, text_query: str = "",
                     text_limit: int = 20, with_texts: bool = True) -> QuestionResult:
    answers = Answer.objects.filter(item=item, response__in=base).order_by()
    kind = _analysed_as(item, answers.exclude(number=None).exists()) if item.kind in Item.COMPUTED else _analysed_as(item)
    title = item.label
    if kind == Item.Kind.ACKNOWLEDGE:
        n = answers.exclude(code="").count()
        rows = [(_("Acknowledged"), n)]
        return QuestionResult(item, item.kind, n, rows=rows, chart=charts.bar_chart(title=title, rows=rows))
    if kind == Item.Kind.MATRIX:
        rows_items = [c for c in fd.kids(item) if c.kind == Item.Kind.LIKERT]
        scale = fd.choices_for(rows_items[0]) if rows_items else []
        data = []
        counts = {}
        if rows_items:
            for item_id, code, n in Answer.objects.filter(item__in=rows_items, response__in=base).values_list(
                "item_id", "code"
            ).annotate(n=Count("id")).values_list("item_id", "code", "n"):
                counts[(item_id, code)] = n
        for row in rows_items:
            data.append((row.label, [counts.get((row.pk, c.name), 0) for c in scale]))
        answered = max([sum(v) for _l, v in data] + [0])
        chart = charts.stacked_bar_chart(title=title, categories=[c.label for c in scale], rows=data) if data else None
        return QuestionResult(item, kind, answered, chart=chart, children=rows_items)
    if kind in (Item.Kind.SINGLE, Item.Kind.YESNO, Item.Kind.MUNICIPALITY):
        rows, answered = _choice_counts(fd, item, answers)
        result = QuestionResult(item, kind, answered, rows=rows, chart=charts.bar_chart(title=title, rows=rows))
        if item.allow_other and with_texts:
            result.texts = list(answers.filter(code="other").exclude(text="").values_list("text", flat=True)[:text_limit])
        return result
    if kind == Item.Kind.LIKERT:
        rows, answered = _choice_counts(fd, item, answers)
        chart = charts.stacked_bar_chart(title=title, categories=[c.label for c in fd.choices_for(item)],
                                         rows=[(item.label, [n for _l, n in rows])])
        return QuestionResult(item, kind, answered, rows=rows, chart=chart)
    if kind == Item.Kind.MULTIPLE:
        choices = fd.choices_for(item)
        codes = [c.name for c in choices] + (["other"] if item.allow_other else [])
        agg = answers.aggregate(
            total=Count("id"), **{f"c{i}": Count("id", filter=Q(codes__contains=f" {code} ")) for i, code in enumerate(codes)}
        )
        labels = [c.label for c in choices] + ([_("Other")] if item.allow_other else [])
        rows = [(labels[i], agg[f"c{i}"]) for i in range(len(codes))]
        answered = agg["total"]
        result = QuestionResult(item, kind, answered, rows=rows,
                                chart=charts.bar_chart(title=title, rows=rows, total=answered,
                                                       caption=_("%(title)s (several answers possible)") % {"title": title}))
        if item.allow_other and with_texts:
            result.texts = list(answers.filter(codes__contains=" other ").exclude(text="").values_list("text", flat=True)[:text_limit])
        return result
    if kind == Item.Kind.RANKING:
        choices = fd.choices_for(item)
        sums = {c.name: 0 for c in choices}
        firsts = {c.name: 0 for c in choices}
        n = 0
        for codes in answers.values_list("codes", flat=True):
            order = codes.split()
            n += 1
            for rank, code in enumerate(order, start=1):
                if code in sums:
                    sums[code] += rank
            if order and order[0] in firsts:
                firsts[order[0]] += 1
        rows = [(c.label, firsts[c.name]) for c in choices]
        stats = {"mean_rank": [(c.label, round(sums[c.name] / n, 2) if n else None) for c in choices]}
        chart = charts.bar_chart(title=title, rows=rows, total=n, caption=_("%(title)s: ranked first") % {"title": title})
        return QuestionResult(item, kind, n, rows=rows, chart=chart, stats=stats)
    if kind in Item.NUMBER_KINDS:
        values = [float(v) for v in answers.exclude(number=None).values_list("number", flat=True)]
        chart = charts.histogram(title=title, values=values, unit=item.unit) if values else None
        stats = {}
        if values:
            values.sort()
            stats = {"n": len(values), "mean": round(sum(values) / len(values), 2), "min": values[0], "max": values[-1]}
        return QuestionResult(item, kind, len(values), chart=chart, stats=stats)
    if kind in (Item.Kind.TEXT, Item.Kind.LONGTEXT):
        qs = answers.exclude(text="")
        answered = qs.count()
        if text_query:
            qs = qs.filter(text__icontains=text_query)
        texts = list(qs.order_by("pk").values_list("text", flat=True)[:text_limit]) if with_texts else []
        return QuestionResult(item, kind, answered, texts=texts, stats={"matches": qs.count() if text_query else answered})
    if kind == Item.Kind.DATE:
        dates = sorted(answers.exclude(date=None).values_list("date", flat=True))
        stats = {"first": dates[0], "last": dates[-1]} if dates else {}
        return QuestionResult(item, kind, len(dates), stats=stats)
    if kind == Item.Kind.FILE:
        return QuestionResult(item, kind, answers.exclude(file="").count())
    return QuestionResult(item, kind, 0)


def results(fd: FormDef, base: QuerySet[Response], *, with_texts: bool = True) -> list[QuestionResult]:
    """Every question's result for the full results page, from a handful of grouped queries (not one
    per question): counts per (question, code), the multiple-choice/ranking code strings, numbers,
    dates and text counts of all questions at once."""
    shown = [i for i in fd.items if i.kind == Item.Kind.MATRIX or (i.is_stored and not i.is_metadata and not (
        i.parent_id and fd.by_id[i.parent_id].kind == Item.Kind.MATRIX))]
    questions = [i for i in fd.items if i.is_stored]
    answers = Answer.objects.filter(response__in=base).order_by()  # no default ordering: no joins, no sort
    computed = [i.pk for i in questions if i.kind in Item.COMPUTED]
    numeric = set(answers.filter(item_id__in=computed).exclude(number=None).values_list("item_id", flat=True).distinct()) \
        if computed else set()
    analysed = {i.pk: _analysed_as(i, i.pk in numeric) for i in questions}
    by_kind: dict[str, list[int]] = {}
    for i in questions:
        by_kind.setdefault(analysed[i.pk], []).append(i.pk)
    ack_counts = dict(answers.filter(item_id__in=by_kind.get(Item.Kind.ACKNOWLEDGE, [])).exclude(code="").values_list(
        "item_id").annotate(n=Count("id")).values_list("item_id", "n")) if by_kind.get(Item.Kind.ACKNOWLEDGE) else {}
    per_entry = entry_stats(fd, questions, base)
    single_kinds = (Item.Kind.SINGLE, Item.Kind.YESNO, Item.Kind.MUNICIPALITY, Item.Kind.LIKERT)
    single_ids = [pk for k in single_kinds for pk in by_kind.get(k, [])]
    counts: dict[int, dict[str, int]] = {}
    if single_ids:
        for item_id, code, n in answers.filter(item_id__in=single_ids).values_list("item_id", "code").annotate(
                n=Count("id")).values_list("item_id", "code", "n"):
            counts.setdefault(item_id, {})[code] = n
    # multiple choice and rankings: each distinct code string once, with its count (a handful of rows
    # per question instead of one per response)
    code_lists: dict[int, list[tuple[str, int]]] = {}
    multi_ids = by_kind.get(Item.Kind.MULTIPLE, []) + by_kind.get(Item.Kind.RANKING, [])
    if multi_ids:
        for item_id, codes, n in answers.filter(item_id__in=multi_ids).values_list("item_id", "codes").annotate(
                n=Count("id")).values_list("item_id", "codes", "n"):
            code_lists.setdefault(item_id, []).append((codes, n))
    # numbers: each distinct value once with its count (histograms and medians need the distribution)
    numbers: dict[int, list[float]] = {}
    number_ids = by_kind.get(Item.Kind.INTEGER, []) + by_kind.get(Item.Kind.DECIMAL, [])
    if number_ids:
        for item_id, number, n in answers.filter(item_id__in=number_ids).exclude(number=None).values_list(
                "item_id", "number").annotate(n=Count("id")).values_list("item_id", "number", "n").iterator(chunk_size=5000):
            numbers.setdefault(item_id, []).extend([float(number)] * n)
    text_ids = by_kind.get(Item.Kind.TEXT, []) + by_kind.get(Item.Kind.LONGTEXT, [])
    text_counts = dict(answers.filter(item_id__in=text_ids).exclude(text="").values_list("item_id").annotate(
        n=Count("id")).values_list("item_id", "n")) if text_ids else {}
    dates = {row["item_id"]: row for row in answers.filter(item_id__in=by_kind.get(Item.Kind.DATE, [])).exclude(
        date=None).values("item_id").annotate(n=Count("id"), first=Min("date"), last=Max("date"))}
    files = dict(answers.filter(item_id__in=by_kind.get(Item.Kind.FILE, [])).exclude(file="").values_list(
        "item_id").annotate(n=Count("id")).values_list("item_id", "n"))

    out = []
    for item in shown:
        kind = analysed.get(item.pk, item.kind)
        title = item.label
        if kind == Item.Kind.ACKNOWLEDGE:
            rows = [(_("Acknowledged"), ack_counts.get(item.pk, 0))]
            out.append(QuestionResult(item, item.kind, rows[0][1], rows=rows, chart=charts.bar_chart(title=title, rows=rows)))
            continue
        if kind == Item.Kind.MATRIX:
            rows_items = [c for c in fd.kids(item) if c.kind == Item.Kind.LIKERT]
            scale = fd.choices_for(rows_items[0]) if rows_items else []
            data = [(r.label, [counts.get(r.pk, {}).get(c.name, 0) for c in scale]) for r in rows_items]
            answered = max([sum(v) for _l, v in data] + [0])
            chart = charts.stacked_bar_chart(title=title, categories=[c.label for c in scale], rows=data) if data else None
            out.append(QuestionResult(item, kind, answered, chart=chart, children=rows_items))
        elif kind in single_kinds:
            mine = counts.get(item.pk, {})
            if kind == Item.Kind.MUNICIPALITY:
                names = dict(Answer.objects.filter(item=item, code__in=list(mine)).values_list("code", "text").distinct()) if mine else {}
                rows = sorted(((names.get(code) or code, n) for code, n in mine.items()), key=lambda r: -r[1])
            else:
                rows = [(c.label, mine.get(c.name, 0)) for c in fd.choices_for(item)]
                if item.allow_other and mine.get("other") and "other" not in {c.name for c in fd.choices_for(item)}:
                    rows.append((_("Other"), mine["other"]))
            answered = sum(mine.values())
            if kind == Item.Kind.LIKERT:
                chart = charts.stacked_bar_chart(title=title, categories=[c.label for c in fd.choices_for(item)],
                                                 rows=[(item.label, [n for _l, n in rows])])
            else:
                chart = charts.bar_chart(title=title, rows=rows)
            result = QuestionResult(item, kind, answered, rows=rows, chart=chart)
            if item.allow_other and with_texts and mine.get("other"):
                result.texts = list(Answer.objects.filter(item=item, response__in=base, code="other").exclude(
                    text="").values_list("text", flat=True)[:5])
            out.append(result)
        elif kind == Item.Kind.MULTIPLE:
            lists = [(c.split(), n) for c, n in code_lists.get(item.pk, [])]
            codes = [c.name for c in fd.choices_for(item)] + (["other"] if item.allow_other else [])
            labels = [c.label for c in fd.choices_for(item)] + ([_("Other")] if item.allow_other else [])
            tally = {code: 0 for code in codes}
            for chosen, n in lists:
                for code in chosen:
                    if code in tally:
                        tally[code] += n
            total = sum(n for _c, n in lists)
            rows = [(labels[i], tally[code]) for i, code in enumerate(codes)]
            result = QuestionResult(item, kind, total, rows=rows, chart=charts.bar_chart(
                title=title, rows=rows, total=total,
                caption=_("%(title)s (several answers possible)") % {"title": title}))
            if item.allow_other and with_texts and tally.get("other"):
                result.texts = list(Answer.objects.filter(item=item, response__in=base, codes__contains=" other ").exclude(
                    text="").values_list("text", flat=True)[:5])
            out.append(result)
        elif kind == Item.Kind.RANKING:
            choices = fd.choices_for(item)
            sums = {c.name: 0 for c in choices}
            firsts = {c.name: 0 for c in choices}
            lists = [(c.split(), k) for c, k in code_lists.get(item.pk, [])]
            for order, k in lists:
                for rank, code in enumerate(order, start=1):
                    if code in sums:
                        sums[code] += rank * k
                if order and order[0] in firsts:
                    firsts[order[0]] += k
            n = sum(k for _o, k in lists)
            rows = [(c.label, firsts[c.name]) for c in choices]
            stats = {"mean_rank": [(c.label, round(sums[c.name] / n, 2) if n else None) for c in choices]}
            out.append(QuestionResult(item, kind, n, rows=rows, stats=stats, chart=charts.bar_chart(
                title=title, rows=rows, total=n, caption=_("%(title)s: ranked first") % {"title": title})))
        elif kind in Item.NUMBER_KINDS:
            values = sorted(numbers.get(item.pk, []))
            stats = {"n": len(values), "mean": round(sum(values) / len(values), 2), "min": values[0], "max": values[-1]} if values else {}
            chart = charts.histogram(title=title, values=values, unit=item.unit) if values else None
            out.append(QuestionResult(item, kind, len(values), chart=chart, stats=stats))
        elif kind in (Item.Kind.TEXT, Item.Kind.LONGTEXT):
            n = text_counts.get(item.pk, 0)
            texts = list(Answer.objects.filter(item=item, response__in=base).exclude(text="").order_by("pk").values_list(
                "text", flat=True)[:5]) if with_texts and n else []
            out.append(QuestionResult(item, kind, n, texts=texts, stats={"matches": n}))
        elif kind == Item.Kind.DATE:
            row = dates.get(item.pk)
            stats = {"first": row["first"], "last": row["last"]} if row else {}
            out.append(QuestionResult(item, kind, row["n"] if row else 0, stats=stats))
        elif kind == Item.Kind.FILE:
            out.append(QuestionResult(item, kind, files.get(item.pk, 0)))
        else:
            out.append(QuestionResult(item, kind, 0))
    for result in out:
        if result.item.pk in per_entry:
            result.stats.update(per_entry[result.item.pk])
    return out


# --- cross-tabs ----------------------------------------------------------------------------------
BREAKDOWNS_FIXED = ("size_class", "state")


@dataclass
class CrossTab:
    item: Item
    by_label: str
    columns: list[str]
    rows: list[tuple[str, list[int], int]]  # (group label, counts per column, group total)
    suppressed: int  # number of groups hidden because they have < MIN_GROUP answers
    suppressed_answers: int


def breakdown_options(fd: FormDef) -> list[tuple[str, str]]:
    opts = [("size_class", _("Municipality size class")), ("state", _("State"))]
    opts += [(i.name, i.label) for i in fd.items
             if i.kind in (Item.Kind.SINGLE, Item.Kind.LIKERT, Item.Kind.YESNO, Item.Kind.MUNICIPALITY)]
    return opts


def crosstab(fd: FormDef, item: Item, by: str, base: QuerySet[Response]) -> CrossTab | None:
    """Counts of `item`'s answers per group of `by` (a closed question, size class or state);
    groups with fewer than MIN_GROUP answers are suppressed (shown only as a count of hidden groups)."""
    if item.kind not in (Item.Kind.SINGLE, Item.Kind.LIKERT, Item.Kind.YESNO, Item.Kind.MULTIPLE):
        return None
    answers = Answer.objects.filter(item=item, response__in=base).order_by()
    if by == "size_class":
        answers = answers.annotate(g=Subquery(Response.objects.filter(pk=OuterRef("response_id")).values("size_class")[:1]))
        group_labels = {code: str(label) for code, label, _m in SIZE_CLASSES}
        by_label = _("Municipality size class")
    elif by == "state":
        answers = answers.annotate(g=Subquery(Response.objects.filter(pk=OuterRef("response_id")).values("state_code")[:1]))
        group_labels = dict(STATES)
        by_label = _("State")
    else:
        by_item = fd.by_name.get(by)
        if by_item is None or by_item.pk == item.pk or by_item.kind not in (
            Item.Kind.SINGLE, Item.Kind.LIKERT, Item.Kind.YESNO, Item.Kind.MUNICIPALITY
        ):
            return None
        answers = answers.annotate(g=Subquery(
            Answer.objects.filter(response_id=OuterRef("response_id"), item=by_item, instance=0).values("code")[:1]
        ))
        group_labels = {c.name: c.label for c in fd.choices_for(by_item)}
        if by_item.allow_other:
            group_labels.setdefault("other", _("Other"))
        by_label = by_item.label
    choices = fd.choices_for(item)
    columns = [c.label for c in choices]
    codes = [c.name for c in choices]
    if item.allow_other:
        columns.append(_("Other"))
        codes.append("other")
    table: dict[str, list[int]] = {}
    totals: dict[str, int] = {}
    if item.kind == Item.Kind.MULTIPLE:
        agg = answers.values("g").annotate(
            total=Count("id"), **{f"c{i}": Count("id", filter=Q(codes__contains=f" {code} ")) for i, code in enumerate(codes)}
        )
        for row in agg:
            g = row["g"] or ""
            table[g] = [row[f"c{i}"] for i in range(len(codes))]
            totals[g] = row["total"]
    else:
        for g, code, n in answers.values("g", "code").annotate(n=Count("id")).values_list("g", "code", "n"):
            g = g or ""
            table.setdefault(g, [0] * len(codes))
            if code in codes:
                table[g][codes.index(code)] += n
            totals[g] = totals.get(g, 0) + n
    order = list(group_labels) + sorted(set(table) - set(group_labels))
    rows = []
    suppressed = suppressed_answers = 0
    for g in order:
        if g not in table:
            continue
        if totals[g] < MIN_GROUP:
            suppressed += 1
            suppressed_answers += totals[g]
            continue
        rows.append((group_labels.get(g) or (g or _("unknown")), table[g], totals[g]))
    return CrossTab(item=item, by_label=by_label, columns=columns, rows=rows, suppressed=suppressed,
                    suppressed_answers=suppressed_answers)


def demo_count(base: QuerySet[Response]) -> int:
    return base.filter(is_demo=True).count()


def number_text(value) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


__all__ = ["form_for"]
