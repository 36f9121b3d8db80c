from django import forms
from django.utils.translation import gettext_lazy as _


class SynonymForm(forms.Form):
    terms = forms.CharField(
        label=_("Words that mean the same"), max_length=500,
        help_text=_("Two or more words or short phrases, separated by commas, e.g. Obdachlose, Wohnungslose."),
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)
