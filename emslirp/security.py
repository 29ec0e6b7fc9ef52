"""Responses safe by default on shared laptops: nothing a signed-in person was shown is
kept by the browser or a proxy (``Cache-Control: no-store``). The Content-Security-Policy
is django-csp's middleware, configured in the settings."""

from django.utils.cache import patch_cache_control


class NoStoreWhenSignedInMiddleware:
    """Every answer to a signed-in person: safeguarding material, on laptops shared
    between colleagues, is never read back from the browser's cache or its history."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, no_cache=True, private=True, max_age=0)
        return response
