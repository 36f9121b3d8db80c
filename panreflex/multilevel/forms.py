from __future__ import annotations

from django import forms
from django.db.models import Case, Value, When
from django.utils.translation import gettext_lazy as _

from panreflex.accounts.models import Visibility
from panreflex.places.models import Place
from panreflex.taxonomy.models import Term, Vocabulary

from .documents import event_document_check
from .models import ACTOR_LEVELS, Actor, Event, EventLink, Level, NavigatorEntry, Relation, Topic

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LOCAL_LEVELS = [(c.value, c.label) for c in Level if c != Level.NATIONAL]
OWN_VISIBILITY = [(c.value, c.label) for c in Visibility if c != Visibility.PUBLIC]


class OrganisationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class EventForm(forms.ModelForm):
    level = forms.ChoiceField(label=_("level"), choices=LOCAL_LEVELS)
    visibility = forms.ChoiceField(label=_("visibility"), choices=OWN_VISIBILITY)

    class Meta:
        model = Event
        fields = ["title", "level", "kind", "topic", "legal_basis", "date_announced", "date_in_force", "date_end",
                  "source_ref", "source_url", "note", "visibility"]
        widgets = {"date_announced": DATE, "date_in_force": DATE, "date_end": DATE, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"] = OrganisationChoice(label=_("organisation"), queryset=organisations,
                                                             empty_label=None)
            self.order_fields(["organisation", *self.Meta.fields])

    def _post_clean(self):  # validation is the service's job (dates, level)
        pass


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("title of the document"), max_length=200, required=False,
                            help_text=_("E.g. “Allgemeinverfügung vom 16.03.2020”. Empty: the file name."))
    file = forms.FileField(
        label=_("document"),
        help_text=_("PDF or an office file (Word, Excel, PowerPoint, OpenDocument, RTF), at most 10 MB. "
                    "The type is checked by the file's content, not its name."),
        error_messages={"required": _("Choose the file to upload."),
                        "empty": _("The file is empty."),
                        "invalid": _("No file was sent; check the encoding type of the form.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.pptx,.odt,.ods,.odp,.doc,.xls,.ppt,.rtf"}))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        event_document_check(uploaded)
        return uploaded


class LinkForm(forms.Form):
    higher = forms.ModelChoiceField(label=_("higher rule"), queryset=Event.objects.none())
    kind = forms.ChoiceField(label=_("relation"), choices=EventLink.Kind.choices)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["higher"].queryset = candidates
        self.fields["higher"].label_from_instance = lambda e: f"{e.start:%d.%m.%Y} · {e.get_level_display()} · {e.title[:110]}"


class ReflectionForm(forms.ModelForm):
    """`insights` and `practices`: the policy-scoped rows the editor may see (the view passes them)."""

    class Meta:
        model = EventLink
        fields = ["improvised", "worked", "insights", "practices", "transfer", "transfer_to"]
        widgets = {**{f: forms.Textarea(attrs={"rows": 3}) for f in ["improvised", "worked", "transfer"]},
                   "insights": forms.SelectMultiple(attrs={"size": 6}),
                   "practices": forms.SelectMultiple(attrs={"size": 6}),
                   "transfer_to": forms.CheckboxSelectMultiple}

    def __init__(self, *args, insights, practices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insights"].queryset = insights
        self.fields["insights"].label_from_instance = lambda i: i.statement[:120]
        self.fields["practices"].queryset = practices
        self.fields["practices"].label_from_instance = lambda p: p.title[:120]
        self.fields["transfer_to"].queryset = Term.objects.of(Vocabulary.CRISIS_KIND).exclude(code="pandemic")

    def _post_clean(self):  # the service saves (and sets the links)
        pass


class SurveyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class ImportForm(forms.Form):
    """A file of measures or relations; for relations, instead of a file, the answers of a survey the
    user may change (`surveys`, scoped through the policy by the view)."""

    file = forms.FileField(label=_("File (CSV or XLSX)"))
    visibility = forms.ChoiceField(label=_("visibility"), choices=OWN_VISIBILITY)

    def __init__(self, *args, organisations, with_actors=False, surveys=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = OrganisationChoice(label=_("organisation"), queryset=organisations, empty_label=None)
        order = ["organisation", "file", "visibility"]
        if surveys is not None:
            self.fields["file"].required = False
            self.fields["survey"] = SurveyChoice(
                label=_("… or the answers of a survey"), queryset=surveys, required=False, empty_label=_("no survey"),
                help_text=_("Surveys whose answers you may read (those your organisation runs). Name the question "
                            "columns below."))
            order.insert(2, "survey")
        self.order_fields(order)
        if with_actors:
            self.fields["create_actors"] = forms.BooleanField(
                label=_("add actors that are not in the network yet (with the level and type of their row)"),
                required=False)

    def clean(self):
        data = super().clean()
        if "survey" in self.fields and not self.errors:
            if bool(data.get("file")) == bool(data.get("survey")):
                raise forms.ValidationError(_("Choose a file or a survey (one of them)."))
        return data


class MappingForm(forms.Form):
    """Optional column mapping for relations from another table (e.g. a survey's CSV export)."""

    target_column = forms.CharField(label=_("Column with the partner(s)"), required=False, max_length=200,
                                    help_text=_("Several partners in one cell may be separated by ; | or ,"))
    source_column = forms.CharField(label=_("Column with the actor who answered"), required=False, max_length=200)
    fixed_source = forms.CharField(label=_("… or one actor for all rows"), required=False, max_length=200)
    relation_column = forms.CharField(label=_("Column with the relation"), required=False, max_length=200)
    fixed_relation = forms.ChoiceField(label=_("… or one relation for all rows"), required=False,
                                       choices=[("", "–"), *Relation.Kind.choices])


class PlaceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_kind_display()})"


