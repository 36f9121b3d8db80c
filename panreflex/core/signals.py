from django.db.backends.signals import connection_created


def _sqlite_pragmas(sender, connection, **kwargs):
    """Foreign keys on; WAL is set through OPTIONS['init_command'] in settings."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys=ON;")


connection_created.connect(_sqlite_pragmas)
