"""Forms of practice examples. They validate input; the views pass cleaned data to the services."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from panreflex.accounts.models import Organisation
from panreflex.lib.uploads import check_upload
from panreflex.places.models import Place
from panreflex.taxonomy.models import Term

from .models import PRACTICE_VISIBILITY_CHOICES, Collection, Practice, PracticeReview
from .services import CONTENT_FIELDS, M2M_FIELDS


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month (YYYY-MM), stored as the first day of the month."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%m/%Y", "%m.%Y", "%Y-%m-%d"]
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, e.g. 2021-03.")}

    def to_python(self, value):
        result = super().to_python(value)
        return result.replace(day=1) if result else result


class TermChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class PlaceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        if obj.kind == Place.Kind.MUNICIPALITY:
            return f"{obj.name} ({obj.ags})"
        return str(obj)


def _terms(vocabulary: str):
    qs = Term.objects.of(vocabulary)
    if vocabulary == "subtopic":  # grouped by their focus theme
        return qs.order_by("parent__position", "parent__code", "position", "code")
    return qs.order_by("position", "code")


class PracticeForm(forms.ModelForm):
    """All fields of a practice example. Vocabularies as checkboxes, places as a multi-select."""

    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("organisation"),
                                          help_text=_("The organisation that owns and edits the example."))
    period_start = MonthField(label=_("start (month)"), required=False)
    period_end = MonthField(label=_("end (month)"), required=False, help_text=_("Leave empty if ongoing."))
    places = PlaceChoiceField(
        queryset=Place.objects.none(), required=False, label=_("municipalities or cities"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose several. International cities are listed with their country."),
    )
    themes = TermChoiceField(queryset=Term.objects.none(), required=False, label=_("focus themes"),
                             widget=forms.CheckboxSelectMultiple)
    subtopics = TermChoiceField(queryset=Term.objects.none(), required=False, label=_("subtopics"),
                                widget=forms.CheckboxSelectMultiple)
    phases = TermChoiceField(queryset=Term.objects.none(), required=False, label=_("crisis phases"),
                             widget=forms.CheckboxSelectMultiple)
    levels = TermChoiceField(queryset=Term.objects.none(), required=False, label=_("administrative levels"),
                             widget=forms.CheckboxSelectMultiple)
    target_groups = TermChoiceField(queryset=Term.objects.none(), required=False, label=_("target groups"),
                                    widget=forms.CheckboxSelectMultiple)
    innovation_kinds = TermChoiceField(queryset=Term.objects.none(), required=False, label=_("kind of innovation"),
                                       widget=forms.CheckboxSelectMultiple)
    actor_organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(), required=False, label=_("organisations involved"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Practice
        fields = [
            "organisation", "title", "title_en", "summary", "summary_en", "description", "places", "levels",
            "themes", "subtopics", "phases", "period_start", "period_end", "target_groups", "actor_organisations",
            "actors_text", "innovation_kinds", "challenge", "measures", "resources_staff", "resources_cost",
            "results", "went_well", "went_less_well", "transfer_crises", "transfer_municipalities",
            "transfer_conditions", "adaptation_germany", "evidence_strength", "uncertainty_notes",
            "contact_name", "contact_email", "contact_consent", "visibility", "draft_shared",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 10}),
            "actors_text": forms.Textarea(attrs={"rows": 3}),
            "visibility": forms.RadioSelect,
            **{name: forms.Textarea(attrs={"rows": 4}) for name in (
                "challenge", "measures", "results", "went_well", "went_less_well", "transfer_crises",
                "transfer_municipalities", "transfer_conditions", "adaptation_germany", "uncertainty_notes")},
        }
        help_texts = {
            "description": _("Markdown: **bold**, *italic*, lists with “- ”, links as [text](https://…). "
                             "HTML is not allowed and is shown as text."),
            "uncertainty_notes": _("What is not certain: missing figures, sources that contradict each other."),
            "contact_consent": _("Only then are name and e-mail shown on the example."),
        }

    FIELDSETS = [
        (_("Overview"), ["organisation", "title", "summary", "title_en", "summary_en", "visibility",
                          "draft_shared"]),
        (_("Where and when"), ["places", "levels", "period_start", "period_end"]),
        (_("Classification"), ["themes", "subtopics", "phases", "target_groups", "innovation_kinds"]),
        (_("Description"), ["description", "challenge", "measures", "actor_organisations", "actors_text"]),
        (_("Resources and results"), ["resources_staff", "resources_cost", "results", "went_well", "went_less_well"]),
        (_("Transferability"), ["transfer_crises", "transfer_municipalities", "transfer_conditions",
                                "adaptation_germany"]),
        (_("Evidence"), ["evidence_strength", "uncertainty_notes"]),
        (_("Contact person"), ["contact_name", "contact_email", "contact_consent"]),
    ]

    def __init__(self, *args, organisations=None, fix_organisation: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations if organisations is not None else Organisation.objects.all()
        if fix_organisation:
            del self.fields["organisation"]
        self.fields["places"].queryset = Place.objects.filter(
            kind__in=[Place.Kind.MUNICIPALITY, Place.Kind.CITY, Place.Kind.STATE, Place.Kind.COUNTRY]
        ).order_by("country_code", "name")
        for name, vocabulary in (("themes", "theme"), ("subtopics", "subtopic"), ("phases", "phase"),
                                 ("levels", "level"), ("target_groups", "target_group"),
                                 ("innovation_kinds", "innovation_kind")):
            self.fields[name].queryset = _terms(vocabulary)
        self._group_subtopics()
        self.fields["evidence_strength"].queryset = _terms("evidence_strength")
        self.fields["evidence_strength"].label_from_instance = lambda t: t.label
        self.fields["actor_organisations"].queryset = Organisation.objects.order_by("name")
        self.fields["visibility"].choices = PRACTICE_VISIBILITY_CHOICES

    def _group_subtopics(self):
        """Show subtopics grouped under their focus theme (validation still uses the queryset)."""
        groups: dict[str, list] = {}
        for term in self.fields["subtopics"].queryset.select_related("parent"):
            parent = term.parent.label if term.parent else ""
            groups.setdefault(parent, []).append((term.pk, term.label))
        self.fields["subtopics"].choices = list(groups.items())

    def fieldsets(self):
        return [(legend, [self[n] for n in names if n in self.fields]) for legend, names in self.FIELDSETS]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end month must not be before the start month."))
        if start and start > datetime.date.today().replace(day=1) + datetime.timedelta(days=400):
            self.add_error("period_start", _("The start month lies too far in the future."))
        return cleaned

    def _post_clean(self):
        """Model validation happens in the service (practice_create/practice_edit)."""

    def service_arguments(self) -> tuple[dict, dict]:
        data = {n: self.cleaned_data[n] for n in CONTENT_FIELDS if n in self.cleaned_data}
        m2m = {n: list(self.cleaned_data[n]) for n in M2M_FIELDS if n in self.cleaned_data}
        return data, m2m


class SourceForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=500, required=False)
    url = forms.URLField(label=_("address"), max_length=1000, required=False, assume_scheme="https")
    published_on = forms.DateField(label=_("date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    accessed_on = forms.DateField(label=_("accessed on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("title") and (cleaned.get("url") or cleaned.get("published_on")):
            self.add_error("title", _("Give the source a title."))
        return cleaned


class GoodPracticeForm(forms.Form):
    criterion = forms.CharField(label=_("criterion"), max_length=200, required=False)
    justification = forms.CharField(label=_("short justification"), max_length=1000, required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("justification") and not cleaned.get("criterion"):
            self.add_error("criterion", _("Name the criterion that this justification belongs to."))
        return cleaned


SourceFormSet = forms.formset_factory(SourceForm, extra=2, max_num=30, validate_max=True, can_delete=True)
GoodPracticeFormSet = forms.formset_factory(GoodPracticeForm, extra=2, max_num=15, validate_max=True, can_delete=True)


def sources_from(formset) -> list[dict]:
    return [
        {k: f.cleaned_data.get(k) for k in ("title", "url", "published_on", "accessed_on")}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("title")
    ]


def criteria_from(formset) -> list[dict]:
    return [
        {"criterion": f.cleaned_data["criterion"], "justification": f.cleaned_data.get("justification", "")}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("criterion")
    ]


def review_field_choices():
    choices = [("", _("— whole example —"))]
    for name in ("title", "summary", "description", "places", "themes", "subtopics", "phases", "period_start",
                 "period_end", "target_groups", "innovation_kinds", "challenge", "measures", "results",
                 "went_well", "went_less_well", "transfer_crises", "transfer_municipalities",
                 "transfer_conditions", "adaptation_germany", "evidence_strength", "uncertainty_notes",
                 "contact_name", "visibility"):
        choices.append((name, str(Practice._meta.get_field(name).verbose_name).capitalize()))
    choices += [("sources", _("Sources")), ("good_practice", _("Characteristics of good practice")),
                ("attachments", _("Attachments"))]
    return choices


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), choices=PracticeReview.Decision.choices, widget=forms.RadioSelect)
    summary = forms.CharField(label=_("overall comment"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))


class ReviewCommentForm(forms.Form):
    field = forms.ChoiceField(label=_("field"), choices=review_field_choices, required=False)
    text = forms.CharField(label=_("comment"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


ReviewCommentFormSet = forms.formset_factory(ReviewCommentForm, extra=3, max_num=30, validate_max=True)


def comments_from(formset) -> list[tuple[str, str]]:
    return [
        (f.cleaned_data.get("field") or "", f.cleaned_data["text"])
        for f in formset.forms
        if f.cleaned_data and f.cleaned_data.get("text", "").strip()
    ]


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    file = forms.FileField(label=_("file"), help_text=_("PDF or image (PNG, JPEG, WebP, GIF)."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.webp,.gif"}))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        try:
            check_upload(uploaded)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return uploaded


class CollectionForm(forms.ModelForm):
    class Meta:
        model = Collection
        fields = ["title", "description", "is_shared"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"is_shared": _("Everyone with the link can open the collection; they only see the examples "
                                     "that they may see anyway.")}


class AddToCollectionForm(forms.Form):
    collection = forms.ModelChoiceField(queryset=Collection.objects.none(), label=_("collection"), required=False,
                                        empty_label=_("— new collection —"))
    new_title = forms.CharField(label=_("title of the new collection"), max_length=200, required=False)
    note = forms.CharField(label=_("note"), max_length=500, required=False,
                           help_text=_("Optional: why this example belongs in the collection."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collection"].queryset = Collection.objects.filter(owner=user) if user else Collection.objects.none()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("collection") and not (cleaned.get("new_title") or "").strip():
            self.add_error("new_title", _("Choose a collection or give the new collection a title."))
        return cleaned


class CompareForm(forms.Form):
    ids = forms.CharField(required=False)

    def practice_ids(self) -> list[int]:
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        out = []
        for value in raw:
            for part in str(value).split(","):
                if part.strip().isdigit():
                    out.append(int(part))
        return list(dict.fromkeys(out))[:20]
