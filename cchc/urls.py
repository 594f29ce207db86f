from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from cchc.core import views as core_views

admin.site.site_header = "Quản trị hệ thống CCHC"
admin.site.site_title = "Quản trị CCHC"

APPS = ["units", "accounts", "calendar", "catalog", "dossiers", "indices", "surveys"]

api_patterns = [path("", include(f"cchc.{app}.api_urls")) for app in APPS]

urlpatterns = [
    path("", core_views.home, name="home"),
    # browsers ask for /favicon.ico whatever the page links: send them to the SVG icon (no 404 in the logs)
    path("favicon.ico", RedirectView.as_view(url=static("cchc/favicon.svg"), permanent=True)),
    path("dang-nhap/", core_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", core_views.logout_view, name="logout"),
    path("quan-tri-he-thong/", admin.site.urls),
    path("api/v1/", include(api_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    *[path("", include(f"cchc.{app}.urls")) for app in APPS],
]

handler400 = "cchc.core.views.bad_request"
handler403 = "cchc.core.views.forbidden"
handler404 = "cchc.core.views.not_found"
handler500 = "cchc.core.views.server_error"
