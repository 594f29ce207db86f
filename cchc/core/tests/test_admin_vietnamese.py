"""The system administration pages (/quan-tri-he-thong/) read in Vietnamese: app, model and column labels,
Django's own strings ("Show counts") and the favicon route."""

import pytest
from django.apps import apps

from cchc.accounts.models import Role
from cchc.units.tests.factories import make_province, make_user

pytestmark = pytest.mark.django_db

CCHC_APPS = ["core", "units", "accounts", "calendar", "catalog", "dossiers", "indices", "surveys"]


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(role=Role.SYSTEM_ADMIN))
    return client


def test_every_model_and_field_of_the_platform_has_a_vietnamese_label():
    """No model or field shows Django's English default (class name / field name with spaces)."""
    english = []
    for label in CCHC_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.verbose_name == model.__name__.lower() or model._meta.verbose_name_plural.endswith("s") and \
                    model._meta.verbose_name_plural == f"{model._meta.verbose_name}s":
                english.append(f"{label}.{model.__name__}")
            for field in model._meta.get_fields():
                if not hasattr(field, "verbose_name") or field.auto_created or field.name == "id":
                    continue
                if field.model.__module__.startswith("django."):
                    continue  # inherited from Django's AbstractUser: translated by Django's catalogue
                if str(field.verbose_name) == field.name.replace("_", " "):
                    english.append(f"{label}.{model.__name__}.{field.name}")
    assert english == []


def test_unit_changelist_shows_vietnamese_headers_and_filters_even_for_an_english_browser(admin_client):
    make_province(name="Tỉnh Thử Admin")
    html = admin_client.get("/quan-tri-he-thong/units/unit/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    for text in ("Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Hiện số lượng", "Đơn vị hành chính và cơ quan", "Quản trị hệ thống CCHC"):
        assert text in html, text
    for english in ("Show counts", ">Units<", ">Name<", ">Code<", "Select unit to change", "Filter</h2>"):
        assert english not in html, english


def test_admin_index_lists_apps_and_models_in_vietnamese(admin_client):
    html = admin_client.get("/quan-tri-he-thong/").content.decode()
    for text in ("Chỉ số CCHC", "Bộ tiêu chí", "Kỳ đánh giá", "Hồ sơ một cửa", "Tài khoản"):
        assert text in html, text
    assert ">Units<" not in html and ">Users<" not in html


def test_favicon_ico_redirects_to_the_svg_icon_which_exists(client):
    resp = client.get("/favicon.ico")
    assert resp.status_code == 301 and resp["Location"].endswith("/static/cchc/favicon.svg")
    from django.contrib.staticfiles import finders

    assert finders.find("cchc/favicon.svg")
    assert 'rel="icon"' in client.get("/").content.decode()
