"""Sending the account e-mails (plain text, in the recipient's language)."""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)
MSG_MAIL_FAILED = _("The e-mail could not be sent, so nothing was saved. Please try again later.")


def absolute_url(url_name: str, **kwargs) -> str:
    """A full link for an e-mail: SITE_URL + the path of the named URL."""
    return settings.SITE_URL + reverse(url_name, kwargs=kwargs)


def send_account_mail(*, to: list[str], template: str, context: dict, language: str = "") -> None:
    """Render `accounts/email/<template>_subject.txt` and `..._body.txt` and send them.

    Called as the last step inside a service's transaction: if sending fails, nothing is stored.
    """
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        context = {"site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"accounts/email/{template}_subject.txt", context).split())
        body = render_to_string(f"accounts/email/{template}_body.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except (smtplib.SMTPException, OSError) as exc:
        logger.exception("sending %s mail failed", template)
        raise ValidationError(MSG_MAIL_FAILED, code="mail_failed") from exc
