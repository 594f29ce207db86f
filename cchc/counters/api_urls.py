from django.urls import path

from . import api

urlpatterns = [
    path("queue/centres/", api.CentreListApi.as_view(), name="api-queue-centres"),
    path("queue/centres/<str:code>/tickets/", api.TicketIssueApi.as_view(), name="api-queue-issue"),
    path("queue/centres/<str:code>/slots/", api.SlotListApi.as_view(), name="api-queue-slots"),
    path("queue/centres/<str:code>/board/", api.BoardApi.as_view(), name="api-queue-board"),
    path("queue/centres/<str:code>/stats/", api.StatsApi.as_view(), name="api-queue-stats"),
    path("queue/counters/<int:pk>/call-next/", api.CallNextApi.as_view(), name="api-queue-call-next"),
    path("queue/tickets/<int:pk>/actions/", api.TicketActionApi.as_view(), name="api-queue-ticket-action"),
]
