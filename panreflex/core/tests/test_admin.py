import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse


def test_every_model_of_the_platform_is_in_the_admin():
    inline = {i.model for ma in admin.site._registry.values() for i in ma.inlines}
    ours = {a.label for a in apps.get_app_configs() if a.name.startswith("panreflex.")}
    missing = [m._meta.label for m in apps.get_models()
               if m._meta.app_label in ours and m not in admin.site._registry and m not in inline]
    assert not missing


@pytest.mark.django_db
def test_project_team_uses_the_admin_and_city_editors_do_not(client_for):
    staff = client_for("dora")
    for model in admin.site._registry:
        if model._meta.app_label in ("axes", "django_tasks_db", "otp_totp", "otp_static"):
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert staff.get(url).status_code == 200, url
    assert client_for("alice").get(reverse("admin:index")).status_code == 302
