"""Forms of the surveys domain (researcher side). Respondent pages are rendered from the questionnaire."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from panreflex.accounts import access
from panreflex.accounts.models import Organisation, Visibility
from panreflex.places.models import SIZE_CLASSES

from .models import Item, Survey
from .selectors import STATES


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SurveyForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Owned by"))
    open_link = forms.BooleanField(
        label=_("Open link"), required=False,
        help_text=_("Anyone with the open link can answer (in addition to the personal links)."),
    )

    class Meta:
        model = Survey
        fields = ["title", "title_en", "description", "organisation", "visibility", "anonymous", "starts_at", "ends_at"]
        widgets = {
            "starts_at": DateTimeInput(), "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"description": _("Shown to respondents at the start. Markdown is allowed.")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = access.editable_organisations(user)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
        self.fields["ends_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
        if self.instance.pk:
            self.fields["open_link"].initial = bool(self.instance.open_token)
            del self.fields["organisation"]
        if not access.can_release(user):
            self.fields["visibility"].choices = [c for c in Visibility.choices if c[0] != Visibility.PUBLIC] if \
                self.instance.visibility != Visibility.PUBLIC else Visibility.choices

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end must be after the start."))
        return data


DEFAULT_LANGUAGES = [("de", _("German")), ("en", _("English"))]


def parse_choices(text: str, codes: list[str] | None = None) -> list[tuple[str, dict]]:
    """Lines "code | label in the 1st language | 2nd | …" (the form's languages in order; by default
    German and English; a line without "|" is used as code and label)."""
    codes = codes or ["de", "en"]
    out = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 1:
            label = parts[0]
            code = re.sub(r"[^\w]+", "_", label.lower()).strip("_")[:60] or f"option{number}"
            parts = [code, label]
        code = parts[0]
        if not re.fullmatch(r"[\w.\-]+", code):
            raise ValidationError(_("Line %(n)s: the code “%(code)s” may only contain letters, digits, “_”, “-” and “.”.")
                                  % {"n": number, "code": code})
        labels = {codes[0]: parts[1] if len(parts) > 1 else code}
        for lang, text_ in zip(codes[1:], parts[2:], strict=False):
            if text_:
                labels[lang] = text_
        out.append((code, labels))
    return out


def format_choices(choices, codes: list[str] | None = None) -> str:
    codes = codes or ["de", "en"]
    return "\n".join(" | ".join([c.name, *[c.labels.get(lang, "") for lang in codes]]).rstrip(" |") for c in choices)


class ItemForm(forms.Form):
    """A question or section; wording, help text and validation message in every language of the form."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Item.Kind.choices)
    parent = forms.TypedChoiceField(label=_("In section"), required=False, coerce=int, empty_value=None)
    name = forms.CharField(label=_("Variable name"), max_length=100,
                           help_text=_("Letters, digits and “_”; used in exports and in conditions as ${name}."))
    required = forms.BooleanField(label=_("Answer required"), required=False)
    choices = forms.CharField(
        label=_("Answer options"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line: code | German | English. Likert and yes/no get a standard scale when empty."),
    )
    allow_other = forms.BooleanField(label=_("Add “other, namely”"), required=False)
    randomize = forms.BooleanField(label=_("Random order (options, or questions of a section)"), required=False)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=40)
    min_value = forms.DecimalField(label=_("Minimum"), required=False, max_digits=14, decimal_places=4)
    max_value = forms.DecimalField(label=_("Maximum"), required=False, max_digits=14, decimal_places=4)
    repeat_count = forms.IntegerField(label=_("Number of repetitions"), required=False, min_value=1, max_value=50)
    relevant = forms.CharField(
        label=_("Show only if"), required=False, max_length=1000,
        help_text=_("XLSForm condition, e.g. ${q1} = 'yes' or selected(${q2}, 'a') and ${n} > 3."),
    )
    constraint = forms.CharField(
        label=_("Validation rule"), required=False, max_length=1000,
        help_text=_("XLSForm rule on the answer “.”, e.g. . >= 0 and . <= 100."),
    )
    calculation = forms.CharField(
        label=_("Calculation"), required=False, max_length=2000,
        help_text=_("For calculations (or a value computed for a read-only question), e.g. round(${persons} div ${households}, 1)."),
    )
    choice_filter = forms.CharField(
        label=_("Choice filter"), required=False, max_length=1000,
        help_text=_("Cascading selects: which options to show, e.g. state = ${state} (a column of the choices) "
                    "or selected(${needs}, name)."),
    )
    default = forms.CharField(label=_("Default answer"), required=False, max_length=500)
    read_only = forms.BooleanField(label=_("Read only (filled in by the questionnaire)"), required=False)

    TRANSLATED = (("label", _("Wording (%(lang)s)"), True), ("hint", _("Help text (%(lang)s)"), False),
                  ("constraint_message", _("Message if the rule fails (%(lang)s)"), False))

    def __init__(self, *args, containers=(), languages=None, **kwargs):
        self.languages = list(languages or DEFAULT_LANGUAGES)
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("– top level –"))] + [(c.pk, f"{c.label} ({c.name})") for c in containers]
        translated = {}
        for base, label, long in self.TRANSLATED:
            for code, name in self.languages:
                widget = forms.Textarea(attrs={"rows": 2}) if long else forms.TextInput()
                translated[f"{base}_{code}"] = forms.CharField(label=label % {"lang": name}, required=False, widget=widget)
        order = ["kind", "parent", "name", *[f"label_{c}" for c, _n in self.languages],
                 *[f"hint_{c}" for c, _n in self.languages]]
        fields = {**self.fields, **translated}
        self.fields = {k: fields[k] for k in order} | {k: v for k, v in fields.items() if k not in order}
        if [c for c, _n in self.languages] != ["de", "en"]:
            self.fields["choices"].help_text = _("One per line: code | %(langs)s.") % {
                "langs": " | ".join(str(n) for _c, n in self.languages)}

    @property
    def codes(self) -> list[str]:
        return [c for c, _n in self.languages]

    def clean_choices(self):
        return parse_choices(self.cleaned_data.get("choices", ""), self.codes)

    def clean(self):
        data = super().clean()
        if data.get("kind") not in (Item.Kind.GROUP, Item.Kind.REPEAT, Item.Kind.MATRIX, Item.Kind.LOOP,
                                    Item.Kind.CALCULATE, Item.Kind.HIDDEN) and not any(
                data.get(f"label_{c}") for c in self.codes):
            self.add_error(f"label_{self.codes[0]}", _("Give the wording in at least one language."))
        return data

    def _texts(self, base: str) -> dict[str, str]:
        return {c: self.cleaned_data[f"{base}_{c}"] for c in self.codes if self.cleaned_data.get(f"{base}_{c}")}

    def item_fields(self) -> dict:
        d = self.cleaned_data
        return {
            "labels": self._texts("label"), "hints": self._texts("hint"), "required": d["required"],
            "relevant": d["relevant"].strip(), "constraint": d["constraint"].strip(),
            "constraint_messages": self._texts("constraint_message"), "allow_other": d["allow_other"],
            "randomize": d["randomize"], "unit": d["unit"], "min_value": d["min_value"], "max_value": d["max_value"],
            "repeat_count": d["repeat_count"], "calculation": d["calculation"].strip(),
            "choice_filter": d["choice_filter"].strip(), "default": d["default"].strip(), "read_only": d["read_only"],
        }

    @staticmethod
    def initial_for(item: Item, choices, codes: list[str] | None = None) -> dict:
        codes = codes or ["de", "en"]
        initial = {
            "kind": item.kind, "parent": item.parent_id, "name": item.name,
            "required": item.required, "choices": format_choices(choices, codes), "allow_other": item.allow_other,
            "randomize": item.randomize, "unit": item.unit, "min_value": item.min_value, "max_value": item.max_value,
            "repeat_count": item.repeat_count, "relevant": item.relevant, "constraint": item.constraint,
            "calculation": item.calculation, "choice_filter": item.choice_filter, "default": item.default,
            "read_only": item.read_only,
        }
        for base, texts in (("label", item.labels), ("hint", item.hints), ("constraint_message", item.constraint_messages)):
            for code in codes:
                initial[f"{base}_{code}"] = texts.get(code, "")
        return initial


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSForm file (.xlsx or .xls)"))
    attachments = MultipleFileField(
        label=_("CSV attachments"), required=False,
        help_text=_("The CSV files of external choice lists (select_one_from_file), as uploaded to KoboToolbox."),
    )
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Owned by"))
    strict = forms.BooleanField(
        label=_("Refuse the form if anything cannot be represented"), required=False,
        help_text=_("Without this, such parts are skipped and listed in the import report."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = access.editable_organisations(user)


def parse_people(text: str) -> list[tuple[str, str]]:
    """Lines "Name <mail@example.org>" or "mail@example.org"."""
    people = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        m = re.fullmatch(r"(.*?)\s*<([^>]+)>", line)
        name, email = (m.group(1).strip(), m.group(2).strip()) if m else ("", line)
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationError(_("Line %(n)s: “%(email)s” is not an e-mail address.") % {"n": number, "email": email}) from exc
        people.append((name, email))
    return people


class DistributionForm(forms.Form):
    state = forms.ChoiceField(label=_("Municipalities of the state"), required=False,
                              choices=[("", _("– none –"))] + sorted(STATES.items(), key=lambda kv: kv[1]))
    min_population = forms.IntegerField(label=_("with at least … inhabitants"), required=False, min_value=0)
    size_classes = forms.MultipleChoiceField(
        label=_("Size classes"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(code, label) for code, label, _m in SIZE_CLASSES],
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"), required=False, queryset=Organisation.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
    )
    people = forms.CharField(label=_("People"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("One per line: Name <e-mail> or just the e-mail address."))
    send_now = forms.BooleanField(label=_("Send the invitation e-mails now"), required=False, initial=True)

    def clean_people(self):
        return parse_people(self.cleaned_data.get("people", ""))

    def clean(self):
        data = super().clean()
        if not (data.get("state") or data.get("organisations") or data.get("people")):
            raise ValidationError(_("Choose municipalities, organisations or people to invite."))
        return data
