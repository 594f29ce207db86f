from django.urls import path

from . import views

app_name = "counters"
urlpatterns = [
    # public: kiosk and TV board (no login)
    path("lay-so/", views.centre_list, name="centres"),
    path("lay-so/<str:code>/", views.kiosk, name="kiosk"),
    path("lay-so/<str:code>/so/<int:pk>/", views.kiosk_ticket, name="kiosk_ticket"),
    path("bang-hien-thi/<str:code>/", views.board, name="board"),
    path("bang-hien-thi/<str:code>/khung/", views.board_frame, name="board_frame"),
    # citizens
    path("dich-vu-cong/lay-so/", views.online, name="online"),
    path("dich-vu-cong/lay-so/so/<int:pk>/", views.online_ticket, name="online_ticket"),
    # staff
    path("quay/", views.officer_home, name="officer_home"),
    path("quay/<int:pk>/", views.officer_counter, name="officer"),
    path("quay/thong-ke/<str:code>/", views.stats, name="stats"),
]
