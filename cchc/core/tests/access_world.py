"""The small world of the access test (kiểm thử phân quyền): one user per role and, for each kind of object a
URL names, one object per relation to those users.

Units (dossiers' factory): province T99 with the service centre, the Department of Justice (Sở Tư pháp), the
Department of Home Affairs (Sở Nội vụ, the PAR office), commune X1 with its one-stop desk; province T98 with
its centre. Users (role → unit): motcua → centre, chuyenvien and giamdoc → Sở Tư pháp, noivu → Sở Nội vụ,
lanhdao → province, quantri (superuser); congdan, doanhnghiep (a business), congdan2 (the "other citizen").

Each object variant is a `Variant(label, params, units, owner)`: `params` fill the URL's path parameters,
`units` are the units the object belongs to (a dossier: receiving and handling unit), `owner` is the citizen
account it belongs to (if any). Labels: "dept" (Sở Tư pháp: own unit of chuyenvien/giamdoc), "province"
(the parent unit), "commune" (another unit of the province), "other_province", "citizen" (congdan's own
record), "other_citizen" (congdan2's). Kinds the world does not build are filled with an id that does not
exist: every role must then be refused (404), which still checks the gate and that nothing answers 5xx.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

MISSING_ID = 987654


@dataclass
class Variant:
    label: str
    params: dict
    units: tuple = ()
    owner: object = None
    markers: tuple = ()  # text that only those allowed to read the object may see
    query: str = ""  # query string the URL needs with this object (a token, a group id)


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role key → User (None for anonymous)
    objects: dict = field(default_factory=dict)  # object kind → [Variant]
    units: dict = field(default_factory=dict)
    secrets: list = field(default_factory=list)  # (marker, units, owner): private text of an object


def _vn(y, m, d, hh=9):
    from zoneinfo import ZoneInfo

    return dt.datetime(y, m, d, hh, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def build_world() -> World:
    from cchc.accounts.models import Role, User
    from cchc.catalog.models import ProvinceProcedure
    from cchc.dossiers.tests.factories import make_world
    from cchc.units.models import Unit, UnitKind

    base = make_world()
    w = World()
    province, centre, dept, commune, desk = (
        base[k] for k in ("province", "centre", "dept", "commune", "desk")
    )
    other_province, other_centre = base["other_province"], base["other_centre"]
    home_affairs = Unit.objects.create(
        code="T99.SNV", name="Sở Nội vụ", kind=UnitKind.DEPARTMENT, parent=province
    )
    w.units = {
        "province": province,
        "centre": centre,
        "dept": dept,
        "commune": commune,
        "desk": desk,
        "home_affairs": home_affairs,
        "other_province": other_province,
        "other_centre": other_centre,
    }

    def user(username, role, unit=None, **extra):
        return User.objects.create_user(
            username=username,
            password="matkhau123",
            role=role,
            unit=unit,
            email=f"{username}@example.vn",
            **extra,
        )

    citizen = user(
        "congdan", Role.CITIZEN, full_name="Nguyễn Văn Dân", phone="0912000001", id_number="001090000001"
    )
    business = user(
        "doanhnghiep",
        Role.CITIZEN,
        full_name="Công ty TNHH Thử",
        is_organisation=True,
        id_number="0312345678",
    )
    citizen2 = user(
        "congdan2", Role.CITIZEN, full_name="Trần Thị Khác", phone="0912000002", id_number="001090000002"
    )
    par = user("noivu", Role.PAR_OFFICE, home_affairs)
    w.users = {
        "anonymous": None,
        "citizen": citizen,
        "business": business,
        "one_stop_officer": base["officer"],
        "specialist": base["specialist"],
        "unit_head": base["head"],
        "par_office": par,
        "province_leader": base["leader"],
        "superuser": base["admin"],
    }
    w.citizen2 = citizen2
    w.base = base
    w.staff = {
        "desk_officer": base["desk_officer"],
        "other_officer": base["other_officer"],
        "commune_head": base["commune_head"],
    }
    other_par = user(
        "noivu.khac",
        Role.PAR_OFFICE,
        Unit.objects.create(
            code="T98.SNV", name="Sở Nội vụ tỉnh Khác", kind=UnitKind.DEPARTMENT, parent=other_province
        ),
    )
    w.staff["other_par"] = other_par
    ProvinceProcedure.objects.create(
        province=other_province,
        procedure=base["procedure"],
        handling_unit=other_centre,
        level="province",
        time_value=Decimal("3"),
        time_unit="working_days",
        online_level="full",
        effective_from=dt.date(2020, 1, 1),
    )
    w.objects["unit"] = [
        Variant("dept", {"code": dept.code}, (dept,)),
        Variant("province", {"code": province.code}, (province,)),
        Variant("commune", {"code": commune.code}, (commune,)),
        Variant("other_province", {"code": other_province.code}, (other_province,)),
    ]
    w.objects["procedure"] = [
        Variant("published", {"code": base["procedure"].code, "procedure_code": base["procedure"].code}),
        Variant(
            "unpublished", {"code": base["unpublished"].code, "procedure_code": base["unpublished"].code}
        ),
    ]
    w.objects["province_procedure"] = [
        Variant("province", {"pp_id": base["pp"].pk}, (province,)),
        Variant(
            "other_province",
            {"pp_id": ProvinceProcedure.objects.get(province=other_province).pk},
            (other_province,),
        ),
    ]
    from cchc.serviceindex import reference as serviceindex_reference
    from cchc.serviceindex.models import IndicatorSet

    serviceindex_reference.load()
    w.objects["indicator"] = [Variant("national", {"code": "2.1"}, query="tinh=T99")]
    w.objects["indicator_set"] = [Variant("national", {"pk": IndicatorSet.objects.order_by("pk").first().pk})]
    for part in (
        _dossiers,
        _feedback,
        _inspections,
        _programme,
        _counters,
        _surveys,
        _indices,
        _national_index,
        _commendations,
    ):
        part(w)
    return w


def _dossiers(w: World):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cchc.dossiers import services
    from cchc.dossiers.models import Dossier
    from cchc.dossiers.tests.factories import PDF_BYTES, applicant

    b, u = w.base, w.units
    at = _vn(2026, 3, 2)

    def receive(actor, proc, unit, owner, name, id_number):
        d = services.dossier_receive(
            actor=actor,
            procedure_code=proc.code,
            unit_code=unit.code,
            channel="online",
            applicant=applicant(name=name, id_number=id_number),
            received_at=at,
            payment={"status": "unpaid"},
        )
        if owner is not None:
            Dossier.objects.filter(pk=d.pk).update(applicant_user=owner, fee_amount=200000)
        doc = services.dossier_attach_document(
            code=d.code,
            actor=actor,
            uploaded_file=SimpleUploadedFile("don.pdf", PDF_BYTES, "application/pdf"),
        )
        d.refresh_from_db()
        return d, doc

    own, own_doc = receive(
        b["officer"], b["procedure"], u["centre"], w.users["citizen"], "Nguyễn Văn Dân", "001090000001"
    )
    com, com_doc = receive(
        b["desk_officer"], b["commune_procedure"], u["desk"], w.citizen2, "Trần Thị Khác", "001090000002"
    )
    oth, oth_doc = receive(
        w.staff["other_officer"], b["procedure"], u["other_centre"], None, "Lê Ngoại Tỉnh", "001090000003"
    )
    units = {
        own.pk: (u["centre"], u["dept"]),
        com.pk: (u["desk"], u["commune"]),
        oth.pk: (u["other_centre"],),
    }
    owners = {own.pk: w.users["citizen"], com.pk: w.citizen2, oth.pk: None}
    labels = {own.pk: "dept", com.pk: "commune", oth.pk: "other_province"}
    dossiers = (own, com, oth)
    w.dossiers = dossiers

    def variants(extra):
        return [
            Variant(
                labels[d.pk], {"code": d.code, **extra(d)}, units[d.pk], owners[d.pk], (d.applicant_name,)
            )
            for d in dossiers
        ]

    docs = {own.pk: own_doc, com.pk: com_doc, oth.pk: oth_doc}
    w.objects["dossier"] = variants(lambda d: {})
    w.objects["dossier_document"] = variants(lambda d: {"doc_id": docs[d.pk].pk})
    w.objects["dossier_public"] = [
        Variant(labels[d.pk], {"code": d.code}, units[d.pk], owners[d.pk], query=f"token={d.lookup_token}")
        for d in dossiers
    ] + [Variant("wrong_token", {"code": own.code}, query="token=SAI0000000000000")]
    w.objects["dossier_pdf"] = variants(lambda d: {"slug": "giay-tiep-nhan"})
    w.objects["dossier_action"] = variants(lambda d: {"action": "assign"})
    for d in dossiers:
        w.secrets.append((d.applicant_name, units[d.pk], owners[d.pk]))
    _payments_and_shipments(w, dossiers, labels, owners)


def _payments_and_shipments(w: World, dossiers, labels, owners):
    """A paid online payment and a postal shipment per dossier: the receipt and the tracking page are the
    applicant's, or staff's whose scope holds the receiving unit (`dossier.unit`)."""
    from django.utils import timezone

    from cchc.integrations.models import Payment, PaymentState, PostalShipment

    now = timezone.now()
    pays, ships = [], []
    for i, d in enumerate(dossiers, start=1):
        p = Payment.objects.create(
            dossier=d,
            gateway="vnpay",
            txn_ref=f"ACCESS{i:04d}",
            amount=200000,
            status=PaymentState.PAID,
            created_at=now,
            paid_at=now,
            receipt_number=f"BL-ACCESS-{i}",
        )
        s = PostalShipment.objects.create(
            dossier=d, carrier="vnpost", waybill=f"EA{i:07d}VN", handed_over_at=now, status_at=now
        )
        pays.append(Variant(labels[d.pk], {"txn_ref": p.txn_ref}, (d.unit,), owners[d.pk]))
        ships.append(Variant(labels[d.pk], {"waybill": s.waybill}, (d.unit,), owners[d.pk]))
    w.objects["payment"] = pays
    w.objects["waybill"] = ships
    _notice_deliveries(w, dossiers, labels)


def _notice_deliveries(w: World, dossiers, labels):
    """A failed SMS notice per dossier (requeued by staff who may process the dossier)."""
    from django.utils import timezone

    from cchc.integrations.models import DeliveryState, Notice, NoticeDelivery

    out = []
    for d in dossiers:
        n = Notice.objects.create(
            dossier=d, kind="result_ready", key=f"access:{d.pk}", created_at=timezone.now()
        )
        x = NoticeDelivery.objects.create(
            notice=n,
            channel="sms",
            recipient="0912345699",
            status=DeliveryState.FAILED,
            next_attempt_at=timezone.now(),
            last_error="access world",
        )
        out.append(Variant(labels[d.pk], {"pk": x.pk}, w.objects["dossier"][dossiers.index(d)].units))
    w.objects["notice_delivery"] = out


def _feedback(w: World):
    from cchc.feedback import services

    par, province, dept = w.users["par_office"], w.units["province"], w.units["dept"]
    mine = services.feedback_file(
        actor=w.users["citizen"],
        province=province,
        kind="phan_anh",
        title="Phản ánh của congdan",
        content="Nội dung riêng PA-RIENG-CONGDAN",
    )
    services.feedback_classify(actor=par, feedback_id=mine.pk, subject="procedure", field="Chứng thực")
    services.feedback_route(actor=par, feedback_id=mine.pk, unit=dept)
    theirs = services.feedback_file(
        actor=w.citizen2,
        province=province,
        kind="phan_anh",
        title="Phản ánh của congdan2",
        content="Nội dung riêng PA-RIENG-CONGDAN2",
    )
    services.feedback_classify(actor=par, feedback_id=theirs.pk, subject="procedure", field="Hộ tịch")
    services.feedback_route(actor=par, feedback_id=theirs.pk, unit=w.units["commune"])
    other = services.feedback_file(
        actor=w.staff["other_par"],
        province=w.units["other_province"],
        kind="phan_anh",
        title="Phản ánh tỉnh Khác",
        content="Nội dung riêng PA-RIENG-TINHKHAC",
        sender_name="Người Tỉnh Khác",
        sender_phone="0912999999",
        channel="hotline",
    )
    w.objects["feedback"] = [
        Variant("dept", {"pk": mine.pk, "action": "answer"}, (dept, province), w.users["citizen"]),
        Variant("commune", {"pk": theirs.pk, "action": "answer"}, (w.units["commune"], province), w.citizen2),
        Variant("other_province", {"pk": other.pk, "action": "answer"}, (w.units["other_province"],), None),
    ]
    w.secrets += [
        ("PA-RIENG-CONGDAN2", (province,), w.citizen2),
        ("PA-RIENG-TINHKHAC", (w.units["other_province"],), None),
    ]
    dlg = services.dialogue_record(
        actor=par,
        unit=province,
        held_on=dt.date(2026, 3, 1),
        title="Đối thoại tỉnh",
        chaired_by="Chủ tịch UBND tỉnh",
    )
    odlg = services.dialogue_record(
        actor=w.staff["other_par"],
        unit=w.units["other_province"],
        held_on=dt.date(2026, 3, 1),
        title="Đối thoại tỉnh Khác",
        chaired_by="Chủ tịch UBND tỉnh Khác",
    )
    w.objects["dialogue"] = [
        Variant("province", {"pk": dlg.pk}, (province,)),
        Variant("other_province", {"pk": odlg.pk}, (w.units["other_province"],)),
    ]


def _inspections(w: World):
    from cchc.inspections import services

    D = dt.date
    out = {}
    for key, prov, actor, target in (
        ("province", w.units["province"], w.users["par_office"], w.units["dept"]),
        ("other_province", w.units["other_province"], w.staff["other_par"], w.units["other_centre"]),
    ):
        plan = services.plan_create(
            province=prov, year=2026, title=f"Kế hoạch kiểm tra 2026 {prov.code}", actor=actor
        )
        insp = services.inspection_create(
            plan=plan,
            unit=target,
            scope="Kiểm tra CCHC",
            planned_start=D(2026, 3, 10),
            planned_end=D(2026, 3, 11),
            members=[
                {"name": "Trưởng Đoàn", "unit": prov, "is_leader": True},
                {"name": "Thành Viên", "unit": target},
            ],
            actor=actor,
        )
        services.inspection_record_conducted(
            inspection=insp,
            actual_start=D(2026, 3, 10),
            actual_end=D(2026, 3, 11),
            actor=actor,
            today=D(2026, 12, 5),
        )
        rec = services.recommendation_add(
            inspection=insp,
            text="Niêm yết lại thủ tục",
            responsible_unit=target,
            deadline=D(2026, 6, 30),
            actor=actor,
        )
        finding = services.finding_add(inspection=insp, text="Chưa niêm yết đủ thủ tục", actor=actor)
        out[key] = (insp, rec, target, plan, finding)
    w.objects["inspection"] = [
        Variant("dept", {"pk": out["province"][0].pk}, (w.units["dept"],)),
        Variant("other_province", {"pk": out["other_province"][0].pk}, (w.units["other_centre"],)),
    ]
    w.objects["inspection_plan"] = [
        Variant(k, {"plan_pk": out[k][3].pk}, (out[k][3].province,)) for k in ("province", "other_province")
    ]
    w.objects["inspection_finding"] = [
        Variant(label, {"pk": out[k][0].pk, "finding_pk": out[k][4].pk}, (unit,))
        for k, label, unit in (
            ("province", "dept", w.units["dept"]),
            ("other_province", "other_province", w.units["other_centre"]),
        )
    ]
    w.objects["recommendation"] = [
        Variant("dept", {"pk": out["province"][1].pk}, (w.units["dept"],)),
        Variant("other_province", {"pk": out["other_province"][1].pk}, (w.units["other_centre"],)),
    ]


def _programme(w: World):
    from cchc.programme import services

    D = dt.date
    plan = services.plan_create(unit=w.units["province"], year=2026, actor=w.users["par_office"])
    task = services.task_create(
        plan=plan,
        actor=w.users["par_office"],
        content="Rà soát thủ tục",
        unit=w.units["dept"],
        deadline=D(2026, 6, 30),
    )
    task_c = services.task_create(
        plan=plan,
        actor=w.users["par_office"],
        content="Niêm yết thủ tục xã",
        unit=w.units["commune"],
        deadline=D(2026, 6, 30),
    )
    oplan = services.plan_create(unit=w.units["other_province"], year=2026, actor=w.staff["other_par"])
    otask = services.task_create(
        plan=oplan,
        actor=w.staff["other_par"],
        content="Nhiệm vụ tỉnh Khác",
        unit=w.units["other_centre"],
        deadline=D(2026, 6, 30),
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cchc.dossiers.tests.factories import PDF_BYTES

    evidence = []
    for label, t, actor in (
        ("dept", task, w.users["unit_head"]),
        ("other_province", otask, w.staff["other_par"]),
    ):
        report = services.progress_report_add(
            task=t,
            actor=actor,
            content="Đã rà soát",
            percent=50,
            uploaded_file=SimpleUploadedFile("minh-chung.pdf", PDF_BYTES, "application/pdf"),
        )
        evidence.append(Variant(label, {"pk": report.pk}, (t.unit,)))
    w.objects["progress_evidence"] = evidence
    w.objects["plan"] = [
        Variant("province", {"pk": plan.pk}, (w.units["province"],)),
        Variant("other_province", {"pk": oplan.pk}, (w.units["other_province"],)),
    ]
    w.objects["plan_task"] = [
        Variant("dept", {"pk": task.pk}, (w.units["dept"],)),
        Variant("commune", {"pk": task_c.pk}, (w.units["commune"],)),
        Variant("other_province", {"pk": otask.pk}, (w.units["other_centre"],)),
    ]


def _counters(w: World):
    from django.utils import timezone

    from cchc.counters.models import Channel, Counter, FieldGroup, Ticket

    out = []
    for label, centre in (("centre", w.units["centre"]), ("other_province", w.units["other_centre"])):
        g = FieldGroup.objects.create(
            centre=centre,
            prefix="A",
            name="Tư pháp",
            fields="Tư pháp",
            default_service_minutes=10,
            slot_capacity=2,
        )
        c = Counter.objects.create(centre=centre, number=1)
        c.groups.set([g])
        out.append((label, centre, g, c))
    w.objects["counter"] = [Variant(label, {"pk": c.pk}, (centre,)) for label, centre, _g, c in out]
    now = timezone.now()
    kiosk, online = [], []
    for n, (label, centre, g, _c) in enumerate(out, start=1):
        t = Ticket.objects.create(
            centre=centre,
            group=g,
            day=timezone.localdate(),
            number=n,
            code=f"A{n:03d}",
            channel=Channel.KIOSK,
            issued_at=now,
        )
        kiosk.append(Variant(label, {"code": centre.code, "pk": t.pk}, (centre,)))
    _label, centre, g, _c = out[0]
    for n, (label, citizen) in enumerate(
        (("citizen", w.users["citizen"]), ("other_citizen", w.citizen2)), start=10
    ):
        t = Ticket.objects.create(
            centre=centre,
            group=g,
            day=timezone.localdate(),
            number=n,
            code=f"A{n:03d}",
            channel=Channel.ONLINE,
            issued_at=now,
            appointment_start=now,
            citizen=citizen,
        )
        online.append(Variant(label, {"code": centre.code, "pk": t.pk}, (centre,), citizen))
    w.objects["ticket"] = kiosk
    w.objects["online_ticket"] = online
    w.objects["centre"] = [
        Variant(
            label,
            {"code": centre.code},
            (centre,),
            query=f"group={g.pk}&day=2026-12-07&from=2026-12-01&to=2026-12-31",
        )
        for label, centre, g, _c in out
    ]


def _surveys(w: World):
    from cchc.surveys.reference import ensure_questionnaire
    from cchc.surveys.services import invitation_create, survey_open

    q, _ = ensure_questionnaire()
    out = {}
    for key, prov, actor, unit in (
        ("province", w.units["province"], w.users["par_office"], w.units["dept"]),
        ("other_province", w.units["other_province"], w.staff["other_par"], w.units["other_centre"]),
    ):
        s = survey_open(
            questionnaire=q,
            title=f"SIPAS 2026 {prov.code}",
            year=2026,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
            units=[unit],
            province=prov,
            populations={unit.pk: 500},
            actor=actor,
        )
        inv = invitation_create(survey=s, unit=unit, actor=actor)
        out[key] = (s, inv, unit)
    w.objects["questionnaire"] = [Variant("national", {"pk": q.pk})]
    w.objects["survey"] = [
        Variant(k, {"pk": s.pk, "unit_id": unit.pk}, (unit, s.province)) for k, (s, _i, unit) in out.items()
    ]
    w.objects["survey_token"] = [
        Variant("token", {"token": out["province"][1].token}),
        Variant("wrong_token", {"token": "khong-co-ma-nay"}),
    ]


def _indices(w: World):
    from cchc.indices import services
    from cchc.indices.tests.factories import SMALL_TREE

    cs = services.criteria_set_create(
        code="access-test", name="Bộ tiêu chí thử", year=2026, target_group="department", rows=SMALL_TREE
    )
    out = {}
    for key, prov, actor, unit in (
        ("province", w.units["province"], w.users["par_office"], w.units["dept"]),
        ("other_province", w.units["other_province"], w.staff["other_par"], w.units["other_centre"]),
    ):
        c = services.cycle_open(
            criteria_set=cs, organiser=prov, year=2026, units=[unit], actor=actor, name=f"Kỳ 2026 {prov.code}"
        )
        out[key] = (c, unit)
    w.objects["criteria_set"] = [Variant("national", {"pk": cs.pk})]
    w.objects["cycle"] = [Variant(k, {"pk": c.pk}, (unit, c.organiser)) for k, (c, unit) in out.items()]
    w.objects["cycle_unit"] = [
        Variant(k, {"pk": c.pk, "unit_id": unit.pk, "code": "1.1"}, (unit, c.organiser))
        for k, (c, unit) in out.items()
    ]


def _national_index(w: World):
    """A published national PAR INDEX cycle of another province (TQ) with its lost points assigned by default:
    only the superuser of our users may reach it (nobody here belongs to TQ)."""
    from django.utils import timezone

    from cchc.indices import lost_services, reference
    from cchc.indices.models import LostPointAssignment
    from cchc.indices.tests import national_world

    nw = national_world.build(name="Tỉnh Quốc Gia", code="TQ")
    reference.load_lost_point_defaults()
    lost_services.lost_points_assign_default(
        cycle=nw["cycle"],
        deadline=(timezone.localdate() + dt.timedelta(days=7)).isoformat(),
        actor=nw["u"]["par"],
    )
    a = LostPointAssignment.objects.filter(cycle=nw["cycle"]).order_by("pk").first()
    w.objects["national_cycle"] = [Variant("other_province", {"pk": nw["cycle"].pk}, (nw["prov"],))]
    w.objects["lost_assignment"] = [Variant("other_province", {"pk": a.pk, "apk": a.pk}, (nw["prov"],))]


def _commendations(w: World):
    """A draft list of commendations per province, with one candidate whose name is private to the PAR office
    and the leaders of that province until the list is decided."""
    from cchc.commendations.models import Candidate, Form, Proposal

    proposals, candidates = [], []
    for label, prov, unit in (
        ("province", w.units["province"], w.units["dept"]),
        ("other_province", w.units["other_province"], w.units["other_centre"]),
    ):
        p = Proposal.objects.create(province=prov, year=2026)
        name = f"ỨNG VIÊN NHÁP {prov.code}"
        c = Candidate.objects.create(
            proposal=p,
            unit=unit,
            official_name=name,
            form=Form.CERTIFICATE,
            basis="Hoàn thành xuất sắc",
            manual=True,
        )
        proposals.append(Variant(label, {"pk": p.pk}, (prov,)))
        candidates.append(Variant(label, {"pk": c.pk}, (prov,)))
        w.secrets.append((name, (prov,), None))
    w.objects["proposal"] = proposals
    w.objects["candidate"] = candidates
