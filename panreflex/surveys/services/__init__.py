"""Writes of the surveys domain: questionnaire building, XLSForm import, fieldwork, answering."""

from .questionnaire import (  # noqa: F401
    SurveyError,
    choice_list_set,
    item_create,
    item_delete,
    item_move,
    item_update,
    survey_close,
    survey_create,
    survey_delete,
    survey_start_fieldwork,
    survey_update,
    version_editable,
    version_new,
)
