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


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "evidence.Recommendation"
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Empfehlung {n}")
    statement = "Kommunen sollten Krisenstäbe regelmäßig üben lassen."
    lever = factory.LazyFunction(lambda: __import__("panreflex.taxonomy.models", fromlist=["Term"]).Term.objects.filter(
        vocabulary="lever").first())


def make_practice(organisation, *, strength: str | None = "press", title: str = "Impfbus", visibility="public"):
    from django.utils import timezone

    from panreflex.practices.models import Practice
    from panreflex.taxonomy.models import Term

    return Practice.objects.create(
        organisation=organisation, title=title, summary="Kurzfassung", visibility=visibility, status="published",
        released_at=timezone.now() if visibility == "public" else None,
        evidence_strength=Term.objects.get(vocabulary="evidence_strength", code=strength) if strength else None,
    )
