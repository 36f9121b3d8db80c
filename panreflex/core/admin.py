from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("PanReflex administration")
admin.site.site_title = "PanReflex"
admin.site.index_title = _("Data of the platform (project team)")
