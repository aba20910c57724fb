"""Tables of officers, postings and Party roles (django-tables2): sortable, paginated, exportable."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from communes.choices import CommuneKind
from communes.models import Commune
from kontum_posts.lib.fasttable import DateColumn, FastBodyTable, escaped, url_for
from personnel.choices import Position
from personnel.coverage import commune_gaps, gap_labels
from personnel.models import Officer, PartyRole, Posting
from personnel.officer_history import rank_label


class YesNoColumn(tables.BooleanColumn):
    """Yes/no on the page; in exports the value itself, which the export writes as the same words
    (kontum_posts.lib.export.neutralise): django-tables2's BooleanColumn would export "True"/"False"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("yesno", (_("yes"), _("no")))
        super().__init__(**kwargs)

    def value(self, record, value, bound_column):
        return self._get_bool_value(record, value, bound_column)


def _commune_link(code, name):
    if not code:
        return "—"
    return mark_safe(f'<a href="{url_for("commune_detail", code)}">{escaped(name)}</a>')  # noqa: S308 — escaped


class OfficerTable(FastBodyTable):
    full_name = tables.Column(verbose_name=_("Full name"), order_by=("sort_key", "pk"), linkify=("officer_detail", [tables.A("pk")]))
    rank = tables.Column(verbose_name=_("Rank"), accessor="rank_on", order_by=("rank_on", "sort_key"))
    service_number = tables.Column(verbose_name=_("Service number"))
    ethnicity = tables.Column(verbose_name=_("Ethnicity"), order_by=("ethnicity", "sort_key"))
    home_unit = tables.Column(verbose_name=_("Home unit"), accessor="home_unit_on_name",
                              order_by=("home_unit_on_name", "sort_key"))
    post_position = tables.Column(verbose_name=_("Position"), order_by=("post_position", "sort_key"), default="—")
    post_commune_name = tables.Column(verbose_name=_("Commune"), order_by=("post_commune_sort", "sort_key"), default="—")
    post_district_name = tables.Column(verbose_name=_("District"), order_by=("post_district_name", "post_commune_sort", "sort_key"), default="—")
    post_since = DateColumn(verbose_name=_("Since"), order_by=("post_since", "sort_key"), default="—")
    party_member_since = DateColumn(verbose_name=capfirst(_("Party member since")), accessor="party_member_since_on",
                                    order_by=("party_member_since_on", "sort_key"), default="—")

    class Meta:
        model = Officer
        fields = ()
        sequence = ("full_name", "rank", "service_number", "ethnicity", "post_position", "post_commune_name",
                    "post_district_name", "post_since", "home_unit", "party_member_since")
        empty_text = _("No officer matches these filters.")
        template_name = "django_tables2/kp_table.html"
        attrs = {"class": "table officers nowrap"}

    def render_rank(self, value):
        return rank_label(value)

    def value_rank(self, value):
        return rank_label(value)

    def render_home_unit(self, value, record):
        short = record.home_unit_on_short
        if not short and value.startswith("Công an "):
            short = "CA " + value[len("Công an "):]  # the usual abbreviation, to keep the column narrow
        if short:
            return mark_safe(f'<abbr title="{escaped(value)}">{escaped(short)}</abbr>')  # noqa: S308 — escaped
        return value

    def value_home_unit(self, value):
        return value  # an export names the unit in full, with no markup

    def render_post_position(self, value):
        return Position(value).label

    def render_post_commune_name(self, value, record):
        return _commune_link(record.post_commune_code, value)

    def value_post_commune_name(self, value):
        return value

    def render_post_district_name(self, value, record):
        return mark_safe(  # noqa: S308 — escaped
            f'<a href="{url_for("district_detail", record.post_district_code)}">{escaped(value)}</a>')

    def value_post_district_name(self, value):
        return value


class PostingTable(FastBodyTable):
    officer = tables.Column(verbose_name=_("Officer"), order_by=("officer__sort_key", "-start_date"),
                            linkify=("officer_detail", [tables.A("officer_id")]))
    rank = tables.Column(verbose_name=_("Rank"), accessor="rank_on", order_by=("rank_on", "officer__sort_key"))
    position = tables.Column(verbose_name=_("Position"), order_by=("position", "officer__sort_key"))
    commune = tables.Column(verbose_name=_("Commune"), accessor="commune_name_on",
                            order_by=("commune_sort_key_on", "officer__sort_key"),
                            linkify=("commune_detail", [tables.A("commune__code")]))
    district = tables.Column(verbose_name=_("District"), accessor="commune__district",
                             order_by=("commune__district__sort_key", "commune_sort_key_on"),
                             linkify=("district_detail", [tables.A("commune__district__code")]))
    start_date = DateColumn(verbose_name=_("Start date"), order_by=("start_date", "pk"))
    end_date = DateColumn(verbose_name=_("End date"), order_by=("end_date", "pk"), default="—")
    end_reason = tables.Column(verbose_name=_("End reason"), default="—")
    decision_number = tables.Column(verbose_name=_("Decision"), default="—")

    class Meta:
        model = Posting
        fields = ()
        sequence = ("officer", "rank", "position", "commune", "district", "start_date", "end_date", "end_reason", "decision_number")
        empty_text = _("No posting matches these filters.")
        template_name = "django_tables2/kp_table.html"
        attrs = {"class": "table nowrap"}

    def render_rank(self, value):
        return rank_label(value)

    def value_rank(self, value):
        return rank_label(value)


