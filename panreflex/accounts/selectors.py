from django.db.models import Count, QuerySet

from .models import Membership, Organisation


def memberships_of(*, user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation")


def organisation_list() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("place").annotate(member_count=Count("memberships"))
