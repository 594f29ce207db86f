from django.urls import path

from . import api, lost_api

urlpatterns = [
    path("indices/criteria-sets/", api.CriteriaSetListApi.as_view(), name="api-indices-criteria-sets"),
    path("indices/criteria-sets/import/", api.CriteriaSetImportApi.as_view(), name="api-indices-criteria-sets-import"),
    path("indices/criteria-sets/<int:pk>/", api.CriteriaSetDetailApi.as_view(), name="api-indices-criteria-set"),
    path("indices/criteria-sets/<int:pk>/copy/", api.CriteriaSetCopyApi.as_view(), name="api-indices-criteria-set-copy"),
    path("indices/criteria-sets/<int:pk>/export/", api.CriteriaSetExportApi.as_view(), name="api-indices-criteria-set-export"),
    path("indices/cycles/", api.CycleListApi.as_view(), name="api-indices-cycles"),
    path("indices/cycles/<int:pk>/", api.CycleDetailApi.as_view(), name="api-indices-cycle"),
    path("indices/cycles/<int:pk>/transition/", api.CycleTransitionApi.as_view(), name="api-indices-cycle-transition"),
    path("indices/cycles/<int:pk>/assessments/", api.AssessmentListApi.as_view(), name="api-indices-assessments"),
    path("indices/cycles/<int:pk>/self-assess/", api.SelfAssessApi.as_view(), name="api-indices-self-assess"),
    path("indices/cycles/<int:pk>/evidence/", api.EvidenceUploadApi.as_view(), name="api-indices-evidence"),
    path("indices/cycles/<int:pk>/appraise/", api.AppraiseApi.as_view(), name="api-indices-appraise"),
    path("indices/cycles/<int:pk>/explain/", api.ExplainApi.as_view(), name="api-indices-explain"),
    path("indices/cycles/<int:pk>/data-import/", api.DataImportApi.as_view(), name="api-indices-data-import"),
    path("indices/cycles/<int:pk>/survey-scores/", api.SurveyScoresImportApi.as_view(), name="api-indices-survey-scores"),
    path("indices/cycles/<int:pk>/results/", api.ResultsApi.as_view(), name="api-indices-results"),
    path("indices/cycles/<int:pk>/group-figures/", api.GroupFiguresApi.as_view(), name="api-indices-group-figures"),
    path("indices/cycles/<int:pk>/lost-points/", api.LostPointsApi.as_view(), name="api-indices-lost-points"),
    path("indices/cycles/<int:pk>/path-to-target/", api.PathToTargetApi.as_view(), name="api-indices-path-to-target"),
    path("indices/cycles/<int:pk>/national-lost-points/", lost_api.NationalLostPointsApi.as_view(), name="api-indices-national-lost"),
    path("indices/cycles/<int:pk>/national-lost-points/assign/", lost_api.NationalLostAssignApi.as_view(), name="api-indices-national-lost-assign"),
    path("indices/cycles/<int:pk>/national-lost-points/assign-default/", lost_api.NationalLostAssignDefaultApi.as_view(),
         name="api-indices-national-lost-assign-default"),
    path("indices/lost-point-assignments/", lost_api.LostWorklistApi.as_view(), name="api-indices-lost-worklist"),
    path("indices/lost-point-assignments/<int:pk>/explain/", lost_api.LostExplainApi.as_view(), name="api-indices-lost-explain"),
    path("indices/lost-point-assignments/<int:pk>/review/", lost_api.LostReviewApi.as_view(), name="api-indices-lost-review"),
    path("indices/lost-point-defaults/", lost_api.LostDefaultsApi.as_view(), name="api-indices-lost-defaults"),
]
