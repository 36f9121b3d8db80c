"""Test data for surveys: a questionnaire with every kind of question, built through the services."""

from __future__ import annotations

from django.http import QueryDict

from panreflex.accounts.models import Organisation
from panreflex.surveys.models import Item, Survey
from panreflex.surveys.services import answers as answer_svc
from panreflex.surveys.services import questionnaire as q


def opts(*codes: str) -> list[tuple[str, dict]]:
    return [(c, {"de": f"Option {c.upper()}", "en": f"Option {c.upper()}"}) for c in codes]


def make_survey(organisation: Organisation, *, actor=None, fielded: bool = True, anonymous: bool = False,
                title: str = "Testbefragung", visibility: str = "network", **extra) -> Survey:
    survey = q.survey_create(actor=actor, organisation=organisation, title=title, title_en="Test survey",
                             anonymous=anonymous, visibility=visibility, **extra)
    v = survey.versions.get()

    def add(kind, name, parent=None, **kw):
        kw.setdefault("labels", {"de": f"Frage {name}", "en": f"Question {name}"})
        return q.item_create(actor=actor, version=v, kind=kind, name=name, parent=parent, **kw)

    g = add(Item.Kind.GROUP, "g1", labels={"de": "Teil 1", "en": "Part 1"})
    add(Item.Kind.SINGLE, "q_single", parent=g, required=True, allow_other=True, choices=opts("a", "b", "c"))
    add(Item.Kind.MULTIPLE, "q_multi", parent=g, choices=opts("x", "y", "z"), allow_other=True)
    add(Item.Kind.INTEGER, "q_num", parent=g, min_value=0, max_value=100, unit="Personen")
    add(Item.Kind.YESNO, "q_yesno", parent=g)
    add(Item.Kind.TEXT, "q_follow", parent=g, relevant="${q_yesno} = 'yes'", required=True)
    g2 = add(Item.Kind.GROUP, "g2", labels={"de": "Teil 2", "en": "Part 2"})
    m = add(Item.Kind.MATRIX, "m", parent=g2)
    add(Item.Kind.LIKERT, "m_a", parent=m)
    add(Item.Kind.LIKERT, "m_b", parent=m)
    add(Item.Kind.RANKING, "q_rank", parent=g2, choices=opts("r1", "r2", "r3"))
    add(Item.Kind.MUNICIPALITY, "q_muni", parent=g2)
    add(Item.Kind.DATE, "q_date", parent=g2)
    add(Item.Kind.LONGTEXT, "q_long", parent=g2)
    add(Item.Kind.DECIMAL, "q_dec", parent=g2, constraint=". <= ${q_num}",
        constraint_messages={"de": "Höchstens so viel wie q_num.", "en": "At most q_num."})
    r = add(Item.Kind.REPEAT, "r", labels={"de": "Maßnahmen", "en": "Measures"})
    add(Item.Kind.TEXT, "r_name", parent=r)
    add(Item.Kind.FILE, "q_file")
    if fielded:
        survey = q.survey_start_fieldwork(actor=actor, survey=survey)
    return survey


def post(fd, values: dict, instance: int = 0) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in values.items():
        item = fd.by_name[name]
        key = answer_svc.field_name(item, instance)
        if isinstance(value, dict):
            for code, rank in value.items():
                data[f"{key}-{code}"] = str(rank)
        elif isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    return data


def answer(response, values: dict, submit: bool = True):
    fd = answer_svc.form_for(response.version)
    errors = answer_svc.section_save(response=response, items=[(fd.by_name[n], 0) for n in values], data=post(fd, values))
    assert not errors, errors
    if submit:
        answer_svc.response_submit(response=response)
    return response
