from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("neu/", views.survey_create, name="create"),
    path("import/", views.survey_import, name="import"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.survey_edit, name="edit"),
    path("<int:pk>/loeschen/", views.survey_delete, name="delete"),
    path("<int:pk>/vorschau/", views.survey_preview, name="preview"),
    path("<int:pk>/xlsform/", views.survey_export_xlsform, name="export_xlsform"),
    path("<int:pk>/neue-version/", views.version_new, name="version_new"),
    path("<int:pk>/fragen/neu/", views.item_create, name="item_create"),
    path("<int:pk>/fragen/<int:item_pk>/", views.item_edit, name="item_edit"),
    path("<int:pk>/fragen/<int:item_pk>/loeschen/", views.item_delete, name="item_delete"),
    path("<int:pk>/fragen/<int:item_pk>/verschieben/", views.item_move, name="item_move"),
    path("<int:pk>/feldphase/", views.fieldwork, name="fieldwork"),
    path("<int:pk>/feldphase/stand/", views.tracking_panel, name="tracking"),
    path("<int:pk>/feldphase/links.csv", views.links_csv, name="links_csv"),
    path("<int:pk>/ergebnisse/", views.results, name="results"),
    path("<int:pk>/ergebnisse/frage/<str:name>/", views.question_result, name="question_result"),
    path("<int:pk>/ergebnisse/bericht.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/ergebnisse/daten.<str:fmt>", views.export_data, name="export_data"),
    # respondents (no account)
    path("t/<str:token>/", views.respond, name="respond"),
    path("t/<str:token>/speichern/", views.autosave, name="autosave"),
    path("t/<str:token>/absenden/", views.submit, name="submit"),
    path("t/<str:token>/bestaetigung/", views.confirmation, name="confirmation"),
    path("t/<str:token>/bestaetigung.pdf", views.confirmation_pdf, name="confirmation_pdf"),
    path("offen/<str:token>/", views.open_start, name="open"),
]
