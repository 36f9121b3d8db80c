from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Term


class TermForm(forms.ModelForm):
    class Meta:
        model = Term
        fields = ["code", "label_de", "label_en", "description_de", "description_en", "parent", "position", "is_active"]
        widgets = {"description_de": forms.Textarea(attrs={"rows": 3}), "description_en": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, vocabulary: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.vocabulary = vocabulary
        self.instance.vocabulary = vocabulary
        if vocabulary == "subtopic":
            self.fields["parent"].queryset = Term.objects.filter(vocabulary="theme")
            self.fields["parent"].required = True
            self.fields["parent"].label = _("Focus theme")
        else:
            del self.fields["parent"]
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("Codes are stable identifiers used by imports and exports; they cannot be changed.")

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not self.instance.pk and Term.objects.filter(vocabulary=self.vocabulary, code=code).exists():
            raise forms.ValidationError(_("This code is already used in this vocabulary."), code="duplicate")
        return code
