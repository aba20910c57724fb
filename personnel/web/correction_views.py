"""Correcting or deleting a record entered wrong, with a reason; the list of corrections, each with its undo."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kontum_posts.lib.clean import CleanInputMixin
from personnel import corrections
from personnel.access import editor_required, require_edit, scope_for, scoped
from personnel.models import Correction, Officer
from personnel.versions import StaleEdit
from personnel.web.forms import CommuneChoiceField, DMYDateField, VersionedFormMixin, commune_choices


def _reason_field():
    return forms.CharField(label=gettext_lazy("Why it is corrected"), max_length=500,
                           widget=forms.TextInput(attrs={"size": 60}),
                           help_text=gettext_lazy("required; kept with the correction, shown in the history"))


def _record_for_user(user, kind: str, pk: int):
    if kind not in corrections.EDITABLE:
        raise Http404
    model = corrections.EDITABLE[kind][0]
    record = get_object_or_404(scoped(model.objects.all(), user) if kind != "officerchange"
                               else model.objects.filter(officer__in=scoped(Officer.objects.all(), user)), pk=pk)
    if getattr(record, "commune_id", None):
        require_edit(user, record.commune)
    return record


def _form_class(kind: str, user):
    model, fields = corrections.EDITABLE[kind]

    def field_for(db_field, **kwargs):
        if isinstance(db_field, models.DateField):
            return DMYDateField(label=capfirst(db_field.verbose_name), required=not db_field.blank)
        if db_field.name == "commune":
            return CommuneChoiceField(label=_("Commune"), queryset=commune_choices(user))
        return db_field.formfield(**kwargs)

    base = forms.models.modelform_factory(model, fields=fields, formfield_callback=field_for)

    class CorrectionForm(CleanInputMixin, VersionedFormMixin, base):
        reason = _reason_field()

        def __init__(self, *args, instance, **kwargs):
            self.versioned = instance
            super().__init__(*args, instance=instance, **kwargs)

        def _post_clean(self):  # the service checks the rules, with the record's lock held
            pass

    return CorrectionForm


def _back(record):
    officer_id = record.pk if isinstance(record, Officer) else getattr(record, "officer_id", None)
    if officer_id:
        return redirect("manage:officer", pk=officer_id)
    return redirect("manage:commune", code=record.commune.code)


@editor_required
def correct_record(request, kind: str, pk: int):
    record = _record_for_user(request.user, kind, pk)
    form = _form_class(kind, request.user)(request.POST or None, instance=record)
    deleting = request.method == "POST" and "delete" in request.POST
    ready = _delete_ready(form) if deleting else request.method == "POST" and form.is_valid()
    if ready:
        data = form.cleaned_data
        if not deleting and data.get("commune") is not None:
            require_edit(request.user, data["commune"])
        try:
            if deleting:
                corrections.delete(record, reason=data["reason"], version=data.get("version"))
                messages.success(request, _("Deleted; the correction can be undone from the list of corrections."))
                return redirect("manage:corrections")
            done = corrections.correct(
                type(record).objects.get(pk=record.pk), reason=data["reason"], version=data.get("version"),
                changes={name: data[name] for name in corrections.EDITABLE[kind][1] if name in data})
            messages.success(request, _("Corrected.") if done else _("Nothing differed; nothing was changed."))
            return _back(record)
        except StaleEdit as error:
            form.refuse_stale(error)
        except ValidationError as error:
            found = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
            for name, texts in found.items():
                for text in texts:
                    form.add_error(name if name in form.fields else None, text)
    return render(request, "personnel/edit/correct.html", {
        "form": form, "record": record, "label": corrections._label(record), "kind": kind,
        "title": _("Correct a record entered wrong"),
    })


def _delete_ready(form) -> bool:
    """A deletion needs only its reason (and the version the page was read at)."""
    form.is_valid()
    for name in list(form.errors):
        if name not in ("reason", "version", "__all__"):
            del form.errors[name]
    if not form.errors:
        form.cleaned_data.setdefault("version", None)
        return True
    return False


@editor_required
def correction_list(request):
    scope = scope_for(request.user)
    rows = Correction.objects.select_related("user", "commune", "undone_by", "undoes")
    if not scope.national:
        rows = rows.filter(scope.commune_q("commune__") | _officer_details_q(request.user))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "personnel/edit/corrections.html", {"page": page, "title": _("Corrections")})


def _officer_details_q(user):
    """Corrections of an officer's own details (no commune): those of officers the user may see."""
    return models.Q(commune__isnull=True, officer__in=scoped(Officer.objects.all(), user))


@editor_required
@require_POST
def correction_undo(request, pk: int):
    correction = get_object_or_404(Correction, pk=pk)
    if correction.commune_id:
        require_edit(request.user, correction.commune)
    elif correction.officer_id is None or not scoped(Officer.objects.all(), request.user).filter(pk=correction.officer_id).exists():
        raise Http404
    try:
        corrections.undo(correction, reason=request.POST.get("reason", ""))
        messages.success(request, _("The correction is undone; the undo is listed too."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("manage:corrections")
