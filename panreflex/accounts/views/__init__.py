"""Views of the accounts domain, split by topic. They stay thin: access first, then a service."""

from .auth import (  # noqa: F401
    LoginView,
    PasswordChangeView,
    PasswordResetCompleteView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
    login_second_factor,
    verify_email,
    verify_email_send,
)
from .invitations import invitation_accept  # noqa: F401
from .members import (  # noqa: F401
    invitation_create,
    invitation_resend,
    invitation_revoke,
    membership_remove,
    membership_role,
    organisation_members,
)
from .organisations import (  # noqa: F401
    organisation_create,
    organisation_detail,
    organisation_edit,
    organisation_list,
)
from .profile import data_export, deletion_cancel, deletion_request, profile, profile_edit  # noqa: F401
from .two_factor import (  # noqa: F401
    two_factor,
    two_factor_codes,
    two_factor_codes_download,
    two_factor_disable,
    two_factor_new_codes,
    two_factor_setup,
)
