from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from panreflex.accounts.models import Organisation, User
from panreflex.taxonomy.models import Term, Vocabulary

from .models import ActionItem
from .selectors import PlanFilters


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ActionItemForm(forms.ModelForm):
    """The editor's form: the HSEEP improvement plan columns plus status, progress and notes."""

    class Meta:
        model = ActionItem
        fields = [
            "title", "description", "capability", "theme", "responsible_organisation", "responsible_person",
            "responsible_user", "point_of_contact", "start_date", "due_date", "status", "progress", "notes",
            "visibility",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput(),
            "due_date": DateInput(),
            "progress": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
        }
        help_texts = {
            "title": _("What is to be done, as one clear sentence."),
            "progress": _("0 to 100 percent. Done items count as 100 percent."),
        }

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Term.objects.of(Vocabulary.THEME)
        self.fields["responsible_organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["responsible_user"].queryset = User.objects.filter(
            memberships__organisation=organisation, is_active=True
        ).order_by("full_name", "email")
        self.fields["responsible_user"].help_text = _(
            "A member of the organisation. This person may update status and progress and gets the reminders."
        )
        self.fields["progress"].max_value = 100

    def clean(self):
        data = super().clean()
        start, due = data.get("start_date"), data.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", pgettext_lazy("improvements", "The completion date must not be before the start date."))
        return data


class ProgressForm(forms.Form):
    """The responsible person's update."""

    status = forms.ChoiceField(label=_("status"), choices=ActionItem.Status.choices)
    progress = forms.IntegerField(
        label=_("progress (%)"), min_value=0, max_value=100,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
    )
    notes = forms.CharField(label=_("notes"), required=False, max_length=10_000,
                            widget=forms.Textarea(attrs={"rows": 4}))


STATUS_FILTER = [("", _("all")), ("active", _("open or in progress")), *ActionItem.Status.choices]
SORT_CHOICES = [
    ("due", _("due date (earliest first)")),
    ("-due", _("due date (latest first)")),
    ("title", _("corrective action (A–Z)")),
    ("status", _("status")),
    ("progress", _("progress (lowest first)")),
    ("-progress", _("progress (highest first)")),
    ("updated", _("last changed")),
]


class PlanFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTER, required=False)
    theme = forms.ModelChoiceField(label=_("Focus theme"), queryset=Term.objects.none(), required=False,
                                   empty_label=_("all"))
    source = forms.ChoiceField(label=_("Source"), choices=[("", _("all")), *ActionItem.SourceKind.choices],
                               required=False)
    responsible = forms.ChoiceField(label=_("Responsible"), required=False)
    due_from = forms.DateField(label=_("Due from"), required=False, widget=DateInput())
    due_to = forms.DateField(label=_("Due until"), required=False, widget=DateInput())
    overdue = forms.BooleanField(label=_("only overdue"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Term.objects.of(Vocabulary.THEME)
        self.fields["responsible"].choices = [
            ("", _("all")), ("me", _("me")),
            *[(f"org:{o.pk}", o.name) for o in Organisation.objects.order_by("name").only("pk", "name")],
        ]

    def clean(self):
        data = super().clean()
        if data.get("due_from") and data.get("due_to") and data["due_to"] < data["due_from"]:
            raise forms.ValidationError(_("The end of the due range must not be before its start."))
        return data

    def filters(self) -> PlanFilters:
        if not self.is_valid():
            return PlanFilters()
        d = self.cleaned_data
        return PlanFilters(
            status=d.get("status") or "", theme=d["theme"].pk if d.get("theme") else None,
            source=d.get("source") or "", responsible=d.get("responsible") or "",
            due_from=d.get("due_from"), due_to=d.get("due_to"), overdue=bool(d.get("overdue")),
            query=(d.get("q") or "").strip(), sort=d.get("sort") or "due",
        )
