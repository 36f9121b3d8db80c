"""Demo content: a German municipal survey modelled on the project's questions (own wording), sent to
the five demo cities, with a few answers. Everything is flagged `is_demo` and titled as demo."""

from __future__ import annotations

from django.db import transaction
from django.http import QueryDict

from panreflex.accounts.models import Organisation, User, Visibility

from .models import Item, Survey
from .services import answers as answer_svc
from .services import questionnaire as q
from .services.fieldwork import invitations_create

FORM_ID = "demo_kommunalbefragung"
CITIES = ["dortmund", "duesseldorf", "essen", "koeln", "gelsenkirchen"]


def _opts(*labels: tuple[str, str, str]) -> list[tuple[str, dict]]:
    return [(code, {"de": de, "en": en}) for code, de, en in labels]


def _build(survey: Survey, actor) -> None:
    v = survey.versions.get()

    def add(kind, name, de, en, parent=None, **kw):
        return q.item_create(actor=actor, version=v, kind=kind, name=name, parent=parent,
                             labels={"de": de, "en": en}, **kw)

    add(Item.Kind.NOTE, "hinweis", "Demo-Befragung: Alle Fragen und Antworten sind Beispieldaten der PanReflex-Demonstration.",
        "Demo survey: all questions and answers are sample data of the PanReflex demonstration.")
    g1 = add(Item.Kind.GROUP, "kommune", "Ihre Kommune", "Your municipality")
    add(Item.Kind.MUNICIPALITY, "a_kommune", "Für welche Kommune antworten Sie?", "Which municipality do you answer for?",
        parent=g1, required=True)
    add(Item.Kind.SINGLE, "a_stelle", "Welche Stelle füllt den Fragebogen aus?", "Which office fills in the questionnaire?",
        parent=g1, required=True, allow_other=True, choices=_opts(
            ("stab", "Krisen- bzw. Verwaltungsstab", "Crisis or administrative staff"),
            ("gesundheit", "Gesundheitsamt", "Public health office"),
            ("presse", "Presse- und Öffentlichkeitsarbeit", "Press and communications office"),
            ("ordnung", "Ordnungsamt", "Public order office"),
            ("sozial", "Sozialamt", "Social welfare office")))
    g2 = add(Item.Kind.GROUP, "akteure", "Akteur*innen des Krisenmanagements und der Krisenkommunikation",
             "Actors of crisis management and communication")
    add(Item.Kind.MULTIPLE, "b_akteure", "Welche Akteur*innen waren in der Pandemie regelmäßig an der Krisenbewältigung beteiligt?",
        "Which actors regularly took part in managing the pandemic?", parent=g2, required=True, allow_other=True,
        hints={"de": "Mehrere Antworten möglich.", "en": "Several answers possible."}, choices=_opts(
            ("verwaltungsstab", "Verwaltungsstab", "Administrative staff"),
            ("krisenstab", "Krisenstab der Gefahrenabwehr", "Emergency response staff"),
            ("gesundheitsamt", "Gesundheitsamt", "Public health office"),
            ("feuerwehr", "Feuerwehr", "Fire service"),
            ("wohlfahrt", "Wohlfahrtsverbände", "Welfare associations"),
            ("kreis", "Kreis bzw. Bezirksregierung", "District or regional government"),
            ("land", "Landesministerien", "State ministries")))
    m = add(Item.Kind.MATRIX, "b_zusammenarbeit", "Wie bewerten Sie die Zusammenarbeit mit …",
            "How do you rate the cooperation with …", parent=g2)
    for name, de, en in (("b_zus_bezirk", "der Bezirksregierung bzw. dem Kreis", "the regional government or district"),
                         ("b_zus_land", "dem Land", "the state"),
                         ("b_zus_nachbar", "Nachbarkommunen", "neighbouring municipalities"),
                         ("b_zus_wohlfahrt", "Wohlfahrtsverbänden", "welfare associations")):
        add(Item.Kind.LIKERT, name, de, en, parent=m)
    add(Item.Kind.RANKING, "b_kanaele", "Welche Kanäle waren für Ihre Krisenkommunikation am wichtigsten?",
        "Which channels mattered most for your crisis communication?", parent=g2,
        hints={"de": "1 = am wichtigsten", "en": "1 = most important"}, choices=_opts(
            ("web", "Website der Stadt", "City website"), ("social", "Soziale Medien", "Social media"),
            ("presse", "Lokalpresse und Radio", "Local press and radio"),
            ("telefon", "Bürgertelefon", "Citizens' hotline"), ("aushang", "Aushänge und Flyer", "Posters and leaflets")))
    add(Item.Kind.YESNO, "b_sprachen_jn", "Gab es Informationen in mehreren Sprachen oder in Leichter Sprache?",
        "Was information given in several languages or in plain language?", parent=g2, required=True)
    add(Item.Kind.INTEGER, "b_sprachen", "In wie vielen Sprachen haben Sie informiert?",
        "In how many languages did you inform?", parent=g2, relevant="${b_sprachen_jn} = 'yes'",
        min_value=1, max_value=50, unit="Sprachen")
    g3 = add(Item.Kind.GROUP, "innovation", "Innovative Ansätze", "Innovative approaches")
    add(Item.Kind.YESNO, "c_neu", "Sind in Ihrer Kommune neue Lösungen entstanden, die Sie beibehalten möchten?",
        "Did new solutions emerge that you want to keep?", parent=g3, required=True)
    add(Item.Kind.LONGTEXT, "c_beschreibung", "Beschreiben Sie kurz einen dieser Ansätze.",
        "Briefly describe one of these approaches.", parent=g3, relevant="${c_neu} = 'yes'")
    g4 = add(Item.Kind.GROUP, "nachbereitung", "Nachbereitung (Debriefing)", "Debriefing")
    add(Item.Kind.SINGLE, "d_nachbereitet", "Hat Ihre Kommune das Krisenmanagement der Pandemie systematisch nachbereitet?",
        "Did your municipality debrief its pandemic crisis management systematically?", parent=g4, required=True,
        choices=_opts(("voll", "Ja, umfassend", "Yes, fully"), ("teil", "Ja, in Teilen", "Yes, partly"),
                      ("geplant", "Geplant", "Planned"), ("nein", "Nein", "No")))
    add(Item.Kind.MULTIPLE, "d_formate", "Welche Formate wurden dafür genutzt?", "Which formats were used?", parent=g4,
        relevant="${d_nachbereitet} = 'voll' or ${d_nachbereitet} = 'teil'", choices=_opts(
            ("workshop", "Workshops", "Workshops"), ("befragung", "Befragung der Mitarbeitenden", "Staff survey"),
            ("bericht", "Schriftlicher Bericht", "Written report"), ("uebung", "Übung", "Exercise"),
            ("extern", "Externe Evaluation", "External evaluation")))
    add(Item.Kind.LIKERT, "d_wirkung", "Die Erkenntnisse der Nachbereitung sind in die Krisenplanung eingeflossen.",
        "The findings of the debriefing were used in crisis planning.", parent=g4,
        relevant="${d_nachbereitet} = 'voll' or ${d_nachbereitet} = 'teil'")
    add(Item.Kind.INTEGER, "d_personen", "Wie viele Personen arbeiteten in Spitzenzeiten im Krisenstab?",
        "How many people worked in the crisis staff at peak times?", parent=g4, min_value=0, max_value=500,
        unit="Personen")


