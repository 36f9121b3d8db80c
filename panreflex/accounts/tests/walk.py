from datetime import timedelta

from django.utils import timezone

from panreflex.accounts.models import Invitation, Membership, Role
from panreflex.testing.walk import WalkCase, expect

WALK_TOKEN = "walk-invitation-token-0123456789abcdefghijklmnop"


def setup(p):
    p.accounts_invitation = Invitation.objects.create(
        organisation=p.dortmund, email="new.person@example.org", role=Role.MEMBER, invited_by=p.carla,
        token_hash=Invitation.hash_token(WALK_TOKEN), expires_at=timezone.now() + timedelta(days=3),
    )


def cases(p):
    managers = {"default": 404, "carla": 200, "dora": 200}
    org = {"slug": p.dortmund.slug}
    alice_membership = Membership.objects.get(user=p.alice, organisation=p.dortmund)
    member_kwargs = {**org, "pk": alice_membership.pk}
    invitation_kwargs = {**org, "pk": p.accounts_invitation.pk}
    return [
        # sign-in, sign-out, passwords
        WalkCase("accounts:login", expect=expect(anonymous=200, signed_in=302)),
        WalkCase("accounts:login_second_factor", expect=expect(public=302)),
        WalkCase("accounts:logout", expect=expect(public=405)),
        WalkCase("accounts:password_reset", expect=expect(public=200)),
        WalkCase("accounts:password_reset_done", expect=expect(public=200)),
        WalkCase("accounts:password_reset_confirm", kwargs={"uidb64": "MTIz", "token": "bad-token"},
                 expect=expect(public=200)),
        WalkCase("accounts:password_reset_complete", expect=expect(public=200)),
        WalkCase("accounts:password_change", expect=expect(anonymous=302, signed_in=200)),
        # profile
        WalkCase("accounts:profile", expect=expect(anonymous=302, signed_in=200)),
        WalkCase("accounts:profile_edit", expect=expect(anonymous=302, signed_in=200)),
        WalkCase("accounts:data_export", expect=expect(anonymous=302, signed_in=200)),
        WalkCase("accounts:deletion_request", expect=expect(anonymous=302, signed_in=200)),
        WalkCase("accounts:deletion_cancel", expect=expect(anonymous=302, signed_in=405)),
        WalkCase("accounts:verify_email_send", expect=expect(anonymous=302, signed_in=405)),
        WalkCase("accounts:verify_email", kwargs={"uidb64": "MTIz", "token": "bad-token"}, expect=expect(public=400)),
        # two-factor sign-in
        WalkCase("accounts:two_factor", expect=expect(anonymous=302, signed_in=200)),
        WalkCase("accounts:two_factor_setup", expect=expect(anonymous=302, signed_in=200)),
        WalkCase("accounts:two_factor_codes", expect=expect(public=302)),
        WalkCase("accounts:two_factor_codes_download", expect=expect(public=302)),
        WalkCase("accounts:two_factor_disable", expect=expect(public=302)),
        WalkCase("accounts:two_factor_new_codes", expect=expect(public=302)),
        # invitations: a valid link (for someone else than every persona) and a forged one
        WalkCase("accounts:invitation_accept", kwargs={"token": WALK_TOKEN}, expect=expect(public=200)),
        WalkCase("accounts:invitation_accept", kwargs={"token": "forged-token"}, expect=expect(public=404)),
        # organisations and member management
        WalkCase("accounts:organisation_list", expect=expect(public=200)),
        WalkCase("accounts:organisation_detail", kwargs=org, expect=expect(public=200)),
        WalkCase("accounts:organisation_detail", kwargs={"slug": "no-such-organisation"}, expect=expect(public=404)),
        WalkCase("accounts:organisation_create", expect=expect(anonymous=302, default=404, dora=200)),
        WalkCase("accounts:organisation_edit", kwargs=org, expect=expect(**managers)),
        WalkCase("accounts:organisation_edit", kwargs={"slug": p.koeln.slug}, expect=expect(default=404, dora=200)),
        WalkCase("accounts:organisation_members", kwargs=org, expect=expect(**managers)),
        WalkCase("accounts:organisation_members", kwargs={"slug": p.koeln.slug}, expect=expect(default=404, dora=200)),
        WalkCase("accounts:membership_role", kwargs=member_kwargs, expect=expect(**managers)),
        WalkCase("accounts:membership_remove", kwargs=member_kwargs, expect=expect(**managers)),
        WalkCase("accounts:invitation_create", kwargs=org, expect=expect(**managers)),
        WalkCase("accounts:invitation_revoke", kwargs=invitation_kwargs, expect=expect(**managers)),
        WalkCase("accounts:invitation_resend", kwargs=invitation_kwargs,
                 expect=expect(default=404, carla=405, dora=405)),
    ]
