"""Views of the surveys domain: builder (researchers), fieldwork, answering (respondents), results."""

from .builder import (  # noqa: F401
    item_create,
    item_delete,
    item_edit,
    item_move,
    survey_create,
    survey_delete,
    survey_detail,
    survey_edit,
    survey_export_xlsform,
    survey_import,
    survey_list,
    survey_preview,
    version_new,
)
from .fieldwork import fieldwork, links_csv, tracking_panel  # noqa: F401
from .respond import autosave, confirmation, confirmation_pdf, open_start, respond, submit  # noqa: F401
from .results import export_data, question_result, report_pdf, results  # noqa: F401
