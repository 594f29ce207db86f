from django.urls import path

from . import api

urlpatterns = [
    path("serviceindex/", api.ServiceIndexApi.as_view(), name="api-serviceindex"),
    path("serviceindex/drilldown/", api.ServiceIndexDrillApi.as_view(), name="api-serviceindex-drilldown"),
    path("serviceindex/warnings/", api.ServiceIndexWarningApi.as_view(), name="api-serviceindex-warnings"),
    path("serviceindex/figures/", api.ServiceIndexFigureApi.as_view(), name="api-serviceindex-figures"),
    path("serviceindex/sets/", api.ServiceIndexSetListApi.as_view(), name="api-serviceindex-sets"),
    path("serviceindex/sets/<int:pk>/revise/", api.ServiceIndexSetReviseApi.as_view(), name="api-serviceindex-set-revise"),
]
