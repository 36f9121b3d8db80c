"""Demo organisations and users (README lists them). Passwords are for the demo only."""

from __future__ import annotations

from django.utils import timezone

from .models import Membership, Organisation, Role, User

DEMO_PASSWORD = "panreflex-demo"

# (slug, name, kind, AGS of the place or None)
DEMO_ORGANISATIONS = [
    ("dortmund", "Stadt Dortmund", Organisation.Kind.MUNICIPALITY, "05913000"),
    ("duesseldorf", "Landeshauptstadt Düsseldorf", Organisation.Kind.MUNICIPALITY, "05111000"),
    ("essen", "Stadt Essen", Organisation.Kind.MUNICIPALITY, "05113000"),
    ("koeln", "Stadt Köln", Organisation.Kind.MUNICIPALITY, "05315000"),
    ("gelsenkirchen", "Stadt Gelsenkirchen", Organisation.Kind.MUNICIPALITY, "05513000"),
    ("projektteam", "PanReflex-Projektteam", Organisation.Kind.RESEARCH, None),
]

# (e-mail, full name, organisation slug, role, is_staff)
DEMO_USERS = [
    ("admin@panreflex.example", "Admin PanReflex", None, None, True),
    ("team@panreflex.example", "Dana Forschung", "projektteam", Role.EDITOR, True),
    ("koordination@dortmund.example", "Karla Koordination", "dortmund", Role.COORDINATOR, False),
    ("redaktion@dortmund.example", "Alina Redaktion", "dortmund", Role.EDITOR, False),
    ("mitglied@dortmund.example", "Bernd Mitglied", "dortmund", Role.MEMBER, False),
    ("lesen@dortmund.example", "Vera Lesend", "dortmund", Role.VIEWER, False),
    ("redaktion@koeln.example", "Charlie Köln", "koeln", Role.EDITOR, False),
    ("redaktion@essen.example", "Emil Essen", "essen", Role.EDITOR, False),
    ("redaktion@duesseldorf.example", "Doris Düsseldorf", "duesseldorf", Role.EDITOR, False),
    ("redaktion@gelsenkirchen.example", "Gustav Gelsenkirchen", "gelsenkirchen", Role.EDITOR, False),
]


def load_demo_accounts(*, stdout=None) -> None:
    from panreflex.places.models import Place

    orgs = {}
    for slug, name, kind, ags in DEMO_ORGANISATIONS:
        place = Place.objects.get(kind=Place.Kind.MUNICIPALITY, ags=ags) if ags else None
        orgs[slug], _ = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "place": place, "is_partner": True}
        )
    for email, full_name, org_slug, role, staff in DEMO_USERS:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, full_name=full_name, is_staff=staff,
                is_superuser=email.startswith("admin@"), email_verified_at=timezone.now(),
            )
        if org_slug:
            Membership.objects.get_or_create(user=user, organisation=orgs[org_slug], defaults={"role": role})
