from django.urls import path

from . import api

urlpatterns: list = [
    path("calendar/due", api.DueApi.as_view(), name="calendar-due"),
    path("calendar/due/", api.DueApiSlash.as_view()),
    path("calendar/workdays", api.WorkdaysApi.as_view(), name="calendar-workdays"),
    path("calendar/workdays/", api.WorkdaysApiSlash.as_view()),
]
