from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from communes.models import Commune, CommuneChange, District, PartyCell, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "search_name", "=code"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "province"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "search_name", "=code"]
    list_select_related = ["province"]


class CommuneChangeInline(admin.TabularInline):
    model = CommuneChange
    extra = 0


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "district", "established_on", "abolished_on"]
    list_filter = ["kind", "district__province"]
    search_fields = ["name", "search_name", "=code"]
    list_select_related = ["district"]
    inlines = [CommuneChangeInline]


@admin.register(CommuneChange)
class CommuneChangeAdmin(admin.ModelAdmin):
    list_display = ["commune", "effective_on", "previous_name", "previous_kind", "legal_basis"]
    search_fields = ["previous_name", "commune__name", "commune__search_name"]
    autocomplete_fields = ["commune"]


@admin.register(PartyCell)
class PartyCellAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "commune", "established_on", "decision_number", "dissolved_on"]
    list_filter = ["commune__district__province", "commune__district"]
    search_fields = ["name", "commune__name", "commune__search_name", "decision_number"]
    autocomplete_fields = ["commune"]
    list_select_related = ["commune"]
