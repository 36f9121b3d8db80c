import datetime as dt

import factory

from panreflex.improvements.models import ActionItem
from panreflex.testing.factories import OrganisationFactory


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Maßnahme {n}")
    start_date = dt.date(2026, 1, 1)
    due_date = dt.date(2026, 6, 1)
