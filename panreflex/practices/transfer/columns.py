"""The column format of practice example files (CSV, XLSX, JSON), shared by import and export.

Every column has an English and a German header; an import accepts either (case-insensitive, `_` and
blanks alike). Exports write the English headers in JSON and the headers of the active language in
CSV/XLSX. Documented in docs/apps/practices-transfer.md – keep both in step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from panreflex.lib import tabular


@dataclass(frozen=True)
class Column:
    key: str  # English header, also the JSON key
    de: str  # German header
    kind: str  # text | terms | term | places | countries | month | actors | sources | good_practice | bool | choice | organisation
    field: str = ""  # Practice field (text kinds) or relation
    vocabulary: str = ""
    required: bool = False

    def header(self, language: str) -> str:
        return self.de if language.startswith("de") else self.key


COLUMNS: tuple[Column, ...] = (
    Column("external_key", "Externer Schlüssel", "text", field="external_key"),
    Column("organisation", "Organisation", "organisation"),
    Column("title", "Titel", "text", field="title", required=True),
    Column("title_en", "Titel (englisch)", "text", field="title_en"),
    Column("summary", "Zusammenfassung", "text", field="summary", required=True),
    Column("summary_en", "Zusammenfassung (englisch)", "text", field="summary_en"),
    Column("description", "Beschreibung", "text", field="description"),
    Column("municipality", "Kommune", "places", field="places"),
    Column("country", "Land", "countries"),
    Column("levels", "Ebenen", "terms", field="levels", vocabulary="level"),
    Column("themes", "Themen", "terms", field="themes", vocabulary="theme"),
    Column("subtopics", "Unterthemen", "terms", field="subtopics", vocabulary="subtopic"),
    Column("phases", "Phasen", "terms", field="phases", vocabulary="phase"),
    Column("period_start", "Beginn", "month", field="period_start"),
    Column("period_end", "Ende", "month", field="period_end"),
    Column("target_groups", "Zielgruppen", "terms", field="target_groups", vocabulary="target_group"),
    Column("actors", "Akteure", "actors"),
    Column("innovation_kinds", "Innovationsart", "terms", field="innovation_kinds", vocabulary="innovation_kind"),
    Column("challenge", "Herausforderung", "text", field="challenge"),
    Column("measures", "Maßnahmen", "text", field="measures"),
    Column("resources_staff", "Ressourcen Personal", "text", field="resources_staff"),
    Column("resources_cost", "Ressourcen Kosten", "text", field="resources_cost"),
    Column("results", "Ergebnisse", "text", field="results"),
    Column("lessons", "Erkenntnisse", "text", field="went_well"),
    Column("went_less_well", "Was weniger gut lief", "text", field="went_less_well"),
    Column("good_practice", "Merkmale guter Praxis", "good_practice", field="good_practice"),
    Column("transferability", "Übertragbarkeit", "text", field="transfer_municipalities"),
    Column("transfer_crises", "Übertragbarkeit auf andere Krisen", "text", field="transfer_crises"),
    Column("transfer_conditions", "Voraussetzungen der Übertragung", "text", field="transfer_conditions"),
    Column("adaptation_germany", "Anpassung an deutsche Kommunen", "text", field="adaptation_germany"),
    Column("evidence_strength", "Evidenzstärke", "term", field="evidence_strength", vocabulary="evidence_strength"),
    Column("uncertainty_notes", "Unsicherheiten", "text", field="uncertainty_notes"),
    Column("contact_name", "Kontaktperson", "text", field="contact_name"),
    Column("contact_email", "Kontakt-E-Mail", "text", field="contact_email"),
    Column("contact_consent", "Einwilligung Kontakt", "bool", field="contact_consent"),
    Column("sources", "Quellen", "sources"),
    Column("visibility", "Sichtbarkeit", "choice", field="visibility"),
    Column("status", "Status", "choice", field="status"),
)
BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED = tuple(c for c in COLUMNS if c.required)

# Aliases accepted on import only (other names people use for the same column).
ALIASES = {
    "went_well": "lessons",
    "was gut lief": "lessons",
    "ags": "municipality",
    "gemeinde": "municipality",
    "stadt": "municipality",
    "city": "municipality",
    "theme": "themes",
    "thema": "themes",
}


def normalise_header(text: str) -> str:
    text = (text or "").replace("\ufeff", "").strip().casefold()
    return re.sub(r"[\s_]+", " ", text)


HEADER_LOOKUP: dict[str, str] = {}
for _c in COLUMNS:
    HEADER_LOOKUP[normalise_header(_c.key)] = _c.key
    HEADER_LOOKUP[normalise_header(_c.de)] = _c.key
for _alias, _key in ALIASES.items():
    HEADER_LOOKUP.setdefault(normalise_header(_alias), _key)


def column_for_header(header: str) -> Column | None:
    key = HEADER_LOOKUP.get(normalise_header(header))
    return BY_KEY.get(key) if key else None


# --- multi-valued cells ---------------------------------------------------------------------------
def split_cell(value: str) -> list[str]:
    """Values of a multi-valued cell: one per line if the cell has line breaks, else split on `;`, `|`
    or `,` (tabular.split_multi: the first of these that occurs)."""
    raw = value or ""
    if "\n" in raw:
        return [line.strip() for line in raw.splitlines() if line.strip()]
    return tabular.split_multi(raw.strip())


def join_cell(values: list[str]) -> str:
    """The inverse of `split_cell`: `; ` between values, or one per line when a value holds a `;`."""
    values = [v for v in values if v]
    if not values:
        return ""
    if len(values) == 1:
        # a single value with a separator in it ends with a line break, so that it is not cut apart
        return values[0] + "\n" if any(sep in values[0] for sep in ";|,") else values[0]
    if any(";" in v for v in values):
        return "\n".join(values)
    return "; ".join(values)


# --- sources ----------------------------------------------------------------------------------------
_SOURCE = re.compile(
    r"^(?P<title>.*?)\s*(?:<(?P<url>[^<>\s]*)>)?\s*"
    r"(?:\((?P<published>\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})\))?\s*"
    r"(?:\((?:accessed|abgerufen(?:\s+am)?|zugriff(?:\s+am)?)\s+(?P<accessed>\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})\))?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_BARE_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


def split_sources(value: str) -> list[str]:
    """Like `split_cell`, but a comma only separates sources where it cannot be part of a title: after
    a `<address>` or `(date)`, or between bare web addresses."""
    raw = value or ""
    if "\n" in raw or ";" in raw or "|" in raw:
        return split_cell(raw)
    text = raw.strip()
    if not text:
        return []
    if "<" in text:
        return [p.strip() for p in re.split(r"(?<=[>)])\s*,\s*", text) if p.strip()]
    parts = [p.strip() for p in text.split(",") if p.strip()]
    return parts if all(_BARE_URL.match(p) for p in parts) else [text]


def format_source(source: dict) -> str:
    """`Title <https://…> (2021-05-03) (accessed 2024-01-02)`; missing parts are left out."""
    parts = [source.get("title") or ""]
    if source.get("url"):
        parts.append(f"<{source['url']}>")
    if source.get("published_on"):
        parts.append(f"({source['published_on']})")
    if source.get("accessed_on"):
        parts.append(f"(accessed {source['accessed_on']})")
    return " ".join(p for p in parts if p)


def parse_source_text(text: str) -> dict | None:
    """{title, url, published_on, accessed_on} (dates as text) or None when the entry cannot be read."""
    text = (text or "").strip()
    if _BARE_URL.match(text):
        return {"title": text, "url": text, "published_on": "", "accessed_on": ""}
    match = _SOURCE.match(text)
    if not match:
        return None
    url = match.group("url") or ""
    title = (match.group("title") or "").strip() or url
    return {
        "title": title,
        "url": url,
        "published_on": match.group("published") or "",
        "accessed_on": match.group("accessed") or "",
    }


def format_good_practice(item: dict) -> str:
    criterion = item.get("criterion", "")
    justification = item.get("justification", "")
    return f"{criterion}: {justification}" if justification else criterion


def parse_good_practice_text(text: str) -> dict:
    criterion, _sep, justification = (text or "").partition(":")
    return {"criterion": criterion.strip(), "justification": justification.strip()}
