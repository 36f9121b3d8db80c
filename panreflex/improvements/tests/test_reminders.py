import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from panreflex.improvements.models import ActionItemReminder
from panreflex.improvements.services import action_item_reminders_send, action_item_update

from .factories import ActionItemFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 1)


def test_reminders_before_and_after_sent_once(personas):
    soon = ActionItemFactory(organisation=personas.dortmund, title="Bald", due_date=TODAY + dt.timedelta(days=7),
                             responsible_user=personas.bob)
    late = ActionItemFactory(organisation=personas.dortmund, title="Spät", due_date=TODAY - dt.timedelta(days=1),
                             created_by=personas.alice)
    ActionItemFactory(organisation=personas.dortmund, title="Fern", due_date=TODAY + dt.timedelta(days=30),
                      responsible_user=personas.bob)
    ActionItemFactory(organisation=personas.dortmund, title="Erledigt", due_date=TODAY - dt.timedelta(days=3),
                      status="done", responsible_user=personas.bob)
    counts = action_item_reminders_send(today=TODAY)
    assert counts == {"before": 1, "after": 1, "skipped": 0}
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {"bob@example.org", "alice@example.org"}
    assert "Bald fällig: Bald" in by_to["bob@example.org"].subject
    assert "Überfällig: Spät" in by_to["alice@example.org"].subject
    assert soon.get_absolute_url() in by_to["bob@example.org"].body
    # a second run sends nothing
    assert action_item_reminders_send(today=TODAY) == {"before": 0, "after": 0, "skipped": 0}
    assert len(mail.outbox) == 2
    assert ActionItemReminder.objects.count() == 2
    # the item passes its due date: one "after" reminder
    assert action_item_reminders_send(today=TODAY + dt.timedelta(days=8))["after"] == 1
    # a new due date is reminded again
    action_item_update(item=late, actor=personas.alice, data={"due_date": TODAY + dt.timedelta(days=2)})
    assert action_item_reminders_send(today=TODAY)["before"] == 1


def test_org_editors_get_reminder_when_nobody_is_named(personas):
    ActionItemFactory(organisation=personas.dortmund, due_date=TODAY)
    action_item_reminders_send(today=TODAY)
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "carla@example.org"]


@time_machine.travel(dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC))
def test_command_enqueues_task(personas, capsys):
    ActionItemFactory(organisation=personas.dortmund, due_date=TODAY + dt.timedelta(days=3),
                      responsible_user=personas.bob)
    call_command("send_action_reminders")
    assert "reminder task enqueued" in capsys.readouterr().out
    assert len(mail.outbox) == 1  # the immediate backend ran it
    call_command("send_action_reminders", "--now")
    assert "0 before" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_command_bad_date(personas):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--today must be a date like 2026-03-01"):
        call_command("send_action_reminders", "--today", "morgen")


def test_reminder_of_a_private_item_goes_only_to_who_may_still_see_it(personas):
    """Bob was responsible, then left Dortmund: the reminder (which quotes the title) goes to Dortmund's
    editors instead, never to bob; nobody outside Dortmund gets the title."""
    from panreflex.accounts.models import Membership, Visibility

    ActionItemFactory(organisation=personas.dortmund, title="Vertraulich: Notunterkünfte", visibility=Visibility.PRIVATE,
                      due_date=TODAY + dt.timedelta(days=2), responsible_user=personas.bob, created_by=personas.bob)
    Membership.objects.filter(user=personas.bob, organisation=personas.dortmund).delete()
    action_item_reminders_send(today=TODAY)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["alice@example.org", "carla@example.org"]
    dortmund = set(Membership.objects.filter(organisation=personas.dortmund).values_list("user__email", flat=True))
    assert all(m.to[0] in dortmund for m in mail.outbox if "Notunterkünfte" in m.subject + m.body)
