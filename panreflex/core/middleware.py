from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
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
            return await sync_to_async(self.serve)(static_file, request)
        return await self.get_response(request)
