"""The test personas (house style: Healthchecks BaseTestCase).

- alice: editor of Dortmund (city A)        - bob: member of Dortmund
- vera: viewer of Dortmund                  - carla: coordinator of Dortmund
- charlie: editor of Köln (city B)          - dora: project team (staff), member of the research team
- eve: anonymous (no user)
`Personas.all_names` lists them in the order the persona walk uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from panreflex.accounts.models import Organisation, Role, User

from .factories import MembershipFactory, OrganisationFactory, UserFactory, municipality_org

PASSWORD = "test-password-123"


@dataclass
class Personas:
    dortmund: Organisation
    koeln: Organisation
    research: Organisation
    alice: User
    bob: User
    vera: User
    carla: User
    charlie: User
    dora: User
    eve: None = None

    all_names = ("eve", "vera", "bob", "alice", "carla", "charlie", "dora")

    def user(self, name: str) -> User | None:
        return getattr(self, name)


def make_personas() -> Personas:
    dortmund = municipality_org("05913000", slug="dortmund")
    koeln = municipality_org("05315000", slug="koeln")
    research = OrganisationFactory(name="PanReflex-Projektteam", slug="projektteam", kind=Organisation.Kind.RESEARCH)

    def person(name, org, role, **extra):
        user = UserFactory(email=f"{name}@example.org", full_name=name.capitalize(), **extra)
        if org is not None:
            MembershipFactory(user=user, organisation=org, role=role)
        return user

    return Personas(
        dortmund=dortmund,
        koeln=koeln,
        research=research,
        alice=person("alice", dortmund, Role.EDITOR),
        bob=person("bob", dortmund, Role.MEMBER),
        vera=person("vera", dortmund, Role.VIEWER),
        carla=person("carla", dortmund, Role.COORDINATOR),
        charlie=person("charlie", koeln, Role.EDITOR),
        dora=person("dora", research, Role.EDITOR, is_staff=True),
    )
