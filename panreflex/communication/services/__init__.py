"""Writes of the communication domain: validated, audited, atomic (one module per part)."""

from .alerts import (  # noqa: F401
    alert_compose,
    alert_delete,
    alert_export,
    alert_follow_up,
    alert_import,
    boundary_polygon,
)
from .jargon import jargon_create, jargon_delete, jargon_update  # noqa: F401
from .messages import (  # noqa: F401
    message_create,
    message_from_template,
    message_transition,
    message_version_save,
    template_create,
    template_update,
)
from .plans import (  # noqa: F401
    audience_add,
    audience_delete,
    dark_site_publish,
    gap_to_action_item,
    member_add,
    member_remove,
    multiplier_add,
    multiplier_delete,
    plan_create,
    plan_update,
)
from .rumours import rumour_create, rumour_update, weekly_summary_render  # noqa: F401
