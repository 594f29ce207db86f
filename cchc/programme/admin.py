from django.contrib import admin

from .models import Plan, PlanTask, ProgressReport

admin.site.register(Plan)
admin.site.register(PlanTask)
admin.site.register(ProgressReport)
