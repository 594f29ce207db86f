from django.urls import path

from . import api

urlpatterns = [
    path("plans/", api.PlanListApi.as_view(), name="api-plans"),
    path("plans/<int:pk>/", api.PlanDetailApi.as_view(), name="api-plan"),
    path("plans/<int:pk>/issue/", api.PlanIssueApi.as_view(), name="api-plan-issue"),
    path("plans/<int:pk>/tasks/", api.PlanTaskCreateApi.as_view(), name="api-plan-tasks"),
    path("plans/tasks/<int:pk>/", api.TaskDetailApi.as_view(), name="api-plan-task"),
    path("plans/tasks/<int:pk>/status/", api.TaskStatusApi.as_view(), name="api-plan-task-status"),
    path("plans/tasks/<int:pk>/progress/", api.TaskProgressApi.as_view(), name="api-plan-task-progress"),
]
