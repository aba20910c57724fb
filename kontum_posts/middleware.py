"""Project middleware: the default language, and the security headers Django 5.2 does not set."""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class DefaultLanguageMiddleware(LocaleMiddleware):
    """Vietnamese unless the user picked another language (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an English-language
    browser on a provincial office PC would get English; the product's default is Vietnamese.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response, error pages and static files included
    (it sits just inside SecurityMiddleware); Django already sends nosniff, Referrer-Policy and X-Frame-Options."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": settings.CONTENT_SECURITY_POLICY,
            "Permissions-Policy": settings.PERMISSIONS_POLICY,
            # Belt and braces with XFrameOptionsMiddleware, for responses that skip it.
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": settings.SECURE_REFERRER_POLICY,
        }

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            response.headers.setdefault(name, value)
        return response


class AsOfMiddleware:
    """Keep the day a user chose (`?as_of=`) while they click through pages whose links omit it.

    A valid `as_of` is remembered in the session; a GET without one gets the remembered day, so a
    reviewer reading 23/04/2019 does not land on today's figures after one click. The header shows
    the day in force on every page, with a link back to today.
    """

    SESSION_KEY = "as_of"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from kontum_posts.lib.asof import request_as_of

        if request.method == "GET" and request.user.is_authenticated:
            if "as_of" not in request.GET and self.SESSION_KEY in request.session:
                request.GET = request.GET.copy()
                request.GET["as_of"] = request.session[self.SESSION_KEY]
            else:
                chosen = request_as_of(request)
                if chosen.given and request.session.get(self.SESSION_KEY) != chosen.day.isoformat():
                    request.session[self.SESSION_KEY] = chosen.day.isoformat()
        return self.get_response(request)
