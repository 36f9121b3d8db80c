"""The German catalogue is complete and used (German is the platform's default language)."""

from pathlib import Path

import polib
import pytest
from django.utils import translation

from panreflex.workshops import services
from panreflex.workshops.services import Refused

from .factories import actor, add_card, make_workshop

PO = Path(__file__).resolve().parents[1] / "locale" / "de" / "LC_MESSAGES" / "django.po"


def test_catalogue_complete_without_fuzzy():
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po if not e.translated()] == []
    assert [e.msgid for e in po if "fuzzy" in e.flags] == []


@pytest.mark.django_db
def test_refusals_and_pages_in_german(personas, client_for, settings):
    ws = make_workshop(personas)
    card = add_card(ws, personas.bob, "Karte")
    services.lock_set(workshop=ws, actor=actor(personas.alice), locked=True)
    with translation.override("de"), pytest.raises(Refused) as exc:
        services.card_edit(workshop=ws, actor=actor(personas.bob), card_id=card.pk, text="x", version=1)
    assert exc.value.message == ("Der Workshop ist gesperrt; bis die Moderation ihn entsperrt, "
                                 "kann nichts geändert werden.")
    settings.LANGUAGE_CODE = "de"
    page = client_for("bob").get(f"/reflexionsraeume/{ws.pk}/raum/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Reflexionsräume" in page and "Gesperrt – keine Änderungen möglich" in page
    assert "Zeitleiste der Krise" in page
