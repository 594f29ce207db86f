from django.urls import path

from . import api

urlpatterns = [
    path("inspections/plans/", api.PlanListApi.as_view(), name="api-inspection-plans"),
    path("inspections/", api.InspectionListApi.as_view(), name="api-inspections"),
    path("inspections/recommendations/", api.RecommendationSearchApi.as_view(), name="api-inspection-recommendations"),
    path("inspections/recommendations/<int:pk>/follow-ups/", api.FollowUpApi.as_view(), name="api-inspection-follow-ups"),
    path("inspections/<int:pk>/", api.InspectionDetailApi.as_view(), name="api-inspection"),
    path("inspections/<int:pk>/conducted/", api.InspectionConductedApi.as_view(), name="api-inspection-conducted"),
    path("inspections/<int:pk>/close/", api.InspectionCloseApi.as_view(), name="api-inspection-close"),
    path("inspections/<int:pk>/findings/", api.FindingListApi.as_view(), name="api-inspection-findings"),
    path("inspections/<int:pk>/recommendations/", api.RecommendationListApi.as_view(), name="api-inspection-recommendations-of"),
]
