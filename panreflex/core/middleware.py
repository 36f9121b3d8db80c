from asgiref.sync import iscoroutinefunction, markcoroutinefunction


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
