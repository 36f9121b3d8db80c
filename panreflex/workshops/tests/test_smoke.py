import pytest

from .factories import add_card, make_workshop


@pytest.mark.django_db
def test_room_renders(personas, client_for):
    ws = make_workshop(personas)
    add_card(ws, personas.bob, "<script>alert(1)</script>")
    r = client_for("alice").get(f"/reflexionsraeume/{ws.pk}/raum/")
    assert r.status_code == 200, r.content[:2000]
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in r.content
