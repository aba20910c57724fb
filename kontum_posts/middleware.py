"""Security headers that Django 5.2 does not set itself: Content-Security-Policy and Permissions-Policy.

Django's SecurityMiddleware and XFrameOptionsMiddleware already send X-Content-Type-Options,
Referrer-Policy, Cross-Origin-Opener-Policy and X-Frame-Options; this adds the rest to every
response, error pages and static files included (it sits just inside SecurityMiddleware).
"""

from __future__ import annotations

from django.conf import settings


class SecurityHeadersMiddleware:
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
