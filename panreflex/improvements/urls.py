from django.urls import path

from . import views

app_name = "improvements"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("neu/", views.create, name="create"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("faelligkeiten.ics", views.export_ics, name="export_ics"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.edit, name="edit"),
    path("<int:pk>/fortschritt/", views.progress, name="progress"),
    path("<int:pk>/loeschen/", views.delete, name="delete"),
]
