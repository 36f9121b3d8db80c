"""`panreflex export-cap ALERT_ID`: print an alert as CAP 1.2 XML on standard output."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print a CAP alert of the register as CAP 1.2 XML (validated against the official schema)."

    def add_arguments(self, parser):
        parser.add_argument("alert_id")

    def handle(self, *args, alert_id: str, **options):
        from ...cap import CapError
        from ...models import Alert
        from ...services import alert_export

        try:
            alert = Alert.objects.get(pk=int(alert_id))
        except (ValueError, Alert.DoesNotExist) as exc:
            raise CommandError(f"No CAP alert with id {alert_id}.") from exc
        try:
            xml = alert_export(alert=alert)
        except CapError as exc:
            raise CommandError(" ".join(str(exc).split())) from exc
        self.stdout.flush()
        out = getattr(self.stdout, "_out", None)
        buffer = getattr(out, "buffer", None)
        if buffer is not None:
            buffer.write(xml)  # the document's bytes as they are (an imported alert's signature stays valid)
            buffer.flush()
        else:
            self.stdout.write(xml.decode("utf-8", "replace"), ending="")
