from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.dashboard, name="dashboard"),
    path("datenquellen/", views.datasources, name="datasources"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("impressum/", views.imprint, name="imprint"),
]
