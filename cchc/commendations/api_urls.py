from django.urls import path

from . import api

urlpatterns = [
    path("commendations/rules/", api.RuleListApi.as_view(), name="api-commendation-rules"),
    path("commendations/proposals/", api.ProposalListApi.as_view(), name="api-commendation-proposals"),
    path("commendations/proposals/compute/", api.ProposalComputeApi.as_view(), name="api-commendation-compute"),
    path("commendations/proposals/<int:pk>/", api.ProposalDetailApi.as_view(), name="api-commendation-proposal"),
    path("commendations/proposals/<int:pk>/candidates/", api.CandidateAddApi.as_view(), name="api-commendation-candidate-add"),
    path("commendations/proposals/<int:pk>/decide/", api.ProposalDecideApi.as_view(), name="api-commendation-decide"),
    path("commendations/candidates/<int:pk>/remove/", api.CandidateRemoveApi.as_view(), name="api-commendation-candidate-remove"),
]
