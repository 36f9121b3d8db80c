from panreflex.core.adminutils import register_remaining

register_remaining(__name__)
