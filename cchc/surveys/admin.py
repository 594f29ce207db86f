from django.contrib import admin

from .models import Aspect, PublishedAggregate, PublishedResult, Question, Questionnaire, Survey, SurveyUnit


@admin.register(PublishedResult)
class PublishedResultAdmin(admin.ModelAdmin):
    list_display = ("index_kind", "component", "year", "entity_name", "score", "rank", "rank_of", "flagged", "source_name")
    list_filter = ("index_kind", "year", "flagged")
    search_fields = ("entity_name", "source_url", "note")


@admin.register(PublishedAggregate)
class PublishedAggregateAdmin(admin.ModelAdmin):
    list_display = ("index_kind", "year", "scope", "measure", "value", "flagged")
    list_filter = ("index_kind", "year", "flagged")


class AspectInline(admin.TabularInline):
    model = Aspect
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("code", "version", "title", "is_active", "effective_from")
    inlines = [AspectInline, QuestionInline]


class SurveyUnitInline(admin.TabularInline):
    model = SurveyUnit
    extra = 0
    raw_id_fields = ("unit",)


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "status", "period_start", "period_end")
    inlines = [SurveyUnitInline]
