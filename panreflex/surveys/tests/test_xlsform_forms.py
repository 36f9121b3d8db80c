"""Every real XLSForm in ../shared/data/interop/xlsform and its more/ folder (39 forms from pyxform's
tests, some deliberately broken): imported and round-tripped where pyxform converts it — the export
imports again unchanged AND pyxform makes the same XForm of it (normalised) — refused with pyxform's
precise message where pyxform refuses it, never an exception, and nothing half-stored."""

import warnings
from pathlib import Path

import pytest
from pyxform.errors import PyXFormError

from panreflex.surveys.models import Choice, ChoiceList, Item, Survey, SurveyVersion
from panreflex.surveys.services.xlsform import (
    XLSFormError,
    export_xlsform,
    import_xlsform,
    normalised,
    version_signature,
    xform_of,
)

REPO = Path(__file__).resolve().parents[3]
FORMS = (REPO / "../shared/data/interop/xlsform").resolve()
ALL_FORMS = sorted(p for p in [*FORMS.glob("*.xls*"), *FORMS.glob("more/*.xls*")]) if FORMS.is_dir() else []
PYXFORM_REFUSES = {
    "more/calculate_without_calculation.xls", "more/duplicate_columns.xlsx", "more/group_name_test.xls",
    "more/include.xls", "more/include.xlsx", "more/include_json.xls", "more/include_json.xlsx",
    "more/unknown_question_type.xls",
}


@pytest.fixture(autouse=True)
def _english(english):
    """In English (see conftest)."""


def test_the_forms_are_there():
    if not FORMS.is_dir():
        pytest.skip(f"real XLSForms not found in {FORMS}")
    assert len(ALL_FORMS) == 47


@pytest.mark.parametrize("path", ALL_FORMS, ids=lambda p: str(p.relative_to(FORMS)))
def test_every_form_imports_and_round_trips_or_is_refused_precisely(path, personas):
    data = path.read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            original_xml = xform_of(data, path.name)
        except PyXFormError as exc:
            original_xml, pyxform_message = None, str(exc).strip()
        assert (original_xml is None) == (str(path.relative_to(FORMS)) in PYXFORM_REFUSES)
        if original_xml is None:
            with pytest.raises(XLSFormError) as info:
                import_xlsform(data=data, filename=path.name, actor=None, organisation=personas.research)
            text = "\n".join(info.value.messages)
            assert "internal error" not in text
            assert pyxform_message.splitlines()[0][:60] in text or "is not an XLSForm type" in text
            for model in (Survey, SurveyVersion, Item, ChoiceList, Choice):
                assert not model.objects.exists(), model
            return
        result = import_xlsform(data=data, filename=path.name, actor=None, organisation=personas.research)
        version = result.survey.versions.get()
        assert Item.objects.filter(version=version).exists()
        exported = export_xlsform(version=version)
        again = import_xlsform(data=exported, filename=path.name, actor=None, organisation=personas.research)
        assert version_signature(again.survey.versions.get()) == version_signature(version)
        assert normalised(xform_of(exported, path.name)) == normalised(original_xml)
        assert all(r["message"] for r in result.report)
