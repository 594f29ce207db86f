from django.urls import path

from . import api

urlpatterns = [
    path("feedback/", api.FeedbackListApi.as_view(), name="api-feedback"),
    path("feedback/public/", api.PublicFeedbackListApi.as_view(), name="api-feedback-public"),
    path("feedback/<int:pk>/", api.FeedbackDetailApi.as_view(), name="api-feedback-detail"),
    path("feedback/<int:pk>/classify/", api.FeedbackClassifyApi.as_view(), name="api-feedback-classify"),
    path("feedback/<int:pk>/route/", api.FeedbackRouteApi.as_view(), name="api-feedback-route"),
    path("feedback/<int:pk>/answer/", api.FeedbackAnswerApi.as_view(), name="api-feedback-answer"),
    path("feedback/<int:pk>/reject/", api.FeedbackRejectApi.as_view(), name="api-feedback-reject"),
    path("feedback/<int:pk>/publish/", api.FeedbackPublishApi.as_view(), name="api-feedback-publish"),
    path("dialogues/", api.DialogueListApi.as_view(), name="api-dialogues"),
    path("dialogues/<int:pk>/", api.DialogueDetailApi.as_view(), name="api-dialogue-detail"),
]
