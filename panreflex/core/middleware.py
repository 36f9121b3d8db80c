from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from csp import middleware as _csp
from django.conf import settings
from django.contrib.auth import middleware as _auth
from django.contrib.messages import middleware as _messages
from django.contrib.sessions import middleware as _sessions
from django.middleware import clickjacking as _clickjacking
from django.middleware import common as _common
from django.middleware import csrf as _csrf
from django.middleware import locale as _locale
from django.middleware import security as _security
from whitenoise.middleware import WhiteNoiseMiddleware


class SecurityHeadersMiddleware:
    """Headers Django does not set by itself (CSP comes from django-csp). Sync and async capable, so
    that under an ASGI server it adds no hop between threads."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    @staticmethod
    def _headers(response):
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response

    def __call__(self, request):
        if self.is_async:
            return self._acall(request)
        return self._headers(self.get_response(request))

    async def _acall(self, request):
        return self._headers(await self.get_response(request))


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise (static files served by the platform itself), async capable: WhiteNoise's own middleware
    is sync only, which made Django run the whole middleware chain and every view under an ASGI server
    through a thread hop. Static files are still served by WhiteNoise (in a thread); every other request
    passes straight on."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        super().__init__(get_response)
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.is_async:
            return self._acall(request)
        return super().__call__(request)

    async def _acall(self, request):
        static_file = self.find_file(request.path_info) if self.autorefresh else self.files.get(request.path_info)
        if static_file is not None:
            response = await sync_to_async(self.serve)(static_file, request)
            if response.streaming:
                # Django's ASGI handler would read the file through a thread per chunk (and warn each time):
                # one thread call reads the whole file (static files are small; large ones are the
                # reverse proxy's job in production)
                chunks = await sync_to_async(_read_all)(response)
                response.streaming_content = _async_chunks(chunks)
            return response
        return await self.get_response(request)


def _read_all(response) -> list[bytes]:
    return list(response.streaming_content)  # the file is closed with the response, by Django's handler


async def _async_chunks(chunks: list[bytes]):
    for chunk in chunks:
        yield chunk


# --- Django's own middleware without thread hops under ASGI --------------------------------------------
class InlineHooks:
    """For a `MiddlewareMixin` middleware whose hooks do no blocking I/O: under an ASGI server they run on
    the event loop.

    Django's `MiddlewareMixin.__acall__` runs every `process_request` and `process_response` through
    `sync_to_async` (and Django wraps every sync `process_view` the same way): about fifteen thread hops
    per request with the middleware below, and the first hop of a request starts a thread of its own
    (asgiref gives each request its own executor). Measured under the survey benchmark (autosave, an
    async view): thread starts and hops took more of a server process's time than the saves themselves.
    Subclasses name what may do I/O in `response_needs_io`; that part still runs in a thread. Under WSGI
    and in the test client (sync mode) nothing changes."""

    def __init__(self, get_response):
        super().__init__(get_response)
        if self.async_mode and hasattr(self, "process_view"):
            sync_process_view = self.process_view

            async def process_view(request, view_func, view_args, view_kwargs):
                if self.view_needs_io(request):
                    return await sync_to_async(sync_process_view, thread_sensitive=True)(
                        request, view_func, view_args, view_kwargs)
                return sync_process_view(request, view_func, view_args, view_kwargs)

            self.process_view = process_view

    def view_needs_io(self, request) -> bool:
        return False

    def response_needs_io(self, request, response) -> bool:
        return False

    async def __acall__(self, request):
        response = None
        if hasattr(self, "process_request"):
            response = self.process_request(request)
        response = response or await self.get_response(request)
        if hasattr(self, "process_response"):
            if self.response_needs_io(request, response):
                response = await sync_to_async(self.process_response, thread_sensitive=True)(request, response)
            else:
                response = self.process_response(request, response)
        return response


class SecurityMiddleware(InlineHooks, _security.SecurityMiddleware):
    """Headers and HTTPS redirect: no I/O."""


class CSPMiddleware(InlineHooks, _csp.CSPMiddleware):
    """A lazy nonce and the policy header: no I/O."""


class SessionMiddleware(InlineHooks, _sessions.SessionMiddleware):
    """`process_request` only creates the lazy session; `process_response` saves a modified session
    (database or cache: in a thread) and otherwise only sets headers."""

    def response_needs_io(self, request, response) -> bool:
        session = getattr(request, "session", None)
        return session is not None and (session.modified or settings.SESSION_SAVE_EVERY_REQUEST)


class LocaleMiddleware(InlineHooks, _locale.LocaleMiddleware):
    """Language from URL, cookie and Accept-Language (not the session), URL resolving: no I/O."""


class CommonMiddleware(InlineHooks, _common.CommonMiddleware):
    """Slash redirects (URL resolving) and headers: no I/O."""


class CsrfViewMiddleware(InlineHooks, _csrf.CsrfViewMiddleware):
    """The token lives in a cookie (CSRF_USE_SESSIONS is off; checked by `core.checks`), the form body is
    already read by the ASGI handler: no I/O, except parsing a multipart body (uploads are written to
    temporary files), which runs in the request's thread."""

    def view_needs_io(self, request) -> bool:
        return request.method == "POST" and request.content_type == "multipart/form-data"


class AuthenticationMiddleware(InlineHooks, _auth.AuthenticationMiddleware):
    """Only installs the lazy `request.user`; it is read (database) by the view, in the view's thread."""


class MessageMiddleware(InlineHooks, _messages.MessageMiddleware):
    """Creates the lazy message storage; storing messages may read the session (database), so a
    response whose request used or added messages is finished in a thread."""

    def response_needs_io(self, request, response) -> bool:
        storage = getattr(request, "_messages", None)
        return storage is not None and (storage.used or storage.added_new)


class XFrameOptionsMiddleware(InlineHooks, _clickjacking.XFrameOptionsMiddleware):
    """One header: no I/O."""
