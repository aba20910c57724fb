"""Project middleware: the default language, the security headers Django 5.2 does not set, no-store for
signed-in pages, the app's 404 page."""

from __future__ import annotations

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import timezone, translation


class SessionRefreshMiddleware:
    """A signed-in session ends after SESSION_COOKIE_AGE of inactivity: each request moves its end, at most
    SESSION_REFRESH_EVERY seconds late. Saving it on every request (SESSION_SAVE_EVERY_REQUEST) wrote a row on
    the primary database for every page read, the replica's pages included; now one page in a few minutes does.
    Inside SessionMiddleware, which saves a modified session as the response goes out."""

    KEY = "_kp_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(timezone.now().timestamp())
            if now - int(session.get(self.KEY, 0)) >= settings.SESSION_REFRESH_EVERY:
                session[self.KEY] = now  # modified: saved with its end moved on, and the cookie with it
        return response


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


class NoStoreMiddleware:
    """`Cache-Control: no-store, private` on every response to a signed-in user: personnel pages and
    exports must not stay in the browser cache of a shared office PC (nor in a proxy's). It sits after
    AuthenticationMiddleware; static files never reach it (WhiteNoise answers first, with its long
    cache), and anonymous pages keep their own header (the login page is already never_cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "no-store, private"
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


class AppErrorPagesMiddleware:
    """The app's own 404 page in every mode, DEBUG included.

    With DEBUG on, Django answers a 404 with its technical page, whose inline styles the CSP blocks, so
    a developer or a tester clicking out of scope sees an unstyled wall of text. A 404 raised by a view
    (an unknown or out-of-scope commune, district, officer) and an address no URL matches both get
    templates/404.html instead. A 403 already renders templates/403.html in every mode.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # No resolver match: the address matched no URL pattern (Resolver404, raised before any view).
        if settings.DEBUG and response.status_code == 404 and getattr(request, "resolver_match", None) is None:
            return self._not_found(request)
        return response

    def process_exception(self, request, exception):
        from django.http import Http404

        if isinstance(exception, Http404):
            return self._not_found(request)
        return None

    @staticmethod
    def _not_found(request):
        from django.shortcuts import render

        return render(request, "404.html", status=404)
