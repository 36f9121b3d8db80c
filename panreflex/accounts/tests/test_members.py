"""Member management by coordinators: change role, remove (with confirmation), last-coordinator rule."""

from django.urls import reverse

from panreflex.accounts import access
from panreflex.accounts.models import Membership, Role
from panreflex.audit.models import AuditEntry
from panreflex.testing.factories import MembershipFactory


def membership(personas, name, org="dortmund"):
    return Membership.objects.get(user=personas.user(name), organisation__slug=org)


def role_url(m):
    return reverse("accounts:membership_role", kwargs={"slug": m.organisation.slug, "pk": m.pk})


def remove_url(m):
    return reverse("accounts:membership_remove", kwargs={"slug": m.organisation.slug, "pk": m.pk})


def test_coordinator_changes_a_role_and_it_is_audited(client_for, personas):
    m = membership(personas, "bob")
    response = client_for("carla").post(role_url(m), {"role": Role.EDITOR}, follow=True)
    assert "Bob hat jetzt die Rolle „Redaktion“." in response.content.decode()
    m.refresh_from_db()
    assert m.role == Role.EDITOR
    entry = AuditEntry.objects.get(object_id=str(m.pk), action="update")
    assert entry.changes == {"role": ["member", "editor"]}
    assert entry.actor == personas.carla


def test_invalid_role_is_refused(client_for, personas):
    m = membership(personas, "bob")
    response = client_for("carla").post(role_url(m), {"role": "owner"})
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen." in response.content.decode()
    m.refresh_from_db()
    assert m.role == Role.MEMBER


def test_others_cannot_change_roles_or_remove(client_for, personas):
    m = membership(personas, "bob")
    for name in ("alice", "bob", "vera", "charlie"):
        client = client_for(name)
        assert client.post(role_url(m), {"role": Role.COORDINATOR}).status_code == 404
        assert client.post(remove_url(m)).status_code == 404
    assert client_for("eve").post(remove_url(m)).status_code == 404
    m.refresh_from_db()
    assert m.role == Role.MEMBER


def test_membership_of_another_organisation_is_not_reachable(client_for, personas):
    charlie = membership(personas, "charlie", org="koeln")
    url = reverse("accounts:membership_remove", kwargs={"slug": "dortmund", "pk": charlie.pk})
    assert client_for("carla").post(url).status_code == 404
    assert Membership.objects.filter(pk=charlie.pk).exists()


def test_remove_shows_confirmation_then_removes(client_for, personas):
    m = membership(personas, "vera")
    client = client_for("carla")
    page = client.get(remove_url(m)).content.decode()
    assert "Wollen Sie Vera (vera@example.org, Lesend) wirklich aus Stadt Dortmund entfernen?" in page
    assert Membership.objects.filter(pk=m.pk).exists()
    response = client.post(remove_url(m), follow=True)
    assert "Vera gehört nicht mehr zu Stadt Dortmund." in response.content.decode()
    assert not Membership.objects.filter(pk=m.pk).exists()
    assert AuditEntry.objects.filter(object_id=str(m.pk), action="delete").exists()


def test_last_coordinator_cannot_be_downgraded_or_removed(client_for, personas):
    m = membership(personas, "carla")
    client = client_for("carla")
    response = client.post(role_url(m), {"role": Role.EDITOR}, follow=True)
    assert "Dies ist die letzte Person mit der Rolle Koordination" in response.content.decode()
    response = client.post(remove_url(m), follow=True)
    assert "Dies ist die letzte Person mit der Rolle Koordination" in response.content.decode()
    m.refresh_from_db()
    assert m.role == Role.COORDINATOR
    # with a second coordinator, carla may step down
    MembershipFactory(organisation=personas.dortmund, role=Role.COORDINATOR)
    client.post(role_url(m), {"role": Role.EDITOR})
    m.refresh_from_db()
    assert m.role == Role.EDITOR
    access.forget_cached_roles(personas.carla)
    assert not access.can_manage_members(personas.carla, personas.dortmund)


def test_staff_manages_any_organisation(client_for, personas):
    m = membership(personas, "charlie", org="koeln")
    client_for("dora").post(role_url(m), {"role": Role.COORDINATOR})
    m.refresh_from_db()
    assert m.role == Role.COORDINATOR


def test_member_page_escapes_names(client_for, personas):
    personas.bob.full_name = '<script>alert("x")</script>'
    personas.bob.save()
    html = client_for("carla").get(reverse("accounts:organisation_members", kwargs={"slug": "dortmund"})).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_member_page_shows_recent_changes(client_for, personas):
    m = membership(personas, "bob")
    client = client_for("carla")
    client.post(role_url(m), {"role": Role.EDITOR})
    html = client.get(reverse("accounts:organisation_members", kwargs={"slug": "dortmund"})).content.decode()
    assert "Letzte Änderungen an Mitgliedern und Einladungen" in html
    assert "Bob – Stadt Dortmund" in html
    assert "Mitglied → Redaktion" in html
