from django.urls import path

from . import views

app_name = "workshops"
urlpatterns = [
    path("", views.workshop_list, name="list"),
    path("neu/", views.workshop_create, name="create"),
    path("<int:pk>/", views.workshop_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.workshop_edit, name="edit"),
    path("<int:pk>/einladungen/", views.workshop_invitations, name="invitations"),
    path("<int:pk>/termin.ics", views.workshop_ics_download, name="ics"),
    path("<int:pk>/raum/", views.room, name="room"),
    path("<int:pk>/raum/zustand/", views.room_state, name="room_state"),
    path("<int:pk>/raum/aktion/<str:action>/", views.room_action, name="room_action"),
    path("<int:pk>/ergebnisse/", views.results, name="results"),
    path("<int:pk>/ergebnisse/erkenntnis/", views.derive_insight, name="derive_insight"),
    path("<int:pk>/ergebnisse/massnahme/", views.derive_action, name="derive_action"),
    path("<int:pk>/bericht.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/bericht.docx", views.report_docx, name="report_docx"),
    path("<int:pk>/export.csv", views.export_csv, name="export_csv"),
    path("<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("gast/<str:token>/", views.guest_join, name="guest_join"),
    path("vorlagen/", views.template_list, name="template_list"),
    path("vorlagen/<int:pk>/", views.template_detail, name="template_detail"),
    path("vorlagen/<int:pk>/bearbeiten/", views.template_edit, name="template_edit"),
    path("vorlagen/<int:pk>/kopieren/", views.template_copy, name="template_copy"),
]
