"""Dossier API: idempotent intake, 409s, scoping, public lookup and rating, uploads, schema."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from cchc.dossiers.models import Dossier, DossierRating

from .factories import applicant

pytestmark = pytest.mark.django_db


def body(world, **over):
    data = {"procedure_code": world["procedure"].code, "unit_code": world["centre"].code, "channel": "counter",
            "applicant": applicant(), "documents": ["Tờ khai", "Bản sao CCCD"]}
    data.update(over)
    return data


def client_for(api_client, user):
    token, _ = Token.objects.get_or_create(user=user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api_client


def create(api_client, world, key=None, user=None, **over):
    c = client_for(api_client, user or world["officer"])
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return c.post("/api/v1/dossiers/", body(world, **over), format="json", **headers)


def test_post_creates_a_dossier_and_answers_its_code_token_and_due_time(api_client, world):
    r = create(api_client, world, key="k-1")
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["code"].startswith("H99.01-") and data["status"] == "received"
    assert data["lookup_token"] and data["due_at"] and data["received_at"] and data["version"] == 1


def test_a_retried_post_with_the_same_key_returns_the_first_answer_and_creates_nothing(api_client, world):
    first = create(api_client, world, key="same-key")
    again = create(api_client, world, key="same-key")
    assert again.status_code == first.status_code == 201
    assert again.json() == first.json()
    assert Dossier.objects.count() == 1


def test_the_same_key_with_a_different_body_is_refused(api_client, world):
    create(api_client, world, key="k-2")
    r = create(api_client, world, key="k-2", channel="post")
    assert r.status_code == 422
    assert r.json()["code"] == "idempotency_key_reused"
    assert Dossier.objects.count() == 1


def test_keys_are_per_user(api_client, world):
    from cchc.accounts.models import Role, User

    colleague = User.objects.create_user(username="motcua2", password="matkhau123", role=Role.ONE_STOP_OFFICER, unit=world["centre"])
    create(api_client, world, key="shared")
    r = create(api_client, world, key="shared", user=colleague)
    assert r.status_code == 201 and Dossier.objects.count() == 2


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"procedure_code": "0.000000"}, "procedure_code"),
        ({"unit_code": "NOPE"}, "unit_code"),
        ({"procedure_code": "9.999999"}, "procedure_code"),
        ({"channel": "fax"}, "channel"),
        ({"applicant": {"kind": "person"}}, "applicant.name"),
        ({"received_at": "2099-01-01T09:00:00+07:00"}, "received_at"),
        ({"received_at": "yesterday"}, "received_at"),
    ],
)
def test_bad_input_answers_400_naming_the_field(api_client, world, over, field):
    r = create(api_client, world, **over)
    assert r.status_code == 400, r.content
    assert r.json()["field"] == field
    assert Dossier.objects.count() == 0


def test_a_caller_without_process_permission_gets_403(api_client, world):
    r = create(api_client, world, user=world["other_officer"])
    assert r.status_code == 403


def test_anonymous_callers_are_refused(api_client, world):
    r = api_client.post("/api/v1/dossiers/", body(world), format="json")
    assert r.status_code in (401, 403)


def test_transitions_answer_409_for_a_wrong_state_and_for_a_stale_version(api_client, world):
    code = create(api_client, world).json()["code"]
    url = f"/api/v1/dossiers/{code}/transitions/"
    r = api_client.post(url, {"action": "return", "version": 1}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "transition_not_allowed"
    r = api_client.post(url, {"action": "assign", "version": 1, "assignee": "chuyenvien"}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "in_process" and r.json()["version"] == 2
    r = api_client.post(url, {"action": "complete", "version": 1}, format="json")
    assert r.status_code == 409 and r.json()["code"] == "stale_version"
    assert "motcua" in r.json()["detail"]


def test_transition_input_errors_are_400(api_client, world):
    code = create(api_client, world).json()["code"]
    url = f"/api/v1/dossiers/{code}/transitions/"
    assert api_client.post(url, {"action": "fly", "version": 1}, format="json").status_code == 400
    r = api_client.post(url, {"action": "reject", "version": 1}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "reason"
    r = api_client.post(url, {"action": "reject"}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "version"


def test_the_list_shows_only_what_the_caller_may_see(api_client, world):
    create(api_client, world)
    create(api_client, world)
    client_for(api_client, world["other_officer"])
    assert api_client.get("/api/v1/dossiers/").json()["count"] == 0
    client_for(api_client, world["leader"])
    data = api_client.get("/api/v1/dossiers/").json()
    assert data["count"] == 2
    client_for(api_client, world["specialist"])  # the handling department sees what it handles
    assert api_client.get("/api/v1/dossiers/").json()["count"] == 2
    client_for(api_client, world["desk_officer"])
    assert api_client.get("/api/v1/dossiers/").json()["count"] == 0


def test_the_list_filters_by_status_unit_due_and_text(api_client, world):
    code = create(api_client, world).json()["code"]
    create(api_client, world, applicant=applicant(name="Trần Thị Bình"))
    assert api_client.get("/api/v1/dossiers/?status=received").json()["count"] == 2
    assert api_client.get("/api/v1/dossiers/?status=returned").json()["count"] == 0
    assert api_client.get(f"/api/v1/dossiers/?unit={world['centre'].code}").json()["count"] == 2
    assert api_client.get("/api/v1/dossiers/?q=Bình").json()["count"] == 1
    assert api_client.get(f"/api/v1/dossiers/?q={code}").json()["count"] == 1
    assert api_client.get("/api/v1/dossiers/?due_before=2000-01-01").json()["count"] == 0


def test_detail_is_scoped_and_404_outside_the_scope(api_client, world):
    code = create(api_client, world).json()["code"]
    r = api_client.get(f"/api/v1/dossiers/{code}/")
    assert r.status_code == 200 and r.json()["applicant"]["name"] == "Nguyễn Văn An"
    client_for(api_client, world["other_officer"])
    assert api_client.get(f"/api/v1/dossiers/{code}/").status_code == 404
    assert api_client.post(f"/api/v1/dossiers/{code}/transitions/", {"action": "assign", "version": 1}, format="json").status_code == 404


def test_public_lookup_shows_status_without_personal_data(api_client, world):
    created = create(api_client, world).json()
    api_client.credentials()
    r = api_client.get(f"/api/v1/public/dossiers/{created['code']}/?token={created['lookup_token']}")
    assert r.status_code == 200
    data = r.json()
    assert data["status"] == "received" and data["status_label"] == "Mới tiếp nhận" and data["due_date"]
    text = r.content.decode()
    for personal in ("Nguyễn Văn An", "001090012345", "0912345678", "an@example.vn", "Trần Phú"):
        assert personal not in text


def test_a_wrong_or_missing_token_answers_exactly_like_an_unknown_code(api_client, world):
    created = create(api_client, world).json()
    api_client.credentials()
    unknown = api_client.get("/api/v1/public/dossiers/H00-000000-0000/?token=ABCDEFGH")
    wrong = api_client.get(f"/api/v1/public/dossiers/{created['code']}/?token=ABCDEFGH")
    missing = api_client.get(f"/api/v1/public/dossiers/{created['code']}/")
    assert unknown.status_code == wrong.status_code == missing.status_code == 404
    assert unknown.content == wrong.content == missing.content


def test_public_lookup_is_rate_limited_per_client(api_client, world, settings):
    created = create(api_client, world).json()
    api_client.credentials()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public_lookup": "3/min"}}
    url = f"/api/v1/public/dossiers/{created['code']}/?token={created['lookup_token']}"
    codes = [api_client.get(url).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert api_client.get("/api/v1/public/dossiers/H00-000000-0000/?token=X").status_code == 429  # per client, any code
    assert api_client.get(url, REMOTE_ADDR="10.1.2.3").status_code == 200


def test_the_default_public_rate_comes_from_settings(api_client, world):
    created = create(api_client, world).json()
    api_client.credentials()
    url = f"/api/v1/public/dossiers/{created['code']}/?token={created['lookup_token']}"
    from django.conf import settings as django_settings

    limit = int(django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["public_lookup"].split("/")[0])
    codes = [api_client.get(url).status_code for _ in range(limit + 1)]
    assert codes[:limit] == [200] * limit and codes[-1] == 429


def _returned(api_client, world):
    created = create(api_client, world).json()
    url = f"/api/v1/dossiers/{created['code']}/transitions/"
    assert api_client.post(url, {"action": "complete", "version": 1}, format="json").status_code == 200
    return created, url


def test_rating_is_accepted_once_after_return(api_client, world):
    created, url = _returned(api_client, world)
    rate_url = f"/api/v1/public/dossiers/{created['code']}/rating/?token={created['lookup_token']}"
    api_client.credentials()
    assert api_client.post(rate_url, {"overall": 5}, format="json").status_code == 409  # not yet returned
    client_for(api_client, world["officer"])
    assert api_client.post(url, {"action": "return", "version": 2}, format="json").status_code == 200
    api_client.credentials()
    r = api_client.post(rate_url, {"overall": 4, "officials": 5, "comment": "Nhanh, chu đáo"}, format="json")
    assert r.status_code == 201, r.content
    assert api_client.post(rate_url, {"overall": 1}, format="json").status_code == 409
    rating = DossierRating.objects.get()
    assert (rating.overall, rating.officials, rating.access) == (4, 5, None)
    bad = api_client.post(f"/api/v1/public/dossiers/{created['code']}/rating/?token=WRONGTOK", {"overall": 4}, format="json")
    assert bad.status_code == 404


def test_rating_values_outside_1_to_5_are_400(api_client, world):
    created, url = _returned(api_client, world)
    api_client.post(url, {"action": "return", "version": 2}, format="json")
    api_client.credentials()
    rate_url = f"/api/v1/public/dossiers/{created['code']}/rating/?token={created['lookup_token']}"
    r = api_client.post(rate_url, {"overall": 6}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "overall"
    r = api_client.post(rate_url, {"overall": 5, "aspects": {"access": 0}}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "access"
    r = api_client.post(rate_url, {"overall": 5, "aspects": {"access": 4, "result": 5}}, format="json")
    assert r.status_code == 201 and DossierRating.objects.get().access == 4


def test_document_upload_checks_type_by_content_and_size(api_client, world, monkeypatch):
    from cchc.dossiers import services

    code = create(api_client, world).json()["code"]
    url = f"/api/v1/dossiers/{code}/documents/"
    pdf = SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    r = api_client.post(url, {"file": pdf, "name": "Tờ khai"}, format="multipart")
    assert r.status_code == 201, r.content
    assert len(r.json()["sha256"]) == 64
    fake = SimpleUploadedFile("anh.png", b"just text pretending", content_type="image/png")
    r = api_client.post(url, {"file": fake}, format="multipart")
    assert r.status_code == 400 and r.json()["code"] == "bad_type"
    monkeypatch.setattr(services, "MAX_UPLOAD_BYTES", 8)
    big = SimpleUploadedFile("to.pdf", b"%PDF-1.4\n" + b"x" * 100, content_type="application/pdf")
    assert api_client.post(url, {"file": big}, format="multipart").status_code == 413


def test_statistics_endpoint_reports_the_callers_scope(api_client, world):
    create(api_client, world)
    r = api_client.get("/api/v1/dossiers/statistics/?date_from=2000-01-01&date_to=2100-12-31&group_by=channel")
    assert r.status_code == 200
    assert r.json()["rows"][0]["received_new"] == 1
    client_for(api_client, world["other_officer"])
    r = api_client.get("/api/v1/dossiers/statistics/?date_from=2000-01-01&date_to=2100-12-31&group_by=none")
    assert r.json()["rows"][0]["received_new"] == 0
    assert api_client.get("/api/v1/dossiers/statistics/?date_from=x&date_to=2100-12-31").status_code == 400


def test_the_openapi_schema_validates(api_client, world):
    from openapi_spec_validator import validate

    r = api_client.get("/api/schema/?format=json")
    assert r.status_code == 200
    spec = r.json()
    validate(spec)
    assert "/api/v1/dossiers/{code}/transitions/" in spec["paths"]
    assert "/api/v1/public/dossiers/{code}/" in spec["paths"]


def test_the_par_office_edits_a_procedure_checklist_and_intake_reports_what_is_missing(api_client, world):
    from cchc.accounts.models import Role, User

    par = User.objects.create_user(username="noivu", password="matkhau123", role=Role.PAR_OFFICE, unit=world["province"])
    url = f"/api/v1/checklists/{world['procedure'].code}/"
    items = {"items": [{"name": "Tờ khai", "photocopies": 0}, {"name": "Bản sao CCCD", "original_copies": 0, "photocopies": 1},
                       {"name": "Giấy ủy quyền", "mandatory": False}, {"name": "Phiếu lý lịch cũ"}]}
    client_for(api_client, world["officer"])
    assert api_client.put(url, items, format="json").status_code == 403
    client_for(api_client, par)
    r = api_client.put(url, items, format="json")
    assert r.status_code == 200, r.content
    assert [i["name"] for i in r.json()["items"]] == ["Tờ khai", "Bản sao CCCD", "Giấy ủy quyền", "Phiếu lý lịch cũ"]
    assert api_client.put(url, {"items": [{"name": "A"}, {"name": "a"}]}, format="json").status_code == 400
    assert api_client.get("/api/v1/checklists/0.000000/").status_code == 404
    created = create(api_client, world)  # documents: Tờ khai, Bản sao CCCD
    assert created.status_code == 201
    assert created.json()["missing_documents"] == ["Phiếu lý lịch cũ"]
    client_for(api_client, world["officer"])
    assert api_client.get(url).json()["items"][1]["photocopies"] == 1


def test_the_schema_offers_exactly_the_payment_statuses_the_server_accepts(api_client, world):
    schema = api_client.get("/api/schema/?format=json").json()["components"]["schemas"]
    offered = schema[schema["PaymentRequest"]["properties"]["status"]["$ref"].rsplit("/", 1)[1]]["enum"]
    assert offered == ["paid_counter", "paid_online", "exempt", "unpaid"]
    assert create(api_client, world, payment={"status": "exempt"}).status_code == 201
    r = create(api_client, world, payment={"status": "not_required"})
    assert r.status_code == 400 and r.json()["field"] == "payment.status"
