from .alerts import (  # noqa: F401
    alert_area,
    alert_compose,
    alert_detail,
    alert_export,
    alert_follow_up,
    alert_import,
    alert_list,
)
from .common import overview, readability_check  # noqa: F401
from .jargon import jargon_create, jargon_delete, jargon_edit, jargon_list  # noqa: F401
from .messages import message_create, message_detail, message_transition, version_edit  # noqa: F401
from .plans import (  # noqa: F401
    audience_create,
    audience_delete,
    dark_site,
    dark_site_toggle,
    gap_action,
    member_create,
    member_delete,
    multiplier_create,
    plan_create,
    plan_detail,
    plan_edit,
)
from .rumours import (  # noqa: F401
    rumour_create,
    rumour_detail,
    rumour_edit,
    rumour_list,
    rumour_similar,
    weekly_download,
    weekly_request,
)
from .templates import template_create, template_detail, template_list, template_use  # noqa: F401