DEMO_ANSWERS = {
    "dortmund": {"a_kommune": "05913000", "a_stelle": "stab", "b_akteure": ["verwaltungsstab", "gesundheitsamt", "feuerwehr", "wohlfahrt"],
                 "b_zus_bezirk": "4", "b_zus_land": "2", "b_zus_nachbar": "4", "b_zus_wohlfahrt": "5",
                 "b_kanaele": {"web": 1, "social": 2, "presse": 3, "telefon": 4, "aushang": 5},
                 "b_sprachen_jn": "yes", "b_sprachen": "12", "c_neu": "yes",
                 "c_beschreibung": "Demo-Antwort: Mehrsprachige Lotsinnen und Lotsen aus den Quartieren haben Informationen weitergegeben.",
                 "d_nachbereitet": "teil", "d_formate": ["workshop", "bericht"], "d_wirkung": "4", "d_personen": "45"},
    "koeln": {"a_kommune": "05315000", "a_stelle": "gesundheit", "b_akteure": ["krisenstab", "gesundheitsamt", "land"],
              "b_zus_bezirk": "3", "b_zus_land": "2", "b_zus_nachbar": "3", "b_zus_wohlfahrt": "4",
              "b_kanaele": {"social": 1, "web": 2, "telefon": 3, "presse": 4, "aushang": 5},
              "b_sprachen_jn": "yes", "b_sprachen": "9", "c_neu": "yes",
              "c_beschreibung": "Demo-Antwort: Eine digitale Lagekarte wurde gemeinsam mit dem Gesundheitsamt gepflegt.",
              "d_nachbereitet": "voll", "d_formate": ["workshop", "befragung", "uebung"], "d_wirkung": "5", "d_personen": "60"},
    "essen": {"a_kommune": "05113000", "a_stelle": "presse", "b_akteure": ["verwaltungsstab", "gesundheitsamt", "kreis"],
              "b_zus_bezirk": "4", "b_zus_land": "3", "b_zus_nachbar": "5", "b_zus_wohlfahrt": "4",
              "b_kanaele": {"presse": 1, "web": 2, "social": 3, "telefon": 4, "aushang": 5},
              "b_sprachen_jn": "no", "c_neu": "no", "d_nachbereitet": "geplant", "d_personen": "30"},
}


