"""Forms of the workshops domain (thin: parsing and labels; the rules live in services)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from panreflex.accounts import access
from panreflex.accounts.models import Organisation
from panreflex.evidence.models import Insight
from panreflex.taxonomy.models import Term, Vocabulary

from .models import FindingKind, Workshop, WorkshopTemplate

User = get_user_model()


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class UserChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.email})"


def parse_agenda(text: str) -> list[tuple[str, int]]:
    """Lines "Title | minutes" (minutes optional, default 15)."""
    items = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        title, _sep, minutes = line.partition("|")
        minutes = minutes.strip()
        if minutes and not minutes.isdigit():
            raise forms.ValidationError(
                _("Line %(n)s: the time box must be a whole number of minutes (e.g. “Welcome | 10”).") % {"n": number})
        items.append((title.strip(), int(minutes) if minutes else 15))
    return items


class WorkshopForm(forms.ModelForm):
    agenda_text = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One item per line: title | minutes, e.g. “Timeline of the crisis | 20”."),
    )
    online_url = forms.URLField(label=_("Link to the video meeting"), required=False, assume_scheme="https")
    facilitators = UserChoiceField(queryset=User.objects.none(), required=False, label=_("Facilitators"),
                                   widget=forms.CheckboxSelectMultiple)
    participants = UserChoiceField(
        queryset=User.objects.none(), required=False, label=_("Participants"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Members of the organisations involved. Guests without an account are invited by link after saving."),
    )

    class Meta:
        model = Workshop
        fields = ["organisation", "template", "title", "description", "themes", "organisations", "starts_at",
                  "ends_at", "mode", "location", "online_url", "facilitators", "participants", "allow_anonymous",
                  "votes_per_person", "visibility"]
        widgets = {
            "starts_at": DateTimeInput(), "ends_at": DateTimeInput(),
            "themes": forms.CheckboxSelectMultiple, "organisations": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        editable = access.editable_organisations(user)
        self.fields["organisation"].queryset = editable
        self.fields["organisation"].label = _("Organiser (owning organisation)")
        self.fields["template"].queryset = WorkshopTemplate.objects.filter(
            Q(organisation__isnull=True) | Q(organisation__in=editable))
        self.fields["themes"].queryset = Term.objects.of(Vocabulary.THEME).filter(parent__isnull=True)
        self.fields["organisations"].queryset = Organisation.objects.all()
        self.fields["organisations"].required = False
        org_ids = set(editable.values_list("pk", flat=True))
        people_q = Q(memberships__organisation__in=org_ids)
        if self.instance.pk:
            org_ids |= set(self.instance.organisations.values_list("pk", flat=True))
            people_q = Q(memberships__organisation__in=org_ids) | Q(workshops_joined=self.instance) | Q(
                workshops_facilitated=self.instance)
            self.fields.pop("organisation")
            self.fields.pop("template")
            self.initial["agenda_text"] = "\n".join(f"{a.title} | {a.minutes}" for a in self.instance.agenda.all())
        active = User.objects.filter(is_active=True)
        self.fields["participants"].queryset = active.filter(
            pk__in=active.filter(people_q).values("pk")).order_by("full_name", "email")
        self.fields["facilitators"].queryset = active.filter(
            pk__in=active.filter(people_q | Q(is_staff=True)).values("pk")).order_by("full_name", "email")
        self.fields["votes_per_person"].min_value = 1

    def clean_votes_per_person(self):
        n = self.cleaned_data["votes_per_person"]
        if not 1 <= n <= 50:
            raise forms.ValidationError(_("The number of votes per person must be between 1 and 50."))
        return n

    def clean_agenda_text(self):
        return parse_agenda(self.cleaned_data.get("agenda_text", ""))

    def clean_visibility(self):
        value = self.cleaned_data["visibility"]
        if value == "public" and not access.is_staff(self.user):
            raise forms.ValidationError(_("Workshops are shared at most with the network; reports are published "
                                          "by the project team."))
        return value

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The end must not be before the start."))
        orgs = set(data.get("organisations") or [])
        owner = data.get("organisation") or getattr(self.instance, "organisation", None)
        if owner is not None:
            orgs.add(owner)
        org_ids = {o.pk for o in orgs}
        outside = [u for u in data.get("participants") or []
                   if not u.memberships.filter(organisation_id__in=org_ids).exists()]
        if outside:
            self.add_error("participants", _("Not a member of an organisation involved: %(names)s. Add the "
                                             "organisation or invite the person as a guest.")
                           % {"names": ", ".join(u.display_name for u in outside)})
        return data


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    questions = forms.CharField(
        label=_("Questions (one board column each)"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One question per line: question | hint | kind. Kinds: strength, improvement, innovation, "
                    "open_question, note."),
    )
    phases = forms.CharField(label=_("Phases"), widget=forms.Textarea(attrs={"rows": 6}),
                             help_text=_("One phase per line: title | minutes."))

    @staticmethod
    def initial_for(template: WorkshopTemplate) -> dict:
        return {
            "name": template.name, "description": template.description,
            "questions": "\n".join(f"{q['title']} | {q.get('help', '')} | {q.get('finding', 'note')}"
                                   for q in template.questions),
            "phases": "\n".join(f"{p['title']} | {p.get('minutes', 0)}" for p in template.phases),
        }

    def clean_questions(self):
        out = []
        for number, line in enumerate(self.cleaned_data["questions"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            finding = parts[2] if len(parts) > 2 and parts[2] else FindingKind.NOTE
            if finding not in FindingKind.values:
                raise forms.ValidationError(_("Line %(n)s: unknown kind “%(kind)s”.") % {"n": number, "kind": finding})
            out.append({"title": parts[0], "help": parts[1] if len(parts) > 1 else "", "finding": finding})
        if not out:
            raise forms.ValidationError(_("A template needs at least one question."))
        return out

    def clean_phases(self):
        out = []
        for number, line in enumerate(self.cleaned_data["phases"].splitlines(), start=1):
            if not line.strip():
                continue
            title, _sep, minutes = line.partition("|")
            if minutes.strip() and not minutes.strip().isdigit():
                raise forms.ValidationError(_("Line %(n)s: minutes must be a whole number.") % {"n": number})
            out.append({"title": title.strip(), "minutes": int(minutes.strip() or 0)})
        if not out:
            raise forms.ValidationError(_("A template needs at least one phase."))
        return out


class CopyTemplateForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Copy for"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = access.editable_organisations(user)


class GuestInviteForm(forms.Form):
    name = forms.CharField(label=_("Name (optional)"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail address (optional)"), required=False,
                             help_text=_("With an address the invitation and the calendar entry are sent by e-mail."))
    valid_days = forms.IntegerField(label=_("Link valid for (days)"), min_value=1, max_value=60, initial=14)


class GuestJoinForm(forms.Form):
    name = forms.CharField(label=_("Your name as shown to the others"), max_length=150)
    consent = forms.BooleanField(
        label=_("I agree that my name and my contributions are stored for this workshop and its report."),
        required=False,
    )


def card_choices(workshop: Workshop):
    return [(c.pk, f"{c.column.title}: {c}") for c in workshop.cards.select_related("column").order_by(
        "column__position", "position", "id")]


class InsightForm(forms.Form):
    statement = forms.CharField(label=_("Insight (identified lesson)"), max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("Kind"), choices=Insight.Kind.choices)
    cards = forms.MultipleChoiceField(label=_("From these cards"), required=False, widget=forms.CheckboxSelectMultiple)
    visibility = forms.ChoiceField(label=_("Visibility"), choices=[("private", _("Private (own organisation)")),
                                                                   ("network", _("Network"))])

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cards"].choices = card_choices(workshop)


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Corrective action"), max_length=300)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    cards = forms.MultipleChoiceField(label=_("From these cards"), required=False, widget=forms.CheckboxSelectMultiple)
    capability = forms.CharField(label=_("Capability or area"), max_length=200, required=False)
    responsible_organisation = forms.ModelChoiceField(queryset=Organisation.objects.all(), required=False,
                                                      label=_("Responsible organisation"))
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=200, required=False)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DateInput())
    due_date = forms.DateField(label=_("Completion date (due)"), required=False, widget=DateInput())

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cards"].choices = card_choices(workshop)
        self.fields["responsible_organisation"].queryset = workshop.organisations.all()

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("due_date") and data["due_date"] < data["start_date"]:
            self.add_error("due_date", _("The completion date must not be before the start date."))
        return data
