"""The milestone form: the rules of roadmap/rules.py, asked before the service asks them again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communes.models import District
from kontum_posts.lib.clean import CleanInputMixin
from personnel.web.forms import DMYDateField
from roadmap.access import may_edit
from roadmap.models import Milestone
from roadmap.rules import milestone_errors


class MilestoneForm(CleanInputMixin, forms.Form):
    district = forms.ModelChoiceField(
        queryset=District.objects.none(), required=False, label=gettext_lazy("District"),
        empty_label=gettext_lazy("— the whole province —"),
    )
    due_on = DMYDateField(label=gettext_lazy("Due date"), help_text=gettext_lazy("the day by which the targets are reached"))
    communes_target = forms.IntegerField(label=gettext_lazy("Communes covered by then"), min_value=0, max_value=100_000)
    officers_target = forms.IntegerField(label=gettext_lazy("Officers in post by then"), min_value=0, max_value=1_000_000,
                                         help_text=gettext_lazy("0: no target for this figure"))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args, plan, user, milestone: Milestone | None = None, **kwargs):
        if milestone is not None:
            kwargs.setdefault("initial", {
                "district": milestone.district_id, "due_on": milestone.due_on, "note": milestone.note,
                "communes_target": milestone.communes_target, "officers_target": milestone.officers_target})
        super().__init__(*args, **kwargs)
        self.plan, self.user, self.milestone = plan, user, milestone
        # The districts of the plan's time the user may set milestones for (none since 01/07/2025).
        districts = District.objects.filter(province=plan.province).existing_on(plan.issued_on).order_by("sort_key")
        allowed = [d.pk for d in districts if may_edit(user, plan, d)]
        self.fields["district"].queryset = districts.filter(pk__in=allowed)
        if not allowed:
            del self.fields["district"]
        elif not may_edit(user, plan, None):
            self.fields["district"].required = True
            self.fields["district"].empty_label = None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        district = cleaned.get("district")
        if not may_edit(self.user, self.plan, district):
            raise forms.ValidationError(_("Only a province administrator sets milestones for the whole province."))
        candidate = Milestone(pk=self.milestone.pk if self.milestone else None, plan=self.plan, district=district,
                              due_on=cleaned["due_on"], communes_target=cleaned["communes_target"],
                              officers_target=cleaned["officers_target"], note=cleaned.get("note", ""))
        for field, messages in milestone_errors(candidate).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return cleaned
