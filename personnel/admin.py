from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from communes.admin import FoldedSearchMixin
from personnel.models import Officer, PartyRole, Plan, Posting, SupportAssignment, Unit, UserProfile


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "province", "district"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["district"]


@admin.register(SupportAssignment)
class SupportAssignmentAdmin(admin.ModelAdmin):
    list_display = ["unit", "commune", "start_date", "end_date"]
    list_filter = ["unit__province"]
    autocomplete_fields = ["unit", "commune"]


class PostingInline(admin.TabularInline):
    model = Posting
    extra = 0
    autocomplete_fields = ["commune"]
    fields = ["commune", "position", "start_date", "end_date", "end_reason", "decision_number", "decision_date"]


@admin.register(Officer)
class OfficerAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["full_name", "service_number", "rank", "gender", "ethnicity", "home_unit", "status"]
    list_filter = ["status", "rank", "gender", "ethnicity", "home_unit__province"]
    # search_name is the folded name, so "nguyen" finds "Nguyễn" (admin lower-cases the query itself)
    search_fields = ["search_name", "=service_number"]
    autocomplete_fields = ["home_unit"]
    list_select_related = ["home_unit"]
    inlines = [PostingInline]


@admin.register(Posting)
class PostingAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["officer", "position", "commune", "start_date", "end_date", "end_reason", "decision_number"]
    list_filter = ["position", "end_reason", "commune__province", "commune__district"]
    search_fields = ["officer__search_name", "commune__search_name", "commune__district__search_name"]
    autocomplete_fields = ["officer", "commune"]
    list_select_related = ["officer", "commune"]
    date_hierarchy = "start_date"


@admin.register(PartyRole)
class PartyRoleAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["holder", "role", "commune", "cell", "start_date", "end_date"]
    list_filter = ["role", "commune__province"]
    search_fields = ["officer__search_name", "holder_name", "commune__search_name", "commune__district__search_name"]
    autocomplete_fields = ["officer", "commune", "cell"]
    list_select_related = ["officer", "commune", "cell__commune"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "province", "issued_on", "min_officers"]
    search_fields = ["number", "title"]
    autocomplete_fields = ["communes"]


@admin.register(UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "province"]
    list_filter = ["role", "province"]
    filter_horizontal = ["districts"]
    search_fields = ["user__username"]