class PartyRoleTable(FastBodyTable):
    holder = tables.Column(verbose_name=_("Holder"), accessor="officer", order_by=("officer__sort_key", "holder_name"),
                           empty_values=())
    role = tables.Column(verbose_name=_("Role"), order_by=("role", "commune__sort_key"))
    commune = tables.Column(verbose_name=_("Commune"), accessor="commune_name_on", order_by=("commune_sort_key_on", "role"),
                            linkify=("commune_detail", [tables.A("commune__code")]))
    district = tables.Column(verbose_name=_("District"), accessor="commune__district",
                             order_by=("commune__district__sort_key", "commune_sort_key_on"),
                             linkify=("district_detail", [tables.A("commune__district__code")]))
    police = YesNoColumn(verbose_name=_("Police officer"), accessor="officer_id", orderable=False)
    start_date = DateColumn(verbose_name=_("Start date"), order_by=("start_date", "pk"))
    end_date = DateColumn(verbose_name=_("End date"), order_by=("end_date", "pk"), default="—")
    decision_number = tables.Column(verbose_name=_("Decision"), default="—")

    class Meta:
        model = PartyRole
        fields = ()
        sequence = ("holder", "role", "commune", "district", "police", "start_date", "end_date", "decision_number")
        empty_text = _("No Party role matches these filters.")
        template_name = "django_tables2/kp_table.html"
        attrs = {"class": "table nowrap"}

    def render_holder(self, record):
        if record.officer_id:
            return format_html('<a href="{}">{}</a>', url_for("officer_detail", record.officer_id), record.officer.full_name)
        return format_html('{} <span class="tag">{}</span>', record.holder_name, _("not police"))

    def value_holder(self, record):
        return record.holder


class CommuneTable(FastBodyTable):
    name_on = tables.Column(verbose_name=_("Commune"), order_by=("sort_key_on",),
                            linkify=("commune_detail", [tables.A("code")]))
    kind_on = tables.Column(verbose_name=_("Kind"), order_by=("kind_on", "sort_key_on"))
    district = tables.Column(verbose_name=_("District"), order_by=("district__sort_key", "sort_key_on"),
                             linkify=("district_detail", [tables.A("district__code")]))
    in_plan = YesNoColumn(verbose_name=_("In the plan"), order_by=("-in_plan", "sort_key_on"))
    officers_on = tables.Column(verbose_name=_("Officers"), order_by=("officers_on", "sort_key_on"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    chief_name = tables.Column(verbose_name=_("Chief"), order_by=("chief_name", "sort_key_on"), default="—")
    has_cell = YesNoColumn(verbose_name=_("Party cell"), order_by=("-has_cell", "sort_key_on"))
    has_police_secretary = YesNoColumn(verbose_name=_("Police secretary"), order_by=("-has_police_secretary", "sort_key_on"))
    bch_on = tables.Column(verbose_name=_("BCH"), order_by=("bch_on", "sort_key_on"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    btv_on = tables.Column(verbose_name=_("BTV"), order_by=("btv_on", "sort_key_on"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    gaps = tables.Column(verbose_name=_("Gaps"), empty_values=(), orderable=False, attrs={"td": {"class": "wrap"}})

    class Meta:
        model = Commune
        fields = ()
        sequence = ("name_on", "kind_on", "district", "in_plan", "officers_on", "chief_name", "has_cell",
                    "has_police_secretary", "bch_on", "btv_on", "gaps")
        empty_text = _("No commune matches these filters.")
        template_name = "django_tables2/kp_table.html"
        attrs = {"class": "table nowrap"}

    def __init__(self, *args, plan=None, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)

    def _gaps(self, record):
        return gap_labels(commune_gaps(record, plan=self.plan))

    def render_has_police_secretary(self, value, record):
        if not record.has_cell:
            return "—"
        return _("yes") if value else _("no")

    def value_has_police_secretary(self, value, record):
        return self.render_has_police_secretary(value, record)

    def render_kind_on(self, value):
        return CommuneKind(value).label

    def render_chief_name(self, value, record):
        return format_html('<a href="{}">{}</a>', url_for("officer_detail", record.chief_id), value)

    def value_chief_name(self, value):
        return value

    def render_gaps(self, record):
        gaps = self._gaps(record)
        if not gaps:
            return "—"
        return format_html_join(" ", '<span class="tag gap">{}</span>', ((label,) for label in gaps))

    def value_gaps(self, record):
        return "; ".join(self._gaps(record))