class ActorForm(forms.ModelForm):
    level = forms.ChoiceField(label=_("level"), choices=[(c.value, c.label) for c in ACTOR_LEVELS])
    visibility = forms.ChoiceField(label=_("visibility"), choices=OWN_VISIBILITY)
    place = PlaceChoice(label=_("seat"), required=False, queryset=Place.objects.none(),
                        help_text=_("Where the actor sits: the country, a state, a district or a municipality."))

    class Meta:
        model = Actor
        fields = ["name", "level", "kind", "place", "parent_body", "contact_role", "note", "visibility",
                  "contact_name", "contact_email", "contact_phone", "contact_consent_on", "contact_consent_note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2}), "contact_consent_on": DATE}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [Place.Kind.COUNTRY, Place.Kind.STATE, Place.Kind.DISTRICT, Place.Kind.MUNICIPALITY]
        rank = Case(*[When(kind=k, then=Value(i)) for i, k in enumerate(kinds)])
        self.fields["place"].queryset = Place.objects.filter(kind__in=kinds, country_code="DE").order_by(rank, "name")
        if organisations is not None:
            self.fields["organisation"] = OrganisationChoice(label=_("organisation"), queryset=organisations,
                                                             empty_label=None)
            self.order_fields(["organisation", *self.Meta.fields])

    def _post_clean(self):
        pass


class RelationForm(forms.Form):
    source = forms.ModelChoiceField(label=_("from"), queryset=Actor.objects.none())
    kind = forms.ChoiceField(label=_("relation"), choices=Relation.Kind.choices)
    target = forms.ModelChoiceField(label=_("to"), queryset=Actor.objects.none())
    topic = forms.ChoiceField(label=_("topic"), required=False, choices=[("", _("no particular topic")), *Topic.choices])
    valid_from = forms.DateField(label=_("valid from"), required=False, widget=DATE)
    valid_to = forms.DateField(label=_("valid until"), required=False, widget=DATE)
    source_ref = forms.CharField(label=_("source"), required=False, max_length=500)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    visibility = forms.ChoiceField(label=_("visibility"), choices=OWN_VISIBILITY)

    def __init__(self, *args, actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = actors
        self.fields["target"].queryset = actors


class NetworkFilterForm(forms.Form):
    level = forms.MultipleChoiceField(label=_("Levels"), required=False, choices=[(c.value, c.label) for c in ACTOR_LEVELS],
                                      widget=forms.CheckboxSelectMultiple)
    kind = forms.MultipleChoiceField(label=_("Relations"), required=False, choices=Relation.Kind.choices,
                                     widget=forms.CheckboxSelectMultiple)
    topic = forms.ChoiceField(label=_("Topic"), required=False, choices=[("", _("all topics")), *Topic.choices])
    valid_from = forms.DateField(label=_("Period from"), required=False, widget=DATE,
                                 error_messages={"invalid": _("Enter the start of the period as a date, e.g. 2021-03-01.")})
    valid_to = forms.DateField(label=_("Period to"), required=False, widget=DATE,
                               error_messages={"invalid": _("Enter the end of the period as a date, e.g. 2021-03-31.")})
    # one day, kept for old links: the same as a period from that day to that day
    on = forms.DateField(label=_("valid on"), required=False, widget=forms.HiddenInput,
                         error_messages={"invalid": _("Enter the day as a date, e.g. 2021-03-01.")})

    def clean(self):
        data = super().clean()
        start, end, on = data.get("valid_from"), data.get("valid_to"), data.get("on")
        if on and not (start or end):
            data["valid_from"] = data["valid_to"] = start = end = on
        if start and end and end < start:
            self.add_error("valid_to", _("The end of the period (%(end)s) lies before its start (%(start)s).") % {
                "end": end.strftime("%d.%m.%Y"), "start": start.strftime("%d.%m.%Y")})
        return data


class EventFilterForm(forms.Form):
    level = forms.MultipleChoiceField(label=_("Levels"), required=False, choices=Level.choices,
                                      widget=forms.CheckboxSelectMultiple)
    topic = forms.ChoiceField(label=_("Topic"), required=False, choices=[("", _("all topics")), *Topic.choices])


class TransferFilterForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic of the measure"), required=False,
                              choices=[("", _("all topics")), *Topic.choices])
    kind = forms.ChoiceField(label=_("Relation to the higher rule"), required=False,
                             choices=[("", _("all")), *EventLink.Kind.choices])
    crisis = forms.ChoiceField(label=_("Would transfer to"), required=False, choices=[])
    reflected = forms.BooleanField(label=_("only links with a reflection"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crisis"].choices = [("", _("any crisis")), *[
            (t.code, t.label) for t in Term.objects.of(Vocabulary.CRISIS_KIND).exclude(code="pandemic")]]


class NavigatorEntryForm(forms.ModelForm):
    class Meta:
        model = NavigatorEntry
        fields = ["topic", "period_start", "period_end", "deciding_level", "implementing_level", "legal_basis",
                  "summary", "events", "is_published"]
        widgets = {"period_start": DATE, "period_end": DATE, "summary": forms.Textarea(attrs={"rows": 4}),
                   "events": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].queryset = events
        self.fields["events"].label_from_instance = lambda e: f"{e.start:%d.%m.%Y} · {e.get_level_display()} · {e.title[:100]}"

    def _post_clean(self):
        pass
