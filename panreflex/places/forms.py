from django import forms
from django.utils.translation import gettext_lazy as _

from .services import validate_country_code


class CityForm(forms.Form):
    name = forms.CharField(label=_("Name of the city"), max_length=200)
    country_code = forms.CharField(
        label=_("Country (ISO code)"), max_length=2, min_length=2,
        help_text=_("Two letters as in ISO 3166-1, e.g. DK for Denmark, NZ for New Zealand."),
    )
    population = forms.IntegerField(label=_("Population"), required=False, min_value=0, max_value=100_000_000)

    def clean_country_code(self):
        return validate_country_code(self.cleaned_data["country_code"])
