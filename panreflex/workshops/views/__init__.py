from .results import (  # noqa: F401
    derive_action,
    derive_insight,
    export_csv,
    export_xlsx,
    report_docx,
    report_pdf,
    results,
)
from .room import room, room_action, room_state  # noqa: F401
from .setup import (  # noqa: F401
    guest_join,
    template_copy,
    template_detail,
    template_edit,
    template_list,
    workshop_create,
    workshop_detail,
    workshop_edit,
    workshop_ics_download,
    workshop_invitations,
    workshop_list,
)
