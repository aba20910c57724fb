"""Forms of user administration in the app: an account, its role and its area, never above the
administrator's own scope (personnel.access.manageable_users says whose accounts they are)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from communes.models import District, Province
from kontum_posts.lib.clean import CleanInputMixin
from personnel.access import scope_for, scoped
from personnel.choices import Role


class AccountForm(CleanInputMixin, forms.Form):
    """Create an account or change one: name, role, province (national administrators only), districts."""

    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.none(), required=False,
        help_text=_("empty: every province"),
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts"), queryset=District.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("empty means the whole province"),
    )
    is_active = forms.BooleanField(
        label=_("Active"), required=False, initial=True, help_text=_("an inactive account cannot log in"))
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput, required=False)
    password2 = forms.CharField(label=_("Password again"), strip=False, widget=forms.PasswordInput, required=False)

    def __init__(self, *args, actor, account=None, **kwargs):
        self.actor, self.account = actor, account
        self.scope = scope_for(actor)
        if account is not None:
            profile = getattr(account, "profile", None)
            kwargs.setdefault("initial", {
                "username": account.username, "full_name": account.first_name, "is_active": account.is_active,
                "role": profile.role if profile else Role.VIEWER,
                "province": profile.province_id if profile else None,
                "districts": list(profile.districts.values_list("pk", flat=True)) if profile else [],
            })
        super().__init__(*args, **kwargs)
        self.fields["districts"].queryset = scoped(District.objects.all(), actor).order_by("province__code", "sort_key")
        if self.scope.national:
            self.fields["province"].queryset = Province.objects.order_by("code")
        else:
            # A province administrator's accounts are in their province: no choice to make, none to forge.
            del self.fields["province"]
        if account is not None:
            del self.fields["password1"], self.fields["password2"]  # a reset has its own page
        else:
            self.fields["password1"].required = self.fields["password2"].required = True
            del self.fields["is_active"]

    def clean_username(self):
        name = self.cleaned_data["username"]
        others = get_user_model().objects.filter(username__iexact=name)
        if self.account is not None:
            others = others.exclude(pk=self.account.pk)
        if others.exists():
            raise forms.ValidationError(_("An account with this username already exists."))
        return name

    def province_value(self) -> Province | None:
        if self.scope.national:
            return self.cleaned_data.get("province")
        return Province.objects.get(pk=self.scope.province_id)

    def clean(self):
        data = super().clean()
        province = self.province_value()
        districts = data.get("districts") or []
        if province is not None and any(d.province_id != province.pk for d in districts):
            self.add_error("districts", _("Every district must be in the account's province."))
        if province is None and districts:
            self.add_error("districts", _("An account with national scope has no districts."))
        if self.scope.district_ids and not districts:
            # An administrator limited to districts cannot hand out the whole province.
            self.add_error("districts", _("Choose at least one of your districts."))
        if self.account is None and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif self.account is None and data.get("password1"):
            user = get_user_model()(username=data.get("username", ""), first_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(data["password1"], user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class PasswordResetForm(CleanInputMixin, SetPasswordForm):
    """A new password chosen by the administrator, under the same validators as any other."""
