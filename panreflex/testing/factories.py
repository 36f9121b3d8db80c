"""factory_boy factories for the foundation models. Domain apps keep theirs in <app>/tests/factories.py."""

import factory
from django.utils.text import slugify

from panreflex.accounts.models import Membership, Organisation, Role, User
from panreflex.places.models import Place


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="de_DE")
    password = factory.PostGenerationMethodCall("set_password", "test-password-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Organisation.Kind.MUNICIPALITY
    is_partner = True


def municipality_org(ags: str, *, slug: str | None = None) -> Organisation:
    """The administration of the municipality with this AGS (reference places are loaded by migration)."""
    place = Place.objects.get(kind=Place.Kind.MUNICIPALITY, ags=ags)
    return OrganisationFactory(
        name=f"Stadt {place.name}", slug=slug or slugify(place.name), kind=Organisation.Kind.MUNICIPALITY, place=place
    )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MEMBER
