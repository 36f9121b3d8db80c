"""`panreflex import-practices FILE` right after `migrate`, without demo data (no organisation yet)."""

import io

import pytest
from django.core.management import call_command

from panreflex.accounts.models import Organisation
from panreflex.practices.models import Practice

pytestmark = pytest.mark.django_db
CSV = "Titel;Zusammenfassung;Kommune;Themen\nHitzetelefon für Ältere;Anrufe bei Hitze.;05913000;T3\n".encode()


def test_fresh_install_creates_the_research_team_for_rows_without_organisation(tmp_path):
    assert not Organisation.objects.exists()
    path = tmp_path / "liste.csv"
    path.write_bytes(CSV)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_practices", str(path), "--dry-run", stdout=out, stderr=err)
    assert "Dry run: 1 to create" in out.getvalue()
    assert not Organisation.objects.exists()  # a dry run stores nothing, not the organisation either
    call_command("import_practices", str(path), stdout=out, stderr=err)
    org = Organisation.objects.get()
    assert (org.name, org.slug, org.kind) == ("PanReflex-Projektteam", "projektteam", Organisation.Kind.RESEARCH)
    assert Practice.objects.get().organisation == org
    assert "Created the research organisation “PanReflex-Projektteam”" in err.getvalue()
