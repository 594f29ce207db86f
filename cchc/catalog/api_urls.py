from django.urls import path

from . import api

urlpatterns = [
    path("procedures/", api.ProcedureListApi.as_view(), name="api-procedures"),
    path("procedures/<str:code>/", api.ProcedureDetailApi.as_view(), name="api-procedure-detail"),
]
