"""Forms of the communication app. Every choice of restricted content is scoped through the policy."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from panreflex.accounts import access
from panreflex.accounts.models import User
from panreflex.taxonomy.models import Term, Vocabulary

from . import cap
from .models import (
    LANGUAGES,
    Channel,
    CommunicationPlan,
    Message,
    MessageTemplate,
    Multiplier,
    Phase,
    PlanAudience,
    PlanMember,
    Rumour,
    Variant,
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PlanForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(label=_("languages"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple,
                                          help_text=_("The languages this plan prepares messages in."))
    note_potential = forms.CharField(label=Phase.POTENTIAL.label, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note_latent = forms.CharField(label=Phase.LATENT.label, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note_acute = forms.CharField(label=Phase.ACUTE.label, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note_post = forms.CharField(label=Phase.POST.label, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = CommunicationPlan
        fields = ["title", "crisis_kind", "current_phase", "languages", "dark_site_title", "dark_site_text", "visibility"]
        widgets = {"dark_site_text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crisis_kind"].queryset = Term.objects.of(Vocabulary.CRISIS_KIND)
        if self.instance.pk:
            for phase in Phase.values:
                self.fields[f"note_{phase}"].initial = (self.instance.phase_notes or {}).get(phase, "")
        else:
            self.fields["languages"].initial = ["de"]

    def service_data(self) -> dict:
        data = {f: self.cleaned_data[f] for f in self.Meta.fields}
        data["phase_notes"] = {p: self.cleaned_data[f"note_{p}"] for p in Phase.values if self.cleaned_data[f"note_{p}"]}
        return data


class AudienceForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind of audience"), choices=PlanAudience.Kind.choices)
    group = forms.ModelChoiceField(label=_("vulnerable group"), queryset=None, required=False,
                                   help_text=_("Only for the kind “target group from the catalogue”."))
    name = forms.CharField(label=_("name"), max_length=200, required=False,
                           help_text=_("Empty: the name of the group or of the kind."))
    channels = forms.MultipleChoiceField(label=_("channels"), choices=Channel.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(label=_("languages"), choices=(), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    needs_plain = forms.BooleanField(label=_("needs plain language"), required=False)
    needs_easy = forms.BooleanField(label=_("needs Leichte Sprache"), required=False)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, plan: CommunicationPlan, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import catalogue_groups

        ids = [g.pk for g in catalogue_groups(viewer=user, organisation=plan.organisation)]
        from panreflex.vulnerability.models import VulnerableGroup

        self.fields["group"].queryset = access.filter_visible(user, VulnerableGroup.objects.filter(pk__in=ids)).order_by("name")
        names = dict(LANGUAGES)
        self.fields["languages"].choices = [(c, names.get(c, c)) for c in plan.languages]

    def clean(self):
        data = super().clean()
        if data.get("kind") == PlanAudience.Kind.GROUP and not data.get("group"):
            self.add_error("group", _("Choose the group from the catalogue."))
        return data


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("person"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("role"), choices=PlanMember.Role.choices)
    responsibility = forms.CharField(label=_("responsibility"), max_length=200, required=False)

    def __init__(self, *args, plan: CommunicationPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            memberships__organisation=plan.organisation, is_active=True).order_by("full_name", "email")


class MultiplierForm(forms.ModelForm):
    class Meta:
        model = Multiplier
        fields = ["organisation_name", "role", "audiences", "contact_person", "contact_details", "consent_at",
                  "consent_note"]
        widgets = {"audiences": forms.CheckboxSelectMultiple, "consent_at": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"contact_person": _("Only with recorded consent (date below).")}

    def __init__(self, *args, plan: CommunicationPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audiences"].queryset = plan.audiences.all()

    def clean(self):
        data = super().clean()
        if (data.get("contact_person") or data.get("contact_details")) and not data.get("consent_at"):
            self.add_error("consent_at", _("Personal contact data may only be stored with recorded consent."))
        return data

    def _post_clean(self):  # the service validates the model (the plan is set there)
        pass


class MessageForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("communication plan"), queryset=CommunicationPlan.objects.none())
    audience = forms.ModelChoiceField(label=_("audience"), queryset=PlanAudience.objects.none(), required=False)
    title = forms.CharField(label=_("title"), max_length=200)
    phase = forms.ChoiceField(label=_("phase"), choices=Phase.choices, initial=Phase.ACUTE)
    language = forms.ChoiceField(label=_("language"), choices=LANGUAGES, initial="de")
    headline = forms.CharField(label=_("headline"), max_length=200, required=False)
    text = forms.CharField(label=_("text"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, user, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        plans = access.filter_visible(user, CommunicationPlan.objects.filter(
            organisation_id__in=access.organisation_ids(user))).order_by("title")
        self.fields["plan"].queryset = plans
        self.fields["audience"].queryset = PlanAudience.objects.filter(plan__in=plans).select_related("plan")
        if plan is not None:
            self.fields["plan"].initial = plan.pk
            self.fields["audience"].queryset = plan.audiences.all()

    def clean(self):
        data = super().clean()
        plan, audience = data.get("plan"), data.get("audience")
        if plan and audience and audience.plan_id != plan.pk:
            self.add_error("audience", _("Choose an audience of this plan."))
        return data


class VersionForm(forms.Form):
    language = forms.ChoiceField(label=_("language"), choices=LANGUAGES)
    variant = forms.ChoiceField(label=_("variant"), choices=Variant.choices)
    headline = forms.CharField(label=_("headline"), max_length=200, required=False)
    text = forms.CharField(label=_("text"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 10}))


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=Message.Status.choices)
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class AlertImportForm(forms.Form):
    file = forms.FileField(label=_("CAP file (XML)"))


CATEGORY_CHOICES = [(c, c) for c in cap.CATEGORIES]


class AlertForm(forms.Form):
    """The alert-level fields and the area of a composed CAP alert."""

    status = forms.ChoiceField(label=_("status"), choices=[(s, s) for s in cap.STATUSES], initial="Actual")
    scope = forms.ChoiceField(label=_("scope"), choices=[(s, s) for s in cap.SCOPES], initial="Public")
    sender = forms.CharField(label=_("sender"), max_length=250, required=False,
                             help_text=_("Empty: the organisation's sender address on this platform."))
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    area_desc = forms.CharField(label=_("area description"), max_length=500)
    area_source = forms.ChoiceField(label=_("take the area from"), required=False, choices=())
    polygon = forms.CharField(
        label=_("polygon (latitude,longitude pairs)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Pairs “latitude,longitude” separated by spaces; the last point repeats the first. "
                    "Filled from the boundary chosen above or drawn on the map."),
    )

    def __init__(self, *args, area_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area_source"].choices = [("", _("(drawn or typed)")), *area_choices]

    def clean_polygon(self):
        text = self.cleaned_data["polygon"].strip()
        if not text:
            return None
        try:
            return cap.parse_polygon(text)
        except cap.CapError as exc:
            raise forms.ValidationError(str(exc)) from exc


class InfoForm(forms.Form):
    language = forms.ChoiceField(label=_("language"), choices=[("de-DE", _("German")), ("en-GB", _("English")),
                                                              ("tr-TR", _("Turkish")), ("ar", _("Arabic")),
                                                              ("uk-UA", _("Ukrainian")), ("ru-RU", _("Russian"))],
                                 initial="de-DE")
    categories = forms.MultipleChoiceField(label=_("category"), choices=CATEGORY_CHOICES, initial=["Met"],
                                           widget=forms.CheckboxSelectMultiple)
    event = forms.CharField(label=_("event"), max_length=250)
    urgency = forms.ChoiceField(label=_("urgency"), choices=[(c, c) for c in cap.URGENCIES], initial="Expected")
    severity = forms.ChoiceField(label=_("severity"), choices=[(c, c) for c in cap.SEVERITIES], initial="Moderate")
    certainty = forms.ChoiceField(label=_("certainty"), choices=[(c, c) for c in cap.CERTAINTIES], initial="Likely")
    headline = forms.CharField(label=_("headline"), max_length=250, required=False)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    instruction = forms.CharField(label=_("instruction"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sender_name = forms.CharField(label=_("sender name"), max_length=250, required=False)
    web = forms.URLField(label=_("web"), required=False, assume_scheme="https")
    contact = forms.CharField(label=_("contact"), max_length=250, required=False)
    onset = forms.DateTimeField(label=_("onset"), required=False, widget=DateTimeInput(),
                                input_formats=["%Y-%m-%dT%H:%M"])
    expires = forms.DateTimeField(label=_("expires"), required=False, widget=DateTimeInput(),
                                  input_formats=["%Y-%m-%dT%H:%M"])

    def service_data(self) -> dict:
        d = self.cleaned_data
        return {"language": d["language"], "categories": d["categories"], "event": d["event"], "urgency": d["urgency"],
                "severity": d["severity"], "certainty": d["certainty"], "headline": d["headline"],
                "description": d["description"], "instruction": d["instruction"], "senderName": d["sender_name"],
                "web": d["web"], "contact": d["contact"], "onset": d["onset"], "expires": d["expires"]}


# One more block than given: an untouched extra block is left out (every field starts at its initial value).
InfoFormSet = forms.formset_factory(InfoForm, extra=1, min_num=1, validate_min=True, max_num=6)


class RumourForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(label=_("channels"), choices=Channel.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Rumour
        fields = ["category", "claim", "first_seen_at", "first_seen_where", "channels", "reach", "groups",
                  "audiences_note", "likelihood", "harm", "fact_check", "sources", "response", "status"]
        widgets = {"claim": forms.Textarea(attrs={"rows": 3}), "fact_check": forms.Textarea(attrs={"rows": 3}),
                   "sources": forms.Textarea(attrs={"rows": 2}), "first_seen_at": DateTimeInput(),
                   "groups": forms.CheckboxSelectMultiple,
                   "likelihood": forms.NumberInput(attrs={"min": 1, "max": 5}),
                   "harm": forms.NumberInput(attrs={"min": 1, "max": 5})}

    def __init__(self, *args, user, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        from panreflex.vulnerability.models import VulnerableGroup

        from .selectors import catalogue_groups

        ids = [g.pk for g in catalogue_groups(viewer=user, organisation=organisation)]
        self.fields["groups"].queryset = access.filter_visible(user, VulnerableGroup.objects.filter(pk__in=ids)).order_by("name")
        self.fields["response"].queryset = access.filter_visible(user, Message.objects.filter(
            organisation=organisation)).order_by("title")
        self.fields["first_seen_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
        if not self.instance.pk:
            self.fields["first_seen_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
            from django.urls import reverse

            self.fields["claim"].widget.attrs.update({  # duplicates proposed while typing (HTMX)
                "hx-post": reverse("communication:rumour_similar"), "hx-trigger": "input changed delay:500ms",
                "hx-target": "#similar-result", "hx-swap": "outerHTML", "hx-include": "[name=organisation]",
            })

    def _post_clean(self):  # the service validates (the organisation is set there)
        pass


class TemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = ["title", "crisis_kind", "audience_kind", "group", "phase", "language", "variant", "headline", "text",
                  "practices", "visibility"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8}), "practices": forms.SelectMultiple(attrs={"size": 6})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from panreflex.practices.models import Practice
        from panreflex.vulnerability.models import VulnerableGroup

        self.fields["crisis_kind"].queryset = Term.objects.of(Vocabulary.CRISIS_KIND)
        self.fields["group"].queryset = access.filter_visible(user, VulnerableGroup.objects.all()).order_by("name")
        self.fields["practices"].queryset = access.filter_visible(user, Practice.objects.all()).order_by("title")

    def _post_clean(self):  # the service validates (the organisation is set there)
        pass


class TemplateFilterForm(forms.Form):
    q = forms.CharField(label=_("search"), required=False, max_length=200)
    crisis_kind = forms.ChoiceField(label=_("kind of crisis"), required=False, choices=())
    audience_kind = forms.ChoiceField(label=_("kind of audience"), required=False,
                                      choices=[("", _("all")), *PlanAudience.Kind.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crisis_kind"].choices = [("", _("all"))] + [
            (t.code, t.label) for t in Term.objects.of(Vocabulary.CRISIS_KIND)]


class UseTemplateForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("communication plan"), queryset=CommunicationPlan.objects.none())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = access.filter_visible(user, CommunicationPlan.objects.filter(
            organisation_id__in=access.organisation_ids(user, "editor"))).order_by("title")


class JargonFilterForm(forms.Form):
    q = forms.CharField(label=_("search"), required=False, max_length=100,
                        help_text=_("Part of the word or of the plainer alternative."))
    language = forms.ChoiceField(label=_("language"), required=False, choices=[("", _("all")), *LANGUAGES])


class JargonForm(forms.Form):
    """One word of the shared jargon list; the service checks it (one word, not yet on the list)."""

    word = forms.CharField(label=_("word"), max_length=100,
                           error_messages={"required": _("Enter the word the hints should flag."),
                                           "max_length": _("The word may have at most %(limit_value)d characters.")},
                           help_text=_("One word, as it appears in texts (e.g. “Hitzeereignis”). Upper and lower case "
                                       "do not matter."))
    language = forms.ChoiceField(label=_("language"), choices=LANGUAGES, initial="de",
                                 error_messages={"required": _("Choose the language of the word."),
                                                 "invalid_choice": _("Choose one of the listed languages.")})
    suggestion = forms.CharField(label=_("plainer alternative"), max_length=200, required=False,
                                 error_messages={"max_length": _("The alternative may have at most %(limit_value)d "
                                                                 "characters.")},
                                 help_text=_("Shown in the hint, e.g. “große Hitze”. Leave it empty if there is none."))