def _post(fd, values: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in values.items():
        item = fd.by_name[name]
        key = answer_svc.field_name(item, 0)
        if isinstance(value, dict):
            for code, rank in value.items():
                data[f"{key}-{code}"] = str(rank)
        elif isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    return data


def load_demo_surveys(*, stdout=None) -> None:
    if Survey.objects.filter(form_id=FORM_ID, is_demo=True).exists():
        if stdout:
            stdout.write("surveys: demo survey already present")
        return
    owner = Organisation.objects.filter(slug="projektteam").first()
    if owner is None:
        return
    actor = User.objects.filter(email="team@panreflex.example").first()
    with transaction.atomic():
        survey = q.survey_create(
            actor=actor, organisation=owner, title="Demo: Kommunalbefragung Krisenmanagement und Nachbereitung",
            title_en="Demo: municipal survey on crisis management and debriefing",
            description="Diese **Demo-Befragung** zeigt, wie PanReflex Kommunalbefragungen durchführt. Die Fragen sind an die "
                        "Themen des Projekts angelehnt (Akteur*innen, innovative Ansätze, Nachbereitung); alle Antworten sind Beispieldaten.",
            visibility=Visibility.NETWORK, form_id=FORM_ID, is_demo=True,
        )
        _build(survey, actor)
        survey = q.survey_start_fieldwork(actor=actor, survey=survey)
        cities = list(Organisation.objects.filter(slug__in=CITIES))
        invitations_create(actor=actor, survey=survey, organisations=cities, is_demo=True)
        fd = answer_svc.form_for(q.fielded_version(survey))
        for inv in survey.invitations.select_related("organisation"):
            values = DEMO_ANSWERS.get(inv.organisation.slug if inv.organisation_id else "")
            if inv.organisation_id and inv.organisation.slug == "duesseldorf":
                link = answer_svc.Link(survey, inv, None)
                response = answer_svc.response_start(link=link)
                answer_svc.section_save(response=response, items=[(fd.by_name["a_kommune"], 0)],
                                        data=_post(fd, {"a_kommune": "05111000"}))
                continue
            if not values:
                continue
            response = answer_svc.response_start(link=answer_svc.Link(survey, inv, None))
            inputs = [(fd.by_name[name], 0) for name in values]
            errors = answer_svc.section_save(response=response, items=inputs, data=_post(fd, values))
            if errors:
                raise RuntimeError(f"demo answers invalid: {errors}")
            answer_svc.response_submit(response=response)
    if stdout:
        stdout.write("surveys: demo survey with 5 invitations and 3 demo answers")
