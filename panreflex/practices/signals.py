"""Signals the practices app sends; other apps listen, the practices app knows none of them.

`practice_changed(sender=Practice, practice_id, deleted)` is sent after the transaction that created,
changed or deleted a practice example has committed (never for a rolled-back change). The search
listens to it and (re)indexes the example (`panreflex.search.apps`).
"""

from django.dispatch import Signal

practice_changed = Signal()
