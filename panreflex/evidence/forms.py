from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from panreflex.accounts import access
from panreflex.accounts.models import Organisation
from panreflex.taxonomy.models import Term, Vocabulary

from .models import Insight, InsightSource


class InsightForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(),
                                          help_text=_("The organisation that owns and maintains this insight."))

    class Meta:
        model = Insight
        fields = ["statement", "kind", "themes", "phase", "organisations_concerned", "visibility"]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "themes": forms.CheckboxSelectMultiple,
        }
        help_texts = {"statement": _("One identified lesson, stated as a sentence.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Term.objects.of(Vocabulary.THEME)
        self.fields["phase"].queryset = Term.objects.of(Vocabulary.PHASE)
        self.fields["organisations_concerned"].queryset = Organisation.objects.order_by("name")
        self.fields["organisations_concerned"].required = False
        if self.instance.pk:
            del self.fields["organisation"]
        else:
            orgs = access.editable_organisations(user).order_by("name")
            self.fields["organisation"].queryset = orgs
            own = orgs.filter(pk__in=access.organisation_ids(user)).first()
            if own:
                self.fields["organisation"].initial = own.pk
            self.order_fields(["organisation"])


class SourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of source"), choices=InsightSource.Kind.choices)
    practice = forms.ModelChoiceField(
        label=_("Practice example"), queryset=None, required=False,
        help_text=_("Only for the kind “practice example”."),
    )
    object_id = forms.IntegerField(
        label=_("Number of the workshop or workshop card"), required=False, min_value=1,
        help_text=_("Only for the kinds “workshop” and “workshop card”."),
    )
    label = forms.CharField(label=_("Label"), max_length=300, required=False,
                            help_text=_("E.g. the title of a document; filled in for linked objects when empty."))
    url = forms.CharField(label=_("Address (URL)"), max_length=1000, required=False)
    quote = forms.CharField(label=_("Quote"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("The passage the insight rests on, word for word."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from panreflex.practices.models import Practice

        self.fields["practice"].queryset = access.filter_visible(user, Practice.objects.all()).order_by("title")

    def clean_url(self):
        url = (self.cleaned_data.get("url") or "").strip()
        if url and not (url.startswith(("https://", "http://", "/"))):
            raise forms.ValidationError(_("Enter an address starting with https://, http:// or /."))
        return url

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == InsightSource.Kind.PRACTICE:
            if not data.get("practice"):
                self.add_error("practice", _("Choose the practice example this insight rests on."))
        elif kind in (InsightSource.Kind.WORKSHOP, InsightSource.Kind.WORKSHOP_CARD):
            if not data.get("object_id") and not data.get("label"):
                self.add_error("object_id", _("Give the number of the workshop or card, or a label."))
        elif not (data.get("label") or "").strip():
            self.add_error("label", _("Give a label for this source."))
        return data

    def source(self) -> dict:
        d = self.cleaned_data
        object_id = d["practice"].pk if d.get("practice") and d["kind"] == InsightSource.Kind.PRACTICE else d.get("object_id")
        if d["kind"] not in (InsightSource.Kind.PRACTICE, InsightSource.Kind.WORKSHOP, InsightSource.Kind.WORKSHOP_CARD):
            object_id = None
        return {"kind": d["kind"], "object_id": object_id, "label": d.get("label", ""), "url": d.get("url", ""),
                "quote": d.get("quote", "")}


class MergeForm(forms.Form):
    duplicates = forms.ModelMultipleChoiceField(
        label=_("Duplicates to merge into this insight"), queryset=Insight.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicates"].queryset = candidates


class SplitForm(forms.Form):
    statement = forms.CharField(label=_("Statement of the new insight"), max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("Kind"), choices=Insight.Kind.choices)
    sources = forms.ModelMultipleChoiceField(
        label=_("Sources that move to the new insight"), queryset=InsightSource.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, insight, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = insight.sources.all()
        self.fields["kind"].initial = insight.kind


class LearnedForm(forms.Form):
    action_item = forms.ModelChoiceField(
        label=_("Done action item"), queryset=None, required=False,
        help_text=_("An action item of the improvement plan that implemented the change."),
    )
    evidence = forms.CharField(
        label=_("Exercise result or document"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Describe how the change was shown to work, e.g. the result of an exercise or a document."),
    )

    def __init__(self, *args, insight, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        from panreflex.improvements.models import ActionItem

        self.fields["action_item"].queryset = ActionItem.objects.filter(
            Q(organisation_id=insight.organisation_id) | Q(responsible_organisation_id=insight.organisation_id)
        ).order_by("-updated_at")


class InsightFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("all")), *Insight.Kind.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("all")), *Insight.Status.choices])
    theme = forms.ModelChoiceField(label=_("Focus theme"), required=False, queryset=Term.objects.none(),
                                   empty_label=_("all"))
    phase = forms.ModelChoiceField(label=_("Crisis phase"), required=False, queryset=Term.objects.none(),
                                   empty_label=_("all"))
    source = forms.ChoiceField(label=_("Kind of source"), required=False,
                               choices=[("", _("all")), *InsightSource.Kind.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = Term.objects.of(Vocabulary.THEME)
        self.fields["phase"].queryset = Term.objects.of(Vocabulary.PHASE)

    def filters(self):
        from .selectors import InsightFilters

        if not self.is_valid():
            return InsightFilters()
        d = self.cleaned_data
        return InsightFilters(query=(d.get("q") or "").strip(), kind=d.get("kind") or "", status=d.get("status") or "",
                              theme=d["theme"].pk if d.get("theme") else None,
                              phase=d["phase"].pk if d.get("phase") else None, source_kind=d.get("source") or "")


# --- recommendations ------------------------------------------------------------------------------
class RecommendationForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none(),
                                          help_text=_("The organisation that owns and maintains this recommendation."))
    addressees = forms.MultipleChoiceField(label=_("Addressees"), required=False,
                                           widget=forms.CheckboxSelectMultiple)

    class Meta:
        from .models import Recommendation

        model = Recommendation
        fields = ["title", "statement", "explanation", "addressees", "themes", "lever", "priority", "effort",
                  "preconditions", "steps", "related", "visibility"]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "explanation": forms.Textarea(attrs={"rows": 6}),
            "preconditions": forms.Textarea(attrs={"rows": 3}),
            "steps": forms.Textarea(attrs={"rows": 5}),
            "themes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        from .models import Addressee, Recommendation

        super().__init__(*args, **kwargs)
        self.fields["addressees"].choices = Addressee.choices
        self.fields["themes"].queryset = Term.objects.of(Vocabulary.THEME)
        self.fields["lever"].queryset = Term.objects.of(Vocabulary.LEVER)
        self.fields["lever"].required = True
        related = access.filter_visible(user, Recommendation.objects.all()).order_by("title")
        if self.instance.pk:
            related = related.exclude(pk=self.instance.pk)
            del self.fields["organisation"]
        else:
            orgs = access.editable_organisations(user).order_by("name")
            self.fields["organisation"].queryset = orgs
            own = orgs.filter(pk__in=access.organisation_ids(user)).first()
            if own:
                self.fields["organisation"].initial = own.pk
            self.order_fields(["organisation"])
        self.fields["related"].queryset = related
        self.fields["related"].required = False


class EvidenceLinkForm(forms.Form):
    insight = forms.ModelChoiceField(label=_("Insight"), queryset=None, required=False)
    practice = forms.ModelChoiceField(label=_("Practice example"), queryset=None, required=False)
    target = forms.ModelChoiceField(label=_("Recommendation it rests on"), queryset=None, required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500,
                           help_text=_("Why this evidence supports the recommendation (optional)."))

    def __init__(self, *args, user, recommendation, **kwargs):
        from panreflex.practices.models import Practice

        from .models import Recommendation

        super().__init__(*args, **kwargs)
        self.fields["insight"].queryset = access.filter_visible(
            user, Insight.objects.filter(merged_into__isnull=True)).order_by("statement")
        self.fields["practice"].queryset = access.filter_visible(user, Practice.objects.all()).order_by("title")
        self.fields["target"].queryset = access.filter_visible(
            user, Recommendation.objects.exclude(pk=recommendation.pk)).order_by("title")

    def clean(self):
        data = super().clean()
        chosen = [k for k in ("insight", "practice", "target") if data.get(k)]
        if len(chosen) != 1:
            raise forms.ValidationError(_("Choose exactly one insight, practice example or recommendation."))
        kind = {"insight": "insight", "practice": "practice", "target": "recommendation"}[chosen[0]]
        data["kind"], data["object_id"] = kind, data[chosen[0]].pk
        return data


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=())
    comment = forms.CharField(label=_("Comment"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = choices


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class FeedbackForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("For the organisation"), queryset=Organisation.objects.none())
    answer = forms.ChoiceField(label=_("Status in your organisation"), widget=forms.RadioSelect, choices=())
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    create_action_item = forms.BooleanField(
        label=_("Add it to our improvement plan as an action item (only for “planned”)"), required=False)

    def __init__(self, *args, organisations, **kwargs):
        from .models import Feedback

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["answer"].choices = Feedback.Answer.choices
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first().pk


class RecommendationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    lever = forms.ModelChoiceField(label=_("Lever"), required=False, queryset=Term.objects.none(), empty_label=_("all"))
    theme = forms.ModelChoiceField(label=_("Focus theme"), required=False, queryset=Term.objects.none(),
                                   empty_label=_("all"))
    addressee = forms.ChoiceField(label=_("Addressees"), required=False, choices=())
    status = forms.ChoiceField(label=_("Status"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        from .models import Addressee, Recommendation

        super().__init__(*args, **kwargs)
        self.fields["lever"].queryset = Term.objects.of(Vocabulary.LEVER)
        self.fields["theme"].queryset = Term.objects.of(Vocabulary.THEME)
        self.fields["addressee"].choices = [("", _("all")), *Addressee.choices]
        self.fields["status"].choices = [("", _("all")), *Recommendation.Status.choices]

    def filters(self):
        from .selectors import RecommendationFilters

        if not self.is_valid():
            return RecommendationFilters()
        d = self.cleaned_data
        return RecommendationFilters(query=(d.get("q") or "").strip(), lever=d["lever"].pk if d.get("lever") else None,
                                     theme=d["theme"].pk if d.get("theme") else None, status=d.get("status") or "",
                                     addressee=d.get("addressee") or "")


# --- handbook -------------------------------------------------------------------------------------
class EditionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    introduction = forms.CharField(label=_("Introduction (Markdown)"), required=False, max_length=50_000,
                                   widget=forms.Textarea(attrs={"rows": 8}))
    copy_from = forms.ModelChoiceField(label=_("Start from the edition"), required=False, queryset=None,
                                       help_text=_("Copies its chapters and their order into the new draft."))

    def __init__(self, *args, with_copy: bool = True, **kwargs):
        from .models import HandbookEdition

        super().__init__(*args, **kwargs)
        if with_copy:
            self.fields["copy_from"].queryset = HandbookEdition.objects.filter(status="published").order_by("-number")
        else:
            del self.fields["copy_from"]


class ChapterForm(forms.Form):
    title = forms.CharField(label=_("Chapter title"), max_length=200)
    introduction = forms.CharField(label=_("Chapter introduction (Markdown)"), required=False, max_length=20_000,
                                   widget=forms.Textarea(attrs={"rows": 3}))
