"""Persona walk cases for every core URL of practice examples (see panreflex/testing/walk.py)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from panreflex.accounts.models import Visibility
from panreflex.practices.models import Practice
from panreflex.practices.services_lists import attachment_add, collection_create, collection_item_add
from panreflex.practices.services_workflow import practice_submit
from panreflex.testing.walk import WalkCase, expect

from .factories import make_practice

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_data: dict = {}


def setup(p):
    published = make_practice(organisation=p.dortmund, author=p.alice, title="Impfbus Dortmund (Walk)",
                              status=Practice.Status.PUBLISHED, visibility=Visibility.PUBLIC,
                              m2m={"places": [p.dortmund.place]})
    draft = make_practice(organisation=p.dortmund, author=p.alice, title="Entwurf (Walk)")
    submitted = make_practice(organisation=p.dortmund, author=p.alice, title="Eingereicht (Walk)",
                              visibility=Visibility.NETWORK)
    practice_submit(practice=submitted, actor=p.alice)
    attachment = attachment_add(practice=published, author=p.alice, title="Flyer",
                                uploaded=SimpleUploadedFile("flyer.pdf", PDF_BYTES, content_type="application/pdf"))
    collection = collection_create(owner=p.alice, title="Meine Auswahl", is_shared=True)
    item = collection_item_add(collection=collection, practice=published)
    _data.update(published=published, draft=draft, submitted=submitted, attachment=attachment,
                 collection=collection, item=item)


def cases(p):
    if not _data or not Practice.objects.filter(pk=_data["published"].pk).exists():
        setup(p)
    pub, draft, sub = _data["published"], _data["draft"], _data["submitted"]
    att, coll, item = _data["attachment"], _data["collection"], _data["item"]
    login_only = expect(anonymous=302, signed_in=200)
    editors_of_dortmund = expect(anonymous=302, default=404, alice=200, carla=200, dora=200)
    owner_only = expect(anonymous=302, default=404, alice=200)
    post_only = expect(public=405)
    result = [
        WalkCase("practices:create", expect=expect(anonymous=302, default=404, alice=200, carla=200, charlie=200, dora=200)),
        WalkCase("practices:reviews", expect=login_only),
        WalkCase("practices:watchlist", expect=login_only),
        WalkCase("practices:compare", query=f"ids={pub.pk}&ids={draft.pk}", expect=expect(public=200)),
        WalkCase("practices:map", expect=expect(public=200)),
        WalkCase("practices:map", query=f"ort={p.dortmund.place_id}", expect=expect(public=200)),
        WalkCase("practices:timeline", expect=expect(public=200)),
        WalkCase("practices:collections", expect=login_only),
        WalkCase("practices:collection_create", expect=login_only),
        WalkCase("practices:collection", kwargs={"pk": coll.pk}, expect=owner_only),
        WalkCase("practices:collection_edit", kwargs={"pk": coll.pk}, expect=owner_only),
        WalkCase("practices:collection_delete", kwargs={"pk": coll.pk}, expect=owner_only),
        WalkCase("practices:collection_new_link", kwargs={"pk": coll.pk}, expect=post_only),
        WalkCase("practices:collection_pdf", kwargs={"pk": coll.pk}, expect=owner_only),
        WalkCase("practices:collection_item_remove", kwargs={"item_id": item.pk}, expect=owner_only),
        WalkCase("practices:collection_item_move", kwargs={"item_id": item.pk}, expect=post_only),
        WalkCase("practices:collection_shared", kwargs={"token": coll.share_token}, expect=expect(public=200)),
        WalkCase("practices:collection_shared", kwargs={"token": "not-a-token"}, expect=expect(public=404)),
        WalkCase("practices:collection_shared_pdf", kwargs={"token": coll.share_token}, expect=expect(public=200)),
        WalkCase("practices:detail", kwargs={"pk": pub.pk}, expect=expect(public=200)),
        WalkCase("practices:detail", kwargs={"pk": pub.pk}, query="part=watch", htmx=True, expect=expect(public=200)),
        WalkCase("practices:detail", kwargs={"pk": draft.pk},
                 expect=expect(default=200, anonymous=404, charlie=404)),
        WalkCase("practices:detail", kwargs={"pk": sub.pk}, expect=expect(anonymous=404, signed_in=200)),
        WalkCase("practices:pdf", kwargs={"pk": pub.pk}, expect=expect(public=200)),
        WalkCase("practices:pdf", kwargs={"pk": draft.pk}, expect=expect(default=200, anonymous=404, charlie=404)),
        WalkCase("practices:versions", kwargs={"pk": pub.pk},
                 expect=expect(default=404, alice=200, carla=200, charlie=200, dora=200)),
        WalkCase("practices:diff", kwargs={"pk": pub.pk},
                 expect=expect(default=404, alice=200, carla=200, charlie=200, dora=200)),
        WalkCase("practices:versions", kwargs={"pk": draft.pk}, expect=expect(default=404, alice=200, carla=200, dora=200)),
        WalkCase("practices:edit", kwargs={"pk": draft.pk}, expect=editors_of_dortmund),
        WalkCase("practices:edit", kwargs={"pk": pub.pk}, expect=editors_of_dortmund),
        WalkCase("practices:delete", kwargs={"pk": draft.pk}, expect=editors_of_dortmund),
        WalkCase("practices:transition", kwargs={"pk": draft.pk, "action": "submit"}, expect=post_only),
        WalkCase("practices:review", kwargs={"pk": sub.pk}, expect=expect(anonymous=302, default=404, charlie=200, dora=200)),
        WalkCase("practices:review", kwargs={"pk": draft.pk}, expect=expect(anonymous=302, default=404, dora=200)),
        WalkCase("practices:attachment_upload", kwargs={"pk": pub.pk}, expect=editors_of_dortmund),
        WalkCase("practices:attachment", kwargs={"pk": pub.pk, "attachment_id": att.pk}, expect=expect(public=200)),
        WalkCase("practices:attachment_delete", kwargs={"pk": pub.pk, "attachment_id": att.pk}, expect=editors_of_dortmund),
        WalkCase("practices:watch", kwargs={"pk": pub.pk}, expect=post_only),
        WalkCase("practices:collection_add", kwargs={"pk": pub.pk}, expect=login_only),
        WalkCase("practices:collection_add", kwargs={"pk": draft.pk}, expect=expect(anonymous=302, default=200, charlie=404)),
    ]
    try:
        from .walk_transfer import cases as transfer_cases
    except ModuleNotFoundError as exc:
        if not (exc.name or "").endswith("walk_transfer"):
            raise
    else:
        result.extend(transfer_cases(p))
    return result


def id_cases(p, f):
    """Ids of Köln's private objects (see testing/walk.foreign_private) in practice forms and parameters."""
    from panreflex.testing.walk import OUTSIDERS, IdCase

    pub = _data["published"]
    return [
        IdCase("practices:collection_add", "collection", f["collection"].pk, kwargs={"pk": pub.pk},
               covers=("AddToCollectionForm.collection",)),
        IdCase("practices:compare", "ids", [f["practice"].pk], where="query", personas=OUTSIDERS),
        IdCase("practices:compare", "ids", [pub.pk, f["practice"].pk], where="query", personas=OUTSIDERS),
    ]
