"""Writes of the accounts domain (HackSoft style: `<entity>_<action>(*, keyword, only)`).

Split by topic; import from here: `from panreflex.accounts import services`.
"""

from .invitations import MESSAGES as INVITATION_MESSAGES
from .invitations import (
    InvitationError,
    invitation_accept_existing,
    invitation_accept_new_user,
    invitation_create,
    invitation_for_token,
    invitation_resend,
    invitation_revoke,
)
from .memberships import membership_change_role, membership_create, membership_remove
from .organisations import (
    organisation_create,
    organisation_update,
    place_lookup,
    research_organisation_ensure,
)
from .two_factor import (
    code_matches_secret,
    new_secret,
    provisioning_device,
    recovery_codes_renew,
    recovery_codes_replace,
    secret_as_base32,
    two_factor_disable,
    two_factor_enable,
    two_factor_enabled,
    verify_second_factor,
)
from .users import (
    email_taken,
    email_verification_send,
    email_verify,
    normalise_email,
    user_anonymise,
    user_cancel_deletion_request,
    user_create,
    user_profile_update,
    user_request_deletion,
)

__all__ = [
    "research_organisation_ensure",
    "INVITATION_MESSAGES", "InvitationError", "invitation_accept_existing", "invitation_accept_new_user",
    "invitation_create", "invitation_for_token", "invitation_resend", "invitation_revoke",
    "membership_change_role", "membership_create", "membership_remove",
    "organisation_create", "organisation_update", "place_lookup",
    "code_matches_secret", "new_secret", "provisioning_device", "recovery_codes_renew", "recovery_codes_replace",
    "secret_as_base32", "two_factor_disable", "two_factor_enable", "two_factor_enabled", "verify_second_factor",
    "email_taken", "email_verification_send", "email_verify", "normalise_email", "user_anonymise",
    "user_cancel_deletion_request", "user_create", "user_profile_update", "user_request_deletion",
]
