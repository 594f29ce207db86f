from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "cchc.calendar"
    label = "calendar"
    verbose_name = "Lịch làm việc"
