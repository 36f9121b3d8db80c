from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    path("profil/", views.profile, name="profile"),
    path("organisationen/", views.organisation_list, name="organisation_list"),
    path("organisationen/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
]
