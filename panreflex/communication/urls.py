from django.urls import path

from . import views

app_name = "communication"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("lesbarkeit/", views.readability_check, name="readability"),
    path("plaene/neu/", views.plan_create, name="plan_create"),
    path("plaene/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plaene/<int:pk>/bearbeiten/", views.plan_edit, name="plan_edit"),
    path("plaene/<int:pk>/zielgruppen/neu/", views.audience_create, name="audience_create"),
    path("plaene/<int:pk>/zielgruppen/<int:audience_pk>/entfernen/", views.audience_delete, name="audience_delete"),
    path("plaene/<int:pk>/freigabekette/neu/", views.member_create, name="member_create"),
    path("plaene/<int:pk>/freigabekette/<int:member_pk>/entfernen/", views.member_delete, name="member_delete"),
    path("plaene/<int:pk>/multiplikatoren/neu/", views.multiplier_create, name="multiplier_create"),
    path("plaene/<int:pk>/luecke/", views.gap_action, name="gap_action"),
    path("botschaften/neu/", views.message_create, name="message_create"),
    path("botschaften/<int:pk>/", views.message_detail, name="message_detail"),
    path("botschaften/<int:pk>/fassung/", views.version_edit, name="version_edit"),
    path("botschaften/<int:pk>/status/", views.message_transition, name="message_transition"),
    path("vorlagen/", views.template_list, name="template_list"),
    path("vorlagen/neu/", views.template_create, name="template_create"),
    path("vorlagen/<int:pk>/", views.template_detail, name="template_detail"),
    path("vorlagen/<int:pk>/verwenden/", views.template_use, name="template_use"),
    path("geruechte/", views.rumour_list, name="rumour_list"),
    path("geruechte/neu/", views.rumour_create, name="rumour_create"),
    path("geruechte/<int:pk>/", views.rumour_detail, name="rumour_detail"),
    path("geruechte/<int:pk>/bearbeiten/", views.rumour_edit, name="rumour_edit"),
    path("geruechte/wochenbericht/", views.weekly_request, name="weekly_request"),
    path("geruechte/wochenbericht/<int:summary_pk>.pdf", views.weekly_download, name="weekly_download"),
    path("warnungen/", views.alert_list, name="alert_list"),
    path("warnungen/neu/", views.alert_compose, name="alert_compose"),
    path("warnungen/import/", views.alert_import, name="alert_import"),
    path("warnungen/gebiet/", views.alert_area, name="alert_area"),
    path("warnungen/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("warnungen/<int:pk>/cap.xml", views.alert_export, name="alert_export"),
    path("warnungen/<int:pk>/folgemeldung/<str:msg_type>/", views.alert_follow_up, name="alert_follow_up"),
]
