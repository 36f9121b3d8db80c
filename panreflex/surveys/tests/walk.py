"""Persona walk cases for every URL of the surveys app."""

from panreflex.surveys.models import Item, Survey
from panreflex.surveys.services import answers as svc
from panreflex.surveys.services import questionnaire as q
from panreflex.surveys.services.fieldwork import invitations_create
from panreflex.testing.walk import WalkCase, expect

_state: dict = {}


def setup(p):
    from .factories import answer, make_survey

    survey = make_survey(p.dortmund, title="Walk", visibility="network")
    q.survey_update(actor=None, survey=survey, open_link=True)
    survey = Survey.objects.get(pk=survey.pk)
    draft = make_survey(p.dortmund, title="Walk draft", fielded=False, visibility="private")
    open_inv, done_inv = invitations_create(actor=None, survey=survey, people=[("A", "a@example.org"), ("B", "b@example.org")])
    r = svc.response_start(link=svc.resolve_token(done_inv.token))
    answer(r, {"q_single": "a"})
    _state.update(survey=survey, draft=draft, open_inv=open_inv, done_inv=done_inv,
                  item=Item.objects.filter(version__survey=draft, name="q_single").get())


def cases(p):
    s, d = _state["survey"], _state["draft"]
    item = _state["item"]
    editor = expect(anonymous=404, default=404, alice=200, carla=200, dora=200)
    viewer = expect(anonymous=404, signed_in=200)
    everyone = expect(public=200)
    open_t, done_t = _state["open_inv"].token, _state["done_inv"].token
    return [
        WalkCase("surveys:list", expect=everyone),
        WalkCase("surveys:create", expect=expect(anonymous=302, default=404, alice=200, carla=200, charlie=200, dora=200)),
        WalkCase("surveys:import", expect=expect(anonymous=302, default=404, alice=200, carla=200, charlie=200, dora=200)),
        WalkCase("surveys:detail", kwargs={"pk": s.pk}, expect=viewer),
        WalkCase("surveys:detail", kwargs={"pk": d.pk}, expect=expect(anonymous=404, default=404, vera=200, bob=200,
                                                                       alice=200, carla=200, dora=200)),
        WalkCase("surveys:edit", kwargs={"pk": s.pk}, expect=editor),
        WalkCase("surveys:delete", kwargs={"pk": s.pk}, expect=editor),
        WalkCase("surveys:preview", kwargs={"pk": s.pk}, expect=editor),
        WalkCase("surveys:export_xlsform", kwargs={"pk": s.pk}, expect=editor),
        WalkCase("surveys:version_new", kwargs={"pk": s.pk}, expect=expect(public=405)),
        WalkCase("surveys:item_create", kwargs={"pk": d.pk}, expect=editor),
        WalkCase("surveys:item_create", kwargs={"pk": s.pk}, expect=expect(anonymous=404, default=404)),  # frozen
        WalkCase("surveys:item_edit", kwargs={"pk": d.pk, "item_pk": item.pk}, expect=editor),
        WalkCase("surveys:item_delete", kwargs={"pk": d.pk, "item_pk": item.pk}, expect=editor),
        WalkCase("surveys:item_move", kwargs={"pk": d.pk, "item_pk": item.pk}, expect=expect(public=405)),
        WalkCase("surveys:fieldwork", kwargs={"pk": s.pk}, expect=editor),
        WalkCase("surveys:tracking", kwargs={"pk": s.pk}, expect=editor, htmx=True),
        WalkCase("surveys:links_csv", kwargs={"pk": s.pk}, expect=editor),
        WalkCase("surveys:results", kwargs={"pk": s.pk}, expect=viewer),
        WalkCase("surveys:question_result", kwargs={"pk": s.pk, "name": "q_single"}, expect=viewer, query="by=size_class"),
        WalkCase("surveys:report_pdf", kwargs={"pk": s.pk}, expect=viewer),
        WalkCase("surveys:export_data", kwargs={"pk": s.pk, "fmt": "xlsx"}, expect=editor),
        WalkCase("surveys:export_data", kwargs={"pk": s.pk, "fmt": "exe"}, expect=expect(anonymous=404, default=404)),
        WalkCase("surveys:respond", kwargs={"token": open_t}, expect=everyone),
        WalkCase("surveys:respond", kwargs={"token": "forged"}, expect=expect(public=404)),
        WalkCase("surveys:respond", kwargs={"token": done_t}, expect=expect(public=302)),
        WalkCase("surveys:autosave", kwargs={"token": open_t}, expect=expect(public=405)),
        WalkCase("surveys:submit", kwargs={"token": open_t}, expect=everyone),
        WalkCase("surveys:confirmation", kwargs={"token": done_t}, expect=everyone),
        WalkCase("surveys:confirmation", kwargs={"token": open_t}, expect=expect(public=404)),
        WalkCase("surveys:confirmation_pdf", kwargs={"token": done_t}, expect=everyone),
        WalkCase("surveys:open", kwargs={"token": s.open_token}, expect=everyone),
    ]
