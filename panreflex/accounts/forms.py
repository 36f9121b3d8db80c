"""Forms of the accounts domain. They validate input; services do the writing."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Role, User

NAME_MAX = User._meta.get_field("full_name").max_length
EMAIL_MAX = User._meta.get_field("email").max_length


class LoginForm(AuthenticationForm):
    """E-mail address and password (django-axes counts failures through `authenticate`)."""

    username = forms.EmailField(label=_("E-mail address"), max_length=EMAIL_MAX,
                                widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}))

    error_messages = {
        "invalid_login": _("The e-mail address or the password is not correct. Note: after %(limit)d failed "
                           "attempts, sign-in is locked for a while."),
        "inactive": _("This account is deactivated."),
    }

    def get_invalid_login_error(self):
        return ValidationError(self.error_messages["invalid_login"], code="invalid_login",
                               params={"limit": settings.AXES_FAILURE_LIMIT})


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app or a recovery code"), max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class TwoFactorSetupForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code shown by the app"), max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TwoFactorDisableForm(forms.Form):
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    code = forms.CharField(label=_("Code from your authenticator app or a recovery code"), max_length=32,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}))


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=NAME_MAX, required=False)
    email = forms.EmailField(label=_("E-mail address"), max_length=EMAIL_MAX,
                             help_text=_("A new address takes effect once you confirm it with the link we send to it."))
    language = forms.ChoiceField(label=_("Preferred language"), choices=[("", _("As the browser says"))] + list(settings.LANGUAGES),
                                 required=False)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=EMAIL_MAX)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER,
                             help_text=_("Viewers read, members contribute, editors create and change content, "
                                         "coordinators also manage members and invitations."))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AcceptInvitationForm(forms.Form):
    """A new person sets name and password when accepting an invitation."""

    full_name = forms.CharField(label=_("Full name"), max_length=NAME_MAX)
    password1 = forms.CharField(label=_("Password"), strip=False, help_text=password_validators_help_text_html,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Repeat password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            try:
                validate_password(p1, User(email=self.email, full_name=data.get("full_name", "")))
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=Organisation._meta.get_field("name").max_length)
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    place = forms.CharField(
        label=_("Place (official key AGS or name)"), max_length=200, required=False,
        help_text=_("For example 05913000 or Dortmund. Leave empty for bodies without a place."),
    )
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")
    description = forms.CharField(label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    is_partner = forms.BooleanField(label=_("Partner organisation (members see network content)"), required=False, initial=True)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if Organisation.objects.filter(name__iexact=name).exists():
            raise ValidationError(_("An organisation with this name already exists."))
        return name

    def clean(self):
        from .services import place_lookup

        data = super().clean()
        try:
            data["place_obj"] = place_lookup(query=data.get("place", ""), organisation_kind=data.get("kind", ""))
        except ValidationError as exc:
            self.add_error("place", exc)
        return data


class OrganisationEditForm(OrganisationForm):
    """Edit form: staff change everything, coordinators only website and description."""

    def __init__(self, *args, organisation: Organisation, staff: bool, **kwargs):
        self.organisation = organisation
        self.staff = staff
        super().__init__(*args, **kwargs)
        if not staff:
            for name in ("name", "kind", "place", "is_partner"):
                del self.fields[name]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if Organisation.objects.filter(name__iexact=name).exclude(pk=self.organisation.pk).exists():
            raise ValidationError(_("An organisation with this name already exists."))
        return name

    def clean(self):
        if not self.staff:
            return forms.Form.clean(self)
        return super().clean()
