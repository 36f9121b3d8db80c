"""Forms of the import page (practice examples from CSV, XLSX or JSON)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .transfer.importer import check_size


class PracticeImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV, XLSX or JSON)"),
        required=False,
        help_text=_("CSV in UTF-8 or Windows-1252 with “,” or “;” as separator, an Excel workbook (.xlsx) or "
                    "a PanReflex JSON export. Column headers in English or German."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        help_text=_("Owns every row whose column “organisation” is empty."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: only check the file and show what would be created"), required=False, initial=True
    )

    def __init__(self, *args, organisations, staged: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.staged = staged
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        if staged:
            self.fields["file"].help_text = _(
                "The file “%(name)s” from your last upload is kept; choose another file only to replace it."
            ) % {"name": staged["filename"]}

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            if not self.staged:
                raise forms.ValidationError(_("Choose a file."), code="required")
            return None
        problem = check_size(upload.size)  # before anything of the file is read
        if problem:
            raise forms.ValidationError(problem, code="size")
        return upload
