from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    # sign-in and sign-out
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("anmelden/zweiter-faktor/", views.login_second_factor, name="login_second_factor"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
    # passwords
    path("passwort/vergessen/", views.PasswordResetView.as_view(), name="password_reset"),
    path("passwort/vergessen/gesendet/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("passwort/neu/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("passwort/neu/fertig/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("passwort/aendern/", views.PasswordChangeView.as_view(), name="password_change"),
    # profile
    path("profil/", views.profile, name="profile"),
    path("profil/bearbeiten/", views.profile_edit, name="profile_edit"),
    path("profil/daten-export/", views.data_export, name="data_export"),
    path("profil/loeschen/", views.deletion_request, name="deletion_request"),
    path("profil/loeschen/zuruecknehmen/", views.deletion_cancel, name="deletion_cancel"),
    path("profil/bestaetigung-senden/", views.verify_email_send, name="verify_email_send"),
    path("bestaetigen/<uidb64>/<token>/", views.verify_email, name="verify_email"),
    # two-factor sign-in
    path("zwei-faktor/", views.two_factor, name="two_factor"),
    path("zwei-faktor/einrichten/", views.two_factor_setup, name="two_factor_setup"),
    path("zwei-faktor/wiederherstellungscodes/", views.two_factor_codes, name="two_factor_codes"),
    path("zwei-faktor/wiederherstellungscodes.txt", views.two_factor_codes_download, name="two_factor_codes_download"),
    path("zwei-faktor/neue-codes/", views.two_factor_new_codes, name="two_factor_new_codes"),
    path("zwei-faktor/ausschalten/", views.two_factor_disable, name="two_factor_disable"),
    # invitations (link from the e-mail)
    path("einladung/<str:token>/", views.invitation_accept, name="invitation_accept"),
    # organisations and their members
    path("organisation-anlegen/", views.organisation_create, name="organisation_create"),
    path("organisationen/", views.organisation_list, name="organisation_list"),
    path("organisationen/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisationen/<slug:slug>/bearbeiten/", views.organisation_edit, name="organisation_edit"),
    path("organisationen/<slug:slug>/mitglieder/", views.organisation_members, name="organisation_members"),
    path("organisationen/<slug:slug>/mitglieder/<int:pk>/rolle/", views.membership_role, name="membership_role"),
    path("organisationen/<slug:slug>/mitglieder/<int:pk>/entfernen/", views.membership_remove, name="membership_remove"),
    path("organisationen/<slug:slug>/einladen/", views.invitation_create, name="invitation_create"),
    path("organisationen/<slug:slug>/einladungen/<int:pk>/widerrufen/", views.invitation_revoke, name="invitation_revoke"),
    path("organisationen/<slug:slug>/einladungen/<int:pk>/erneut-senden/", views.invitation_resend, name="invitation_resend"),
]
