from django.urls import path

from . import views

app_name = "multilevel"
urlpatterns = [
    path("", views.index, name="index"),
    path("wer-entscheidet/", views.navigator_index, name="navigator"),
    path("wer-entscheidet/<slug:topic>/", views.navigator_topic, name="navigator_topic"),
    path("wer-entscheidet/<slug:topic>/neu/", views.navigator_entry_create, name="navigator_entry_create"),
    path("wer-entscheidet/eintrag/<int:pk>/", views.navigator_entry_edit, name="navigator_entry_edit"),
    path("ereignisse/<int:pk>/", views.event_detail, name="event"),
    path("ereignisse/<int:pk>/bearbeiten/", views.event_edit, name="event_edit"),
    path("ereignisse/<int:pk>/loeschen/", views.event_delete, name="event_delete"),
    path("ereignisse/<int:pk>/dokument/", views.document_upload, name="document_upload"),
    path("dokumente/<int:pk>/", views.document_download, name="document"),
    path("dokumente/<int:pk>/entfernen/", views.document_delete, name="document_delete"),
    path("ereignisse/<int:pk>/verknuepfen/", views.link_create, name="link_create"),
    path("verknuepfungen/<int:pk>/loeschen/", views.link_delete, name="link_delete"),
    path("verknuepfungen/<int:pk>/reflexion/", views.link_reflect, name="link_reflect"),
    path("verknuepfungen/<int:pk>/erkenntnis/", views.link_insight, name="link_insight"),
    path("akteure/<int:pk>/", views.actor_edit, name="actor_edit"),
    path("beziehungen/<int:pk>/loeschen/", views.relation_delete, name="relation_delete"),
    path("<str:ags>/chronologie/", views.chronology, name="chronology"),
    path("<str:ags>/chronologie/neu/", views.event_create, name="event_create"),
    path("<str:ags>/chronologie/import/", views.import_events, name="import_events"),
    path("<str:ags>/chronologie.csv", views.export_events_csv, name="export_events_csv"),
    path("<str:ags>/chronologie.xlsx", views.export_events_xlsx, name="export_events_xlsx"),
    path("<str:ags>/chronologie.ics", views.export_events_ics, name="export_events_ics"),
    path("<str:ags>/transfer/", views.transfer, name="transfer"),
    path("<str:ags>/netzwerk/", views.network_page, name="network"),
    path("<str:ags>/netzwerk/akteur-neu/", views.actor_create, name="actor_create"),
    path("<str:ags>/netzwerk/beziehung-neu/", views.relation_create, name="relation_create"),
    path("<str:ags>/netzwerk/import/", views.import_network, name="import_network"),
    path("<str:ags>/netzwerk.graphml", views.export_network_graphml, name="export_network_graphml"),
    path("<str:ags>/netzwerk.csv", views.export_network_csv, name="export_network_csv"),
]
