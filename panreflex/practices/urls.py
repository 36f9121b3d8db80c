"""URLs of practice examples. Split by concern so that the parts can be worked on separately:
urls_core (detail, editing, review, versions, watch list, collections, compare, map, timeline, PDF)
and urls_transfer (import, export). The search/list page lives in panreflex.search (namespace
"search", mounted under the same /praxisbeispiele/ prefix)."""

from .urls_core import urlpatterns as core_patterns
from .urls_transfer import urlpatterns as transfer_patterns

app_name = "practices"
urlpatterns = [*core_patterns, *transfer_patterns]
