"""Signed, expiring tokens for e-mail verification links (Django's token generator, own salt).

The hash covers the address the link confirms (the pending new address, else the current one) and
the verification time, so a link stops working once it was used or the address changed again.
"""

from __future__ import annotations

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "panreflex.accounts.tokens.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        verified = "" if user.email_verified_at is None else user.email_verified_at.replace(microsecond=0, tzinfo=None)
        return f"{user.pk}{user.email}{user.pending_email}{verified}{timestamp}{user.is_active}"


email_verification_token = EmailVerificationTokenGenerator()
