"""Personal lists (watch list, collections) and attachments of practice examples."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from panreflex.audit.services import audit_record
from panreflex.lib.uploads import check_upload

from .models import Collection, CollectionItem, Practice, PracticeAttachment, WatchlistEntry, _share_token


# --- watch list ----------------------------------------------------------------------------------
def watchlist_toggle(*, user, practice: Practice) -> bool:
    """Add or remove; returns True when the practice is now on the watch list."""
    with transaction.atomic():
        deleted, _n = WatchlistEntry.objects.filter(user=user, practice=practice).delete()
        if deleted:
            return False
        WatchlistEntry.objects.create(user=user, practice=practice)
        return True


# --- collections ---------------------------------------------------------------------------------
def collection_create(*, owner, title: str, description: str = "", is_shared: bool = False) -> Collection:
    with transaction.atomic():
        collection = Collection(owner=owner, title=title.strip(), description=description.strip(), is_shared=is_shared)
        collection.full_clean()
        collection.save()
        audit_record(actor=owner, action="create", obj=collection)
    return collection


def collection_update(*, collection: Collection, actor, title: str, description: str = "", is_shared: bool = False) -> Collection:
    with transaction.atomic():
        changes = {}
        for name, value in (("title", title.strip()), ("description", description.strip()), ("is_shared", is_shared)):
            if getattr(collection, name) != value:
                changes[name] = [getattr(collection, name), value]
                setattr(collection, name, value)
        collection.full_clean()
        collection.save()
        audit_record(actor=actor, action="update", obj=collection, changes=changes)
    return collection


def collection_new_link(*, collection: Collection, actor) -> Collection:
    """A new share token: the old link stops working."""
    with transaction.atomic():
        collection.share_token = _share_token()
        collection.save(update_fields=["share_token", "updated_at"])
        audit_record(actor=actor, action="update", note="new share link", obj=collection)
    return collection


def collection_delete(*, collection: Collection, actor) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action="delete", obj=collection)
        collection.delete()


def collection_item_add(*, collection: Collection, practice: Practice, note: str = "") -> CollectionItem:
    with transaction.atomic():
        existing = collection.items.filter(practice=practice).first()
        if existing:
            return existing
        last = collection.items.aggregate(m=Max("position"))["m"]
        item = CollectionItem(collection=collection, practice=practice, note=note.strip(),
                              position=0 if last is None else last + 1)
        item.full_clean()
        item.save()
        collection.save(update_fields=["updated_at"])
    return item


def collection_item_remove(*, item: CollectionItem) -> None:
    with transaction.atomic():
        collection = item.collection
        item.delete()
        collection.save(update_fields=["updated_at"])


def collection_item_move(*, item: CollectionItem, direction: str) -> None:
    """Move one place up or down; positions are renumbered 0..n-1."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Unknown direction."))
    with transaction.atomic():
        items = list(item.collection.items.select_for_update().order_by("position", "id"))
        index = next(i for i, it in enumerate(items) if it.pk == item.pk)
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(items):
            items[index], items[target] = items[target], items[index]
        for position, it in enumerate(items):
            if it.position != position:
                it.position = position
                it.save(update_fields=["position"])


# --- attachments ---------------------------------------------------------------------------------
def attachment_add(*, practice: Practice, author, title: str, uploaded) -> PracticeAttachment:
    """Store an uploaded PDF or image after checking its content and size."""
    checked = check_upload(uploaded)
    with transaction.atomic():
        attachment = PracticeAttachment(
            practice=practice, title=title.strip() or uploaded.name[:200], content_type=checked.content_type,
            extension=checked.extension, size=checked.size, uploaded_by=author,
        )
        attachment.file.save(f"upload{checked.extension}", uploaded, save=False)
        attachment.full_clean()
        attachment.save()
        audit_record(actor=author, action="update", obj=practice, note=f"attachment added: {attachment.title}")
    return attachment


def attachment_delete(*, attachment: PracticeAttachment, actor) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action="update", obj=attachment.practice, note=f"attachment removed: {attachment.title}")
        attachment.file.delete(save=False)
        attachment.delete()
