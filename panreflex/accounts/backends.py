from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Sign in with the e-mail address, case-insensitively."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None:
            username = username.strip()
        return super().authenticate(request, username=username, password=password, **kwargs)


class ProjectTeamPermissionBackend(ModelBackend):
    """Platform staff (the project team, `is_staff`) may use the Django admin for every model.

    Django's admin asks for model permissions; instead of maintaining permission groups, every active
    staff member holds them all. Object rules in the platform's own pages stay in `access.py`. It never
    authenticates anybody itself (sign-in is EmailBackend's), but can load a user like ModelBackend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        return bool(user_obj.is_active and user_obj.is_staff) or super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        return bool(user_obj.is_active and user_obj.is_staff) or super().has_module_perms(user_obj, app_label)
