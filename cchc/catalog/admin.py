from django.contrib import admin

from .models import Procedure, ProcedureEvent, ProvinceProcedure, SearchSynonym


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ("term", "expansion", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("term", "term_folded", "expansion")


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "field", "levels", "time_raw", "time_ambiguous", "is_active")
    list_filter = ("time_ambiguous", "time_unit", "issuing_agency", "is_active")
    search_fields = ("code", "name", "name_folded")


@admin.register(ProvinceProcedure)
class ProvinceProcedureAdmin(admin.ModelAdmin):
    list_display = ("procedure", "province", "level", "desk", "time_value", "time_unit", "online_level",
                    "effective_from", "effective_to")
    list_filter = ("level", "online_level", "time_unit")
    raw_id_fields = ("procedure", "province", "desk", "handling_unit")
    search_fields = ("procedure__code", "procedure__name")


@admin.register(ProcedureEvent)
class ProcedureEventAdmin(admin.ModelAdmin):
    list_display = ("procedure", "province", "kind", "decision_no", "decision_date")
    list_filter = ("kind",)
    raw_id_fields = ("procedure", "province")
