import factory

from panreflex.evidence.models import Insight, InsightSource
from panreflex.testing.factories import OrganisationFactory


class InsightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Insight

    organisation = factory.SubFactory(OrganisationFactory)
    statement = factory.Sequence(lambda n: f"Erkenntnis {n}: Krisenstäbe brauchen klare Rollen.")
    kind = Insight.Kind.IMPROVEMENT


class InsightSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsightSource

    insight = factory.SubFactory(InsightFactory)
    kind = InsightSource.Kind.DOCUMENT
    label = factory.Sequence(lambda n: f"Protokoll {n}")
    quote = "Wir haben zu spät informiert."
