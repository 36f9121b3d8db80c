import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from panreflex.audit.models import AuditEntry
from panreflex.improvements.models import ActionItem
from panreflex.improvements.selectors import PlanFilters, open_action_items_for, plan_items
from panreflex.improvements.services import (
    action_item_create,
    action_item_delete,
    action_item_update,
    action_item_update_progress,
)
from panreflex.taxonomy.models import Term

from .factories import ActionItemFactory

pytestmark = pytest.mark.django_db


def test_create_audits_and_is_open(personas):
    item = action_item_create(organisation=personas.dortmund, author=personas.alice, title=" Kontaktliste pflegen ",
                              source_kind="workshop", source_id=7, source_label="Karte 7",
                              start_date=dt.date(2026, 1, 1), due_date=dt.date(2026, 2, 1))
    assert item.title == "Kontaktliste pflegen"
    assert item.status == ActionItem.Status.OPEN and item.progress == 0
    assert list(open_action_items_for(organisation=personas.dortmund)) == [item]
    entry = AuditEntry.objects.get(object_id=str(item.pk))
    assert entry.action == "create" and entry.actor == personas.alice


def test_open_items_by_theme(personas):
    theme_a, theme_b = Term.objects.filter(vocabulary="theme")[:2]
    a = ActionItemFactory(organisation=personas.dortmund, theme=theme_a)
    ActionItemFactory(organisation=personas.dortmund, theme=theme_b)
    ActionItemFactory(organisation=personas.dortmund, theme=theme_a, status=ActionItem.Status.DONE)
    ActionItemFactory(organisation=personas.koeln, theme=theme_a)
    assert list(open_action_items_for(organisation=personas.dortmund, theme=theme_a)) == [a]


def test_due_before_start_refused(personas):
    with pytest.raises(ValidationError) as exc:
        action_item_create(organisation=personas.dortmund, author=personas.alice, title="X",
                           start_date=dt.date(2026, 2, 1), due_date=dt.date(2026, 1, 1))
    assert exc.value.message_dict["due_date"] == ["Das Fertigstellungsdatum darf nicht vor dem Startdatum liegen."]
    assert not ActionItem.objects.exists()


def test_empty_title_and_bad_progress_refused(personas):
    with pytest.raises(ValidationError) as exc:
        action_item_create(organisation=personas.dortmund, author=personas.alice, title="   ")
    assert "title" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        action_item_create(organisation=personas.dortmund, author=personas.alice, title="X", progress=120)
    assert exc.value.message_dict["progress"] == ["Der Fortschritt ist ein Prozentwert zwischen 0 und 100."]


def test_done_sets_completion_and_reopen_clears_it(personas):
    item = ActionItemFactory(organisation=personas.dortmund)
    item = action_item_update_progress(item=item, actor=personas.bob, status="done", progress=30, notes="fertig")
    assert item.progress == 100 and item.completed_at is not None
    assert AuditEntry.objects.filter(object_id=str(item.pk), action="status").exists()
    item = action_item_update_progress(item=item, actor=personas.bob, status="in_progress", progress=80, notes="")
    assert item.completed_at is None and item.progress == 80


def test_update_refuses_bad_dates_and_keeps_data(personas):
    item = ActionItemFactory(organisation=personas.dortmund, title="Alt")
    with pytest.raises(ValidationError):
        action_item_update(item=item, actor=personas.alice,
                           data={"title": "Neu", "start_date": dt.date(2026, 5, 1), "due_date": dt.date(2026, 4, 1)})
    item.refresh_from_db()
    assert item.title == "Alt"


def test_update_rejects_unknown_fields(personas):
    item = ActionItemFactory(organisation=personas.dortmund)
    with pytest.raises(ValueError):
        action_item_update(item=item, actor=personas.alice, data={"organisation": personas.koeln})


def test_delete_audited(personas):
    item = ActionItemFactory(organisation=personas.dortmund)
    pk = item.pk
    action_item_delete(item=item, actor=personas.alice)
    assert not ActionItem.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(object_id=str(pk), action="delete").exists()


def test_plan_filters(personas):
    today = dt.date(2026, 3, 1)
    overdue = ActionItemFactory(organisation=personas.dortmund, title="Überfällig", due_date=dt.date(2026, 2, 1),
                                responsible_user=personas.bob)
    later = ActionItemFactory(organisation=personas.dortmund, title="Später", due_date=dt.date(2026, 5, 1),
                              source_kind="workshop", responsible_organisation=personas.koeln)
    done = ActionItemFactory(organisation=personas.dortmund, title="Erledigt", due_date=dt.date(2026, 1, 15),
                             status="done")
    ActionItemFactory(organisation=personas.koeln, title="Köln")

    def run(**kw):
        return [i.title for i in plan_items(viewer=personas.alice, organisation=personas.dortmund,
                                            filters=PlanFilters(**kw), today=today)]

    assert run() == ["Erledigt", "Überfällig", "Später"]
    assert run(overdue=True) == ["Überfällig"]
    assert run(status="done") == ["Erledigt"]
    assert run(status="active", sort="-due") == ["Später", "Überfällig"]
    assert run(source="workshop") == ["Später"]
    assert run(responsible=f"org:{personas.koeln.pk}") == ["Später"]
    assert run(due_from=dt.date(2026, 2, 1), due_to=dt.date(2026, 3, 1)) == ["Überfällig"]
    assert run(query="spät") == ["Später"]
    items = {i.title: i for i in plan_items(viewer=personas.alice, organisation=personas.dortmund, today=today)}
    assert items["Überfällig"].overdue and not items["Später"].overdue and not items["Erledigt"].overdue
    bob_items = plan_items(viewer=personas.bob, organisation=personas.dortmund, filters=PlanFilters(responsible="me"))
    assert [i.pk for i in bob_items] == [overdue.pk]
    assert later and done
