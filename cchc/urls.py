from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from cchc.core import views as core_views
from cchc.indices import urls as indices_urls
from cchc.surveys import index_pages

admin.site.site_header = "Quản trị hệ thống CCHC"
admin.site.site_title = "Quản trị CCHC"

APPS = ["units", "accounts", "calendar", "catalog", "dossiers", "indices", "surveys", "serviceindex", "integrations", "inspections", "reports", "commendations", "identity", "portalsync", "feedback", "programme", "counters"]

# The index section (indices:) = the index engine's pages + the national-index pages that live in surveys
# (the higher app); composed here, the only place that may know both.
indices_patterns = [
    path("chi-so/", index_pages.home, name="home"),
    path("chi-so/nhap-ket-qua/", index_pages.import_results, name="import"),
    *indices_urls.urlpatterns,
]

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
    # the split view serves its init script as a file (?script): the Content-Security-Policy allows no inline script
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("", include((indices_patterns, "indices"))),
    *[path("", include(f"cchc.{app}.urls")) for app in APPS if app != "indices"],
]

handler400 = "cchc.core.views.bad_request"
handler403 = "cchc.core.views.forbidden"
handler404 = "cchc.core.views.not_found"
handler500 = "cchc.core.availability.server_error"  # 503 + Retry-After when the database is down, else the 500 page
