"""Signing in with a password, then a one-time code: the login page, the code step (or enrolment), the
account's two-factor page, and the middleware that holds back a session still owing its code.

The password step does not log in a user who owes a code: it keeps them "pending" in the session (for
PENDING_SECONDS) and the code step logs them in. So a right password alone opens nothing, and axes' reset
of failures, which comes with a login, comes only after the code. A wrong code is a failed login for
django-axes (the `user_login_failed` signal), counted with wrong passwords against username + address.
"""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from personnel import two_factor

PENDING_KEY = "two_factor_pending"
PENDING_SECONDS = 300
NEW_CODES_KEY = "two_factor_new_codes"
# What a session that owes its code may still open.
OPEN_WHILE_PENDING = {"two_factor", "logout", "set_language", "healthz", "login", "admin:login"}


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=32, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


def two_factor_off() -> bool:
    return not getattr(settings, "OTP_REQUIRED_FOR_EDITORS", False)


class SignInView(auth_views.LoginView):
    """Django's login page; a user who owes a code is not logged in yet but sent to the code step."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "two_factor_off": two_factor_off()}

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.second_step_needed(user):
            self.request.session.pop(PENDING_KEY, None)
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {
            "user": user.pk, "backend": user.backend, "next": self.get_success_url(), "at": time.time(),
        }
        return HttpResponseRedirect(reverse("two_factor"))


@login_not_required
@never_cache
def admin_sign_in(request, extra_context=None):
    """The admin's login page is the app's, so the admin cannot be entered with a password alone."""
    return SignInView.as_view(next_page=reverse("admin:index"))(request)


def _pending_user(request):
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = auth.get_user_model()._default_manager.filter(pk=pending.get("user"), is_active=True).first()
    return user, pending


def _safe_next(request, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_not_required
@never_cache
@sensitive_post_parameters("code")
def two_factor_step(request):
    """The code after the password: the authenticator's code or a recovery code; or, not enrolled yet, the
    enrolment (the key and its QR code, confirmed by a first code)."""
    from axes.handlers.proxy import AxesProxyHandler
    from axes.helpers import get_lockout_response

    if request.user.is_authenticated:
        # Signed in without a code yet (held back by TwoFactorMiddleware), or enrolling of one's own accord.
        user, pending = request.user, None
        if request.user.is_verified():
            return redirect("two_factor_account")
    else:
        user, pending = _pending_user(request)
        if user is None:
            return redirect_to_login(request.get_full_path())
    enrolling = not two_factor.is_enrolled(user)
    device = two_factor.enrolment_device(user) if enrolling else None
    credentials = {"username": user.get_username()}
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if not AxesProxyHandler.is_allowed(request, credentials):
            _abandon(request)
            return get_lockout_response(request, None, credentials)  # the app's lockout page (AXES_LOCKOUT_CALLABLE)
        if form.is_valid():
            code = form.cleaned_data["code"]
            codes = two_factor.confirm_enrolment(device, code) if enrolling else None
            verified = device if codes else (None if enrolling else two_factor.verify(user, code))
            if verified is not None:
                if pending is not None:
                    auth.login(request, user, backend=pending["backend"])
                otp_login(request, verified)
                request.session.pop(PENDING_KEY, None)
                if codes:
                    request.session[NEW_CODES_KEY] = codes
                    return redirect("two_factor_account")
                return redirect(_safe_next(request, pending["next"] if pending else request.GET.get("next")))
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                _abandon(request)  # AxesMiddleware answers with the lockout page
            form.add_error("code", _("That code is not right. Type the code your app shows now, or a recovery code."))
    context = {"form": form, "enrolling": enrolling, "user_name": user.get_username()}
    if enrolling:
        context.update(secret=two_factor.secret_for_display(device), uri=device.config_url,
                       qr=two_factor.qr_data_uri(device.config_url))
    return render(request, "registration/two_factor.html", context)


def _abandon(request) -> None:
    """A locked-out code step: nothing pending, nobody half signed in."""
    request.session.pop(PENDING_KEY, None)
    if request.user.is_authenticated:
        auth.logout(request)


@never_cache
def two_factor_account(request):
    """The user's two-factor sign-in: whether it is on, recovery codes left, new ones (shown once)."""
    user = request.user
    new_codes = request.session.pop(NEW_CODES_KEY, None)
    enrolled = two_factor.is_enrolled(user)
    if request.method == "POST" and enrolled and request.user.is_verified():
        new_codes = two_factor.new_recovery_codes(user)
    return render(request, "registration/two_factor_account.html", {
        "enrolled": enrolled, "verified": request.user.is_verified(), "new_codes": new_codes,
        "codes_left": two_factor.recovery_codes_left(user) if enrolled else 0,
        "required": two_factor.must_use(user), "two_factor_off": two_factor_off(),
    })


class TwoFactorMiddleware:
    """A signed-in editor or administrator whose session has not given a code (a session from before two-factor
    sign-in was required, or made without the login page) opens nothing but the code step."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (not two_factor_off() and user.is_authenticated and not user.is_verified()
                and two_factor.must_use(user) and _view_name(request.path_info) not in OPEN_WHILE_PENDING):
            return redirect_to_login(request.get_full_path(), reverse("two_factor"))
        return self.get_response(request)


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None
