"""Parsing and checking one row of an import file into a `RowPlan` (no writes)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from panreflex.accounts import access
from panreflex.accounts.models import Organisation, Visibility
from panreflex.places.models import Place
from panreflex.taxonomy.models import Term

from ..models import Practice
from . import columns as cols
from .report import RowPlan

VOCABULARY_NAMES = {
    "theme": gettext_lazy("theme"),
    "subtopic": gettext_lazy("subtopic"),
    "phase": gettext_lazy("crisis phase"),
    "level": gettext_lazy("administrative level"),
    "target_group": gettext_lazy("target group"),
    "innovation_kind": gettext_lazy("kind of innovation"),
    "evidence_strength": gettext_lazy("strength of evidence"),
}
TRUE_WORDS = {"1", "x", "yes", "y", "true", "ja", "j", "wahr"}
FALSE_WORDS = {"", "0", "no", "n", "false", "nein", "falsch"}
_ISO2 = re.compile(r"^[A-Z]{2}$")


class RowParser:
    """Turns the cells of one row into a `RowPlan`, reporting each problem with row and column.
    Lookups (vocabularies, organisations, places) are cached for the whole file."""

    def __init__(self, *, actor, organisation, header_map, report, tabular_format: bool):
        self.actor = actor
        self.default_organisation = organisation
        self.header_map = header_map
        self.report = report
        self.tabular = tabular_format
        self.may_release = actor is None or access.can_release(actor)
        self._term_cache: dict[str, dict[str, Term]] = {}
        self._orgs: dict[str, Organisation] | None = None
        self._places: dict[tuple[str, str], Any] = {}
        self._seen_titles: dict[tuple[int, str], int] = {}
        self._seen_keys: dict[tuple[int, str], int] = {}
        self.choices = {
            "visibility": _choice_lookup(Visibility, extra={
                "privat": "private", "netzwerk": "network", "öffentlich": "public", "oeffentlich": "public"}),
            "status": _choice_lookup(Practice.Status, extra={"entwurf": "draft", "veröffentlicht": "published"}),
        }

    # --- helpers ---------------------------------------------------------------------------------
    def header(self, key: str) -> str:
        return self.header_map.get(key, key)

    def err(self, plan: RowPlan, key: str, message: str) -> None:
        plan.failed = True
        self.report.error(plan.row, self.header(key), message)

    def text(self, plan: RowPlan, values: dict, key: str) -> str:
        raw = values.get(self.header_map[key]) if key in self.header_map else None
        if raw is None:
            return ""
        if isinstance(raw, (list, dict)):
            self.err(plan, key, _("Expected text, not a list."))
            return ""
        if isinstance(raw, bool):
            return "yes" if raw else "no"
        return str(raw).replace("\r\n", "\n").strip()

    def many(self, plan: RowPlan, values: dict, key: str, splitter=cols.split_cell) -> list:
        raw = values.get(self.header_map[key]) if key in self.header_map else None
        if raw is None or raw == "":
            return []
        if isinstance(raw, list):
            return [v.strip() if isinstance(v, str) else v for v in raw if v not in (None, "")]
        if isinstance(raw, dict):
            return [raw]
        return splitter(str(raw))

    def terms(self, vocabulary: str) -> dict[str, Term]:
        if vocabulary not in self._term_cache:
            lookup: dict[str, Term] = {}
            terms = list(Term.objects.filter(vocabulary=vocabulary, is_active=True))
            for attr in ("label_en", "label_de", "code"):  # codes win over labels
                for term in terms:
                    lookup[getattr(term, attr).casefold()] = term
            self._term_cache[vocabulary] = lookup
        return self._term_cache[vocabulary]

    def organisations(self) -> dict[str, Organisation]:
        if self._orgs is None:
            self._orgs = {}
            for org in Organisation.objects.all():
                self._orgs.setdefault(org.name.casefold(), org)
                self._orgs[org.slug.casefold()] = org
        return self._orgs

    # --- one row ---------------------------------------------------------------------------------
    def parse(self, number: int, values: dict) -> RowPlan:
        plan = RowPlan(row=number)
        self._organisation(plan, values)
        data: dict[str, Any] = {}
        for column in cols.COLUMNS:
            if column.key not in self.header_map:
                continue
            if column.kind == "text" and column.key != "external_key":
                data[column.field] = self.text(plan, values, column.key)
        plan.title = data.get("title", "")
        for key in ("title", "summary"):
            if not data.get(key):
                self.err(plan, key, _("This value is required."))
        if "contact_email" in data and data["contact_email"]:
            data["contact_email"] = data["contact_email"].lower()
        plan.external_key = self.text(plan, values, "external_key")
        for column in cols.COLUMNS:
            if column.key not in self.header_map:
                continue
            if column.kind == "terms":
                plan.m2m[column.field] = self._terms(plan, values, column)
            elif column.kind == "term":
                found = self._terms(plan, values, column, single=True)
                data[column.field] = found[0] if found else None
            elif column.kind == "month":
                data[column.field] = self._month(plan, values, column.key)
            elif column.kind == "bool":
                data[column.field] = self._bool(plan, values, column.key)
            elif column.kind == "good_practice":
                data[column.field] = self._good_practice(plan, values)
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.err(plan, "period_end", _("The end (%(end)s) lies before the start (%(start)s).")
                     % {"end": end.strftime("%Y-%m"), "start": start.strftime("%Y-%m")})
        self._places_of(plan, values)
        self._actors(plan, values, data)
        plan.sources = self._sources(plan, values)
        plan.visibility = self._choice(plan, values, "visibility") or Visibility.PRIVATE
        status = self._choice(plan, values, "status") or Practice.Status.DRAFT
        if status != Practice.Status.DRAFT and not self.may_release:
            plan.notes.append(_("Will be created as a draft: only the project team imports examples with a status."))
            status = Practice.Status.DRAFT
        plan.status = status
        plan.data = {k: v for k, v in data.items() if k not in ("status", "visibility")}
        self._duplicates(plan)
        return plan

    def _organisation(self, plan: RowPlan, values: dict) -> None:
        name = self.text(plan, values, "organisation")
        org = None
        if name:
            org = self.organisations().get(name.casefold())
            if org is None:
                self.err(plan, "organisation", _("Unknown organisation “%(value)s”.") % {"value": name})
                return
        else:
            org = self.default_organisation
            if org is None:
                self.err(plan, "organisation", _("No organisation: choose one for the import or fill the column “organisation”."))
                return
        if self.actor is not None and not access.can_edit_for(self.actor, org):
            self.err(plan, "organisation", _("You may not add practice examples for “%(org)s”.") % {"org": org})
            return
        plan.organisation = org

    def _terms(self, plan: RowPlan, values: dict, column: cols.Column, single: bool = False) -> list[Term]:
        lookup = self.terms(column.vocabulary)
        found: list[Term] = []
        items = [self.text(plan, values, column.key)] if single else self.many(plan, values, column.key)
        for item in items:
            if not item:
                continue
            term = lookup.get(str(item).strip().casefold())
            if term is None:
                singular = VOCABULARY_NAMES.get(column.vocabulary, column.vocabulary)
                codes = sorted({t.code for t in lookup.values()})
                allowed = ", ".join(codes) if len(codes) <= 12 else _("see the list of vocabularies")
                self.err(plan, column.key, _("Unknown %(what)s “%(value)s” (allowed: %(allowed)s; code, German or English label).")
                         % {"what": singular, "value": item, "allowed": allowed})
            elif term not in found:
                found.append(term)
        return found

    def _month(self, plan: RowPlan, values: dict, key: str) -> date | None:
        text = self.text(plan, values, key)
        if not text:
            return None
        value = parse_month(text)
        if value is None:
            self.err(plan, key, _("“%(value)s” is not a month: write YYYY-MM (e.g. 2021-05).") % {"value": text})
        return value

    def _bool(self, plan: RowPlan, values: dict, key: str) -> bool:
        raw = values.get(self.header_map[key])
        if isinstance(raw, bool):
            return raw
        text = self.text(plan, values, key).casefold()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        self.err(plan, key, _("“%(value)s” is not yes or no.") % {"value": text})
        return False

    def _choice(self, plan: RowPlan, values: dict, key: str) -> str:
        if key not in self.header_map:
            return ""
        text = self.text(plan, values, key)
        if not text:
            return ""
        value = self.choices[key].get(text.casefold())
        if value is None:
            allowed = ", ".join(sorted(set(self.choices[key].values())))
            self.err(plan, key, _("Unknown value “%(value)s” (allowed: %(allowed)s).") % {"value": text, "allowed": allowed})
            return ""
        return value

    def _good_practice(self, plan: RowPlan, values: dict) -> list[dict]:
        items = []
        for item in self.many(plan, values, "good_practice"):
            if isinstance(item, dict):
                entry = {"criterion": str(item.get("criterion", "")).strip(),
                         "justification": str(item.get("justification", "")).strip()}
            else:
                entry = cols.parse_good_practice_text(str(item))
            if entry["criterion"]:
                items.append(entry)
        return items

    def _places_of(self, plan: RowPlan, values: dict) -> None:
        names = [str(v) for v in self.many(plan, values, "municipality")]
        countries = [str(v).strip().upper() for v in self.many(plan, values, "country")]
        if countries and not names:
            self.err(plan, "country", _("A country needs a city in the column “%(column)s”.") % {"column": self.header("municipality")})
            return
        if countries and len(countries) not in (1, len(names)):
            self.err(plan, "country", _("Give one country for all places or one per place (%(places)s places, %(countries)s countries).")
                     % {"places": len(names), "countries": len(countries)})
            return
        places = []
        for index, name in enumerate(names):
            country = (countries[index] if len(countries) == len(names) else countries[0]) if countries else "DE"
            known = _iso_countries()
            if not _ISO2.match(country) or (known and country not in known):
                self.err(plan, "country", _("“%(value)s” is not a country code (two letters, ISO 3166-1, e.g. AT, DK).") % {"value": country})
                continue
            result = self._place(name.strip(), country)
            if isinstance(result, str):
                self.err(plan, "municipality", result)
            elif isinstance(result, tuple):
                if result not in plan.new_cities:
                    plan.new_cities.append(result)
                    plan.place_labels.append(_("%(name)s (%(country)s, new)") % {"name": result[0], "country": result[1]})
            elif result not in places:
                places.append(result)
                plan.place_labels.append(str(result))
        plan.m2m["places"] = places

    def _place(self, name: str, country: str):
        """A Place, a (name, country) city to create, or an error message."""
        cache_key = (name.casefold(), country)
        if cache_key not in self._places:
            self._places[cache_key] = _find_place(name, country)
        return self._places[cache_key]

    def _actors(self, plan: RowPlan, values: dict, data: dict) -> None:
        if "actors" not in self.header_map:
            return
        orgs, lines = [], []
        for item in self.many(plan, values, "actors"):
            text = str(item).strip()
            org = self.organisations().get(text.casefold())
            if org is not None:
                if org not in orgs:
                    orgs.append(org)
            else:
                lines.append(text)
        plan.m2m["actor_organisations"] = orgs
        data["actors_text"] = "\n".join(lines)

    def _sources(self, plan: RowPlan, values: dict) -> list[dict]:
        if "sources" not in self.header_map:
            return []
        result = []
        validate_url = URLValidator()
        for position, item in enumerate(self.many(plan, values, "sources", cols.split_sources), start=1):
            if isinstance(item, dict):
                entry = {k: str(item.get(k) or "").strip() for k in ("title", "url", "published_on", "accessed_on")}
                entry["title"] = entry["title"] or entry["url"]
            else:
                entry = cols.parse_source_text(str(item))
                if entry is None:
                    self.err(plan, "sources", _("Source %(n)s cannot be read: write “Title <https://…> (YYYY-MM-DD)”.") % {"n": position})
                    continue
            if not entry["title"]:
                self.err(plan, "sources", _("Source %(n)s has neither a title nor an address.") % {"n": position})
                continue
            if len(entry["title"]) > 500:
                self.err(plan, "sources", _("Source %(n)s: the title is longer than 500 characters.") % {"n": position})
                continue
            if entry["url"]:
                try:
                    validate_url(entry["url"])
                except ValidationError:
                    self.err(plan, "sources", _("Source %(n)s: “%(url)s” is not a web address (http:// or https://).")
                             % {"n": position, "url": entry["url"]})
                    continue
            for key in ("published_on", "accessed_on"):
                text = entry[key]
                entry[key] = parse_date(text) if text else None
                if text and entry[key] is None:
                    self.err(plan, "sources", _("Source %(n)s: “%(value)s” is not a date (YYYY-MM-DD).") % {"n": position, "value": text})
            result.append(entry)
        return result

    def _duplicates(self, plan: RowPlan) -> None:
        org = plan.organisation
        if org is None or not plan.title:
            return
        if plan.external_key:
            key = (org.pk, plan.external_key)
            if key in self._seen_keys:
                self.err(plan, "external_key", _("Row %(row)s has the same external key.") % {"row": self._seen_keys[key]})
                return
            self._seen_keys[key] = plan.row
            existing = Practice.objects.filter(organisation=org, external_key=plan.external_key).values_list("pk", flat=True).first()
            if existing:
                plan.action = "skip"
                plan.practice_id = existing
                plan.notes.append(_("Already present (external key %(key)s); left unchanged.") % {"key": plan.external_key})
                return
        title_key = (org.pk, plan.title.casefold())
        if title_key in self._seen_titles:
            self.err(plan, "title", _("Duplicate of row %(row)s (same title and organisation).") % {"row": self._seen_titles[title_key]})
            return
        self._seen_titles[title_key] = plan.row
        if Practice.objects.filter(organisation=org, title__iexact=plan.title).exists():
            self.err(plan, "title", _("“%(org)s” already has a practice example with this title.") % {"org": org})


def _choice_lookup(choices, extra: dict[str, str]) -> dict[str, str]:
    lookup = dict(extra)
    for language in ("en", "de"):
        with override(language):
            for value, label in choices.choices:
                lookup[str(label).casefold()] = value
                lookup[str(label).split(" (")[0].casefold()] = value
    for value in choices.values:
        lookup[value.casefold()] = value
    return lookup


def _iso_countries() -> set[str]:
    try:
        from panreflex.places.services import ISO_COUNTRIES
    except ImportError:  # pragma: no cover - then any two letters pass
        return set()
    return set(ISO_COUNTRIES) | {"DE"}


def _find_place(name: str, country: str):
    if name.isdigit():
        ags = name.zfill({7: 8, 4: 5, 1: 2}.get(len(name), len(name)))
        kind = {8: Place.Kind.MUNICIPALITY, 5: Place.Kind.DISTRICT, 2: Place.Kind.STATE}.get(len(ags))
        if kind is None:
            return _("“%(value)s” is not an AGS: 8 digits for a municipality, 5 for a district, 2 for a state.") % {"value": name}
        place = Place.objects.filter(kind=kind, ags=ags).defer("boundary").first()
        return place or _("Unknown AGS “%(value)s”.") % {"value": name}
    if country == "DE":
        candidates = list(Place.objects.filter(kind=Place.Kind.MUNICIPALITY, name__iexact=name).defer("boundary"))
        if not candidates:
            candidates = list(
                Place.objects.filter(kind__in=[Place.Kind.DISTRICT, Place.Kind.STATE])
                .filter(_name_q(name)).defer("boundary").order_by("ags")
            )
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            return _("Unknown German municipality “%(value)s” (give its AGS).") % {"value": name}
        listed = "; ".join(f"{p.ags} {p.name}" for p in candidates[:5])
        return _("“%(value)s” is ambiguous, give the AGS: %(candidates)s.") % {"value": name, "candidates": listed}
    city = Place.objects.filter(kind=Place.Kind.CITY, country_code=country, name__iexact=name).defer("boundary").first()
    return city or (name, country)


def _name_q(name: str) -> Q:
    return Q(name__iexact=name) | Q(name__istartswith=f"{name},")


_MONTH_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[T ].*)?$"), (1, 2)),
    (re.compile(r"^(\d{1,2})[./](\d{4})$"), (2, 1)),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), (3, 2)),
)


def parse_month(text: str) -> date | None:
    text = text.strip()
    for pattern, (year_group, month_group) in _MONTH_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return date(int(match.group(year_group)), int(match.group(month_group)), 1)
            except ValueError:
                return None
    return None


def parse_date(text: str) -> date | None:
    text = (text or "").strip()
    match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", text) or re.match(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$", text)
    if not match:
        return None
    parts = [int(g) for g in match.groups()]
    year, month, day = parts if parts[0] > 31 else (parts[2], parts[1], parts[0])
    try:
        return date(year, month, day)
    except ValueError:
        return None
