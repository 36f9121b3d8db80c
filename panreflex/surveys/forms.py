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


def parse_choices(text: str) -> list[tuple[str, dict]]:
    """Lines "code | German | English" (English optional; a line without "|" is used as code and label)."""
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
        labels = {"de": parts[1] if len(parts) > 1 else code}
        if len(parts) > 2 and parts[2]:
            labels["en"] = parts[2]
        out.append((code, labels))
    return out


def format_choices(choices) -> str:
    return "\n".join(
        " | ".join([c.name, c.labels.get("de", ""), c.labels.get("en", "")]).rstrip(" |") for c in choices
    )


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Item.Kind.choices)
    parent = forms.TypedChoiceField(label=_("In section"), required=False, coerce=int, empty_value=None)
    name = forms.CharField(label=_("Variable name"), max_length=100,
                           help_text=_("Letters, digits and “_”; used in exports and in conditions as ${name}."))
    label_de = forms.CharField(label=_("Wording (German)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    label_en = forms.CharField(label=_("Wording (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    hint_de = forms.CharField(label=_("Help text (German)"), required=False)
    hint_en = forms.CharField(label=_("Help text (English)"), required=False)
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
    constraint_message_de = forms.CharField(label=_("Message if the rule fails (German)"), required=False)
    constraint_message_en = forms.CharField(label=_("Message if the rule fails (English)"), required=False)

    def __init__(self, *args, containers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("– top level –"))] + [(c.pk, f"{c.label} ({c.name})") for c in containers]

    def clean_choices(self):
        return parse_choices(self.cleaned_data.get("choices", ""))

    def clean(self):
        data = super().clean()
        if data.get("kind") not in (Item.Kind.GROUP, Item.Kind.REPEAT, Item.Kind.MATRIX) and not (
            data.get("label_de") or data.get("label_en")
        ):
            self.add_error("label_de", _("Give the wording in at least one language."))
        return data

    def item_fields(self) -> dict:
        d = self.cleaned_data
        labels = {k: v for k, v in (("de", d["label_de"]), ("en", d["label_en"])) if v}
        hints = {k: v for k, v in (("de", d["hint_de"]), ("en", d["hint_en"])) if v}
        msgs = {k: v for k, v in (("de", d["constraint_message_de"]), ("en", d["constraint_message_en"])) if v}
        return {
            "labels": labels, "hints": hints, "required": d["required"], "relevant": d["relevant"].strip(),
            "constraint": d["constraint"].strip(), "constraint_messages": msgs, "allow_other": d["allow_other"],
            "randomize": d["randomize"], "unit": d["unit"], "min_value": d["min_value"], "max_value": d["max_value"],
            "repeat_count": d["repeat_count"],
        }

    @staticmethod
    def initial_for(item: Item, choices) -> dict:
        return {
            "kind": item.kind, "parent": item.parent_id, "name": item.name, "label_de": item.labels.get("de", ""),
            "label_en": item.labels.get("en", ""), "hint_de": item.hints.get("de", ""), "hint_en": item.hints.get("en", ""),
            "required": item.required, "choices": format_choices(choices), "allow_other": item.allow_other,
            "randomize": item.randomize, "unit": item.unit, "min_value": item.min_value, "max_value": item.max_value,
            "repeat_count": item.repeat_count, "relevant": item.relevant, "constraint": item.constraint,
            "constraint_message_de": item.constraint_messages.get("de", ""),
            "constraint_message_en": item.constraint_messages.get("en", ""),
        }


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSForm file (.xlsx)"))
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
