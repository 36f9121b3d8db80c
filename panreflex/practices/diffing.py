"""A readable diff between two version snapshots (see services.practice_snapshot).

Text fields are compared word by word (difflib), lists (themes, places, sources) by added and removed
entries, everything else as old → new. The result is plain data; the template marks it up with
<ins>/<del> and visually hidden labels for screen readers.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from .models import Practice

_TOKEN = re.compile(r"\s+|[^\s]+")

EXTRA_LABELS = {
    "status": _("status"),
    "organisation": _("organisation"),
    "external_key": _("external key"),
    "sources": _("sources"),
    "good_practice": _("characteristics of good practice"),
    "attachments": _("attachments"),
}


def field_label(name: str) -> str:
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name])
    try:
        return str(Practice._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - unknown keys of older snapshots
        return name


@dataclass
class FieldDiff:
    name: str
    label: str
    kind: str  # "text", "list", "value"
    segments: list[tuple[str, str]] = field(default_factory=list)  # (op, text) op in equal/insert/delete
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    old: str = ""
    new: str = ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dict):
        return str(value.get("label", value))
    return str(value)


def _list_items(name: str, value: Any) -> list[str]:
    items = value or []
    out = []
    for item in items:
        if name == "sources" and isinstance(item, dict):
            parts = [item.get("title") or "", item.get("url") or "", item.get("published_on") or ""]
            out.append(" · ".join(p for p in parts if p))
        elif name == "good_practice" and isinstance(item, dict):
            out.append(f"{item.get('criterion', '')}: {item.get('justification', '')}")
        elif isinstance(item, dict):
            out.append(str(item.get("label", item)))
        else:
            out.append(str(item))
    return out


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    segments: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("equal", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                segments.append(("delete", "".join(a[i1:i2])))
            if j2 > j1:
                segments.append(("insert", "".join(b[j1:j2])))
    return segments


def _snapshot_order() -> tuple[str, ...]:
    """The order in which practice_snapshot writes its keys. A JSON column on PostgreSQL (jsonb) does not
    keep key order, so rows follow this order rather than the stored dict's."""
    from .services import CONTENT_FIELDS, M2M_FIELDS

    return (*CONTENT_FIELDS, "status", "organisation", "external_key", *M2M_FIELDS, "sources")


def ordered_keys(*snapshots: dict) -> list[str]:
    """Every key of the snapshots, known fields in form order first, unknown keys (older snapshots) after."""
    present = {k for s in snapshots for k in s}
    known = [k for k in _snapshot_order() if k in present]
    return known + sorted(present - set(known))


def snapshot_diff(before: dict, after: dict) -> list[FieldDiff]:
    rows: list[FieldDiff] = []
    for name in ordered_keys(after, before):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        label = field_label(name)
        if isinstance(old, list) or isinstance(new, list):
            old_items, new_items = _list_items(name, old), _list_items(name, new)
            rows.append(FieldDiff(
                name=name, label=label, kind="list",
                added=[i for i in new_items if i not in old_items],
                removed=[i for i in old_items if i not in new_items],
            ))
        elif isinstance(old, str) and isinstance(new, str) and name != "status" and (len(old) > 40 or len(new) > 40):
            rows.append(FieldDiff(name=name, label=label, kind="text", segments=word_diff(old, new)))
        else:
            if name == "status":
                old = str(Practice.Status(old).label) if old in Practice.Status.values else old
                new = str(Practice.Status(new).label) if new in Practice.Status.values else new
            rows.append(FieldDiff(name=name, label=label, kind="value", old=_text(old), new=_text(new)))
    return rows


HIDDEN_IN_READING = {"status", "external_key", "visibility", "contact_consent", "title"}


def snapshot_rows(snapshot: dict) -> list[tuple[str, str, Any]]:
    """(label, kind, value) for every non-empty field of a snapshot, to read a version as a whole.
    kind is "text" (Markdown), "list" (strings) or "value"."""
    rows: list[tuple[str, str, Any]] = []
    for name in ordered_keys(snapshot):
        value = snapshot[name]
        if name in HIDDEN_IN_READING or value in (None, "", [], {}):
            continue
        label = field_label(name).capitalize()
        if isinstance(value, list):
            rows.append((label, "list", _list_items(name, value)))
        elif isinstance(value, str) and len(value) > 80:
            rows.append((label, "text", value))
        else:
            rows.append((label, "value", _text(value)))
    return rows
