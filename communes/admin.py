from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from communes.models import Commune, CommuneChange, District, PartyCell, Province
from kontum_posts.lib.vntext import fold


class FoldedSearchMixin:
    """Search the stored folded columns with a folded query: "Đắk Glei", "dak glei" and "DAK GLEI" agree."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, fold(search_term))


@admin.register(Province)
class ProvinceAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["search_name", "=code"]


@admin.register(District)
class DistrictAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "code", "kind", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["search_name", "=code"]
    list_select_related = ["province"]


class CommuneChangeInline(admin.TabularInline):
    model = CommuneChange
    extra = 0


@admin.register(Commune)
class CommuneAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "code", "kind", "district", "established_on", "abolished_on"]
    list_filter = ["kind", "province"]
    search_fields = ["search_name", "=code"]
    list_select_related = ["district"]
    inlines = [CommuneChangeInline]


@admin.register(CommuneChange)
class CommuneChangeAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["commune", "effective_on", "previous_name", "previous_kind", "legal_basis"]
    search_fields = ["commune__search_name"]
    autocomplete_fields = ["commune"]


@admin.register(PartyCell)
class PartyCellAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "commune", "established_on", "decision_number", "dissolved_on"]
    list_filter = ["commune__province", "commune__district"]
    search_fields = ["commune__search_name", "commune__district__search_name"]
    autocomplete_fields = ["commune"]
    list_select_related = ["commune"]
