"""User administration in the app (/manage/users/): province administrators manage their province's
accounts, national administrators everyone's; no one reaches an account above their own scope, nor
their own (personnel.access.manageable_users). The Django admin is for national administrators only."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from personnel import accounts
from personnel.access import admin_required, manageable_users
from personnel.models import AccessEvent
from personnel.web.user_forms import AccountForm, PasswordResetForm


def _account_for_user(user, pk: int):
    return get_object_or_404(manageable_users(user), pk=pk)


def _form_page(request, form, *, title: str, submit: str, account=None):
    return render(request, "personnel/edit/user_form.html",
                  {"form": form, "title": title, "submit": submit, "account": account})


@admin_required
def user_list(request):
    users = (manageable_users(request.user).select_related("profile__province")
             .prefetch_related("profile__districts").order_by("-is_active", "username"))
    return render(request, "personnel/edit/users.html", {"users": users})


@admin_required
def user_add(request):
    form = AccountForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        account = accounts.account_save(
            username=d["username"], full_name=d["full_name"], role=d["role"], province=form.province_value(),
            districts=d["districts"], password=d["password1"])
        messages.success(request, _("Account %(name)s created.") % {"name": account.username})
        return redirect("manage:users")
    return _form_page(request, form, title=_("Add an account"), submit=_("Add the account"))


@admin_required
def user_edit(request, pk: int):
    account = _account_for_user(request.user, pk)
    form = AccountForm(request.POST or None, actor=request.user, account=account)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        accounts.account_save(
            account=account, username=d["username"], full_name=d["full_name"], role=d["role"],
            province=form.province_value(), districts=d["districts"], is_active=d["is_active"])
        messages.success(request, _("Account %(name)s saved.") % {"name": account.username})
        return redirect("manage:users")
    return _form_page(request, form, title=_("Change an account"), submit=_("Save"), account=account)


@admin_required
def user_password(request, pk: int):
    account = _account_for_user(request.user, pk)
    form = PasswordResetForm(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.account_set_password(account=account, password=form.cleaned_data["new_password1"])
        messages.success(request, _("A new password is set for %(name)s.") % {"name": account.username})
        return redirect("manage:users")
    return _form_page(request, form, title=_("Reset a password"), submit=_("Set the password"), account=account)


@admin_required
def access_log(request):
    """The access log an administrator may read (their province's, or all), newest first, 100 a page."""
    from django.core.paginator import Paginator

    from personnel.access_log import visible_events

    events = visible_events(request.user).select_related("province")
    kind = request.GET.get("kind", "")
    if kind in AccessEvent.Kind.values:
        events = events.filter(kind=kind)
    username = request.GET.get("username", "").strip()[:150]
    if username:
        events = events.filter(username__iexact=username)
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(request, "personnel/edit/access_log.html", {
        "page": page, "kinds": AccessEvent.Kind.choices, "kind": kind, "username": username,
        "keep_days": settings.ACCESS_LOG_KEEP_DAYS,
    })
