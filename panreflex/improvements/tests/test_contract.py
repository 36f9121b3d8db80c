import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from panreflex.improvements.models import ActionItem
from panreflex.improvements.selectors import open_action_items_for
from panreflex.improvements.services import action_item_create

pytestmark = pytest.mark.django_db


def test_create_and_open_items(personas):
    org = personas.dortmund
    item = action_item_create(organisation=org, author=personas.alice, title="Kontaktliste pflegen",
                              start_date=dt.date(2026, 1, 1), due_date=dt.date(2026, 2, 1))
    assert item.status == ActionItem.Status.OPEN
    assert list(open_action_items_for(organisation=org)) == [item]


def test_due_before_start_refused(personas):
    org = personas.dortmund
    with pytest.raises(ValidationError) as exc:
        action_item_create(organisation=org, author=personas.alice, title="X",
                           start_date=dt.date(2026, 2, 1), due_date=dt.date(2026, 1, 1))
    assert exc.value.message_dict["due_date"] == ["The completion date must not be before the start date."]
    assert not ActionItem.objects.exists()
