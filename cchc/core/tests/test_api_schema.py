import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_openapi_schema_is_valid_openapi_3(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_api_docs_page_is_served_without_external_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"cdn.jsdelivr" not in response.content


def test_unknown_api_path_is_a_404_not_a_500(client):
    assert client.get("/api/v1/khong-co/").status_code == 404


def test_unknown_api_path_answers_the_api_error_body_not_the_html_page(client):
    response = client.get("/api/v1/khong-co/")
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Trang hoặc hồ sơ bạn tìm không tồn tại.", "code": "not_found"}
    assert client.get("/khong-co/")["Content-Type"].startswith("text/html")  # pages keep the HTML page


def test_every_operation_documents_the_error_answers_it_can_give(client):
    schema = client.get("/api/schema/?format=json").json()
    assert "nullable" in schema["components"]["schemas"]["ApiError"]["properties"]["field"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert {"401", "403"} <= codes, (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert {"400", "404", "409"} <= codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
    public_lookup = schema["paths"]["/api/v1/public/dossiers/{code}/"]["get"]["responses"]
    assert "429" in public_lookup  # throttled view
    assert "429" not in schema["paths"]["/api/v1/me/"]["get"]["responses"]
    assert "409" not in schema["paths"]["/api/v1/me/"]["get"]["responses"]  # a GET changes no state


def test_a_nested_object_on_a_nullable_foreign_key_is_marked_nullable(client):
    unit = client.get("/api/schema/?format=json").json()["components"]["schemas"]["Unit"]
    assert unit["properties"]["parent"].get("nullable") is True


def test_exports_document_their_file_types(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    lost = paths["/api/v1/indices/cycles/{id}/lost-points/"]["get"]["responses"]["200"]["content"]
    assert set(lost) == {"application/json", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/pdf"}
    export = paths["/api/v1/indices/criteria-sets/{id}/export/"]["get"]["responses"]["200"]["content"]
    assert set(export) == {"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
