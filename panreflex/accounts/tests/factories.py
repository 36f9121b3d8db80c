"""Factories for the accounts domain (users, organisations, memberships live in panreflex.testing.factories)."""

from datetime import timedelta

import factory
from django.utils import timezone

from panreflex.accounts.models import Invitation, Role
from panreflex.testing.factories import OrganisationFactory, UserFactory  # noqa: F401


class InvitationFactory(factory.django.DjangoModelFactory):
    """`InvitationFactory(token="abc")` stores the hash of that token, so tests can open the link."""

    class Meta:
        model = Invitation
        exclude = ("token",)

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invited{n}@example.org")
    role = Role.MEMBER
    token = factory.Sequence(lambda n: f"test-token-{n:04d}-abcdefghijklmnopqrstuvwxyz")
    token_hash = factory.LazyAttribute(lambda o: Invitation.hash_token(o.token))
    invited_by = factory.SubFactory(UserFactory)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
