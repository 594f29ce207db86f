"""Demo: the demo province's 2026 inspection plan (kế hoạch kiểm tra CCHC năm 2026).

Twelve inspections of departments and communes spread over the year; ten conducted with findings and
recommendations, follow-ups on and after the deadlines, a few recommendations overdue as of 05/12/2026, one
finding about an official's conduct with the action taken, two inspections still to come in December.
Deterministic (fixed tables), idempotent (does nothing when the plan exists).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

AS_OF = dt.date(2026, 12, 5)
D = dt.date

# (finding text, severity, recommendation text, days to deadline after the inspection)
FINDINGS = [
    ("Niêm yết công khai thủ tục hành chính tại Bộ phận Một cửa chưa cập nhật: 7 thủ tục vẫn theo quyết định công bố đã bị thay thế.",
     "minor", "Cập nhật niêm yết, công khai đầy đủ thủ tục hành chính theo quyết định công bố mới nhất của Chủ tịch UBND tỉnh.", 20),
    ("Còn hồ sơ giải quyết quá hạn nhưng đơn vị chưa gửi văn bản xin lỗi người dân, doanh nghiệp theo quy định.",
     "major", "Rà soát toàn bộ hồ sơ quá hạn từ đầu năm, gửi văn bản xin lỗi và hẹn lại ngày trả kết quả; báo cáo kết quả về Sở Nội vụ.", 30),
    ("Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đạt 61,5%, thấp hơn chỉ tiêu 80% của tỉnh.",
     "minor", "Xây dựng kế hoạch số hóa hồ sơ, kết quả giải quyết TTHC còn hiệu lực; phân công công chức thực hiện và báo cáo định kỳ hằng tháng.", 60),
    ("Chưa cập nhật kịp thời trạng thái xử lý hồ sơ trên Hệ thống thông tin giải quyết TTHC; một số hồ sơ tiếp nhận trực tiếp không có phiếu kiểm soát quá trình.",
     "minor", "Chấn chỉnh việc cập nhật tiến độ xử lý hồ sơ trên Hệ thống; lập phiếu kiểm soát quá trình giải quyết cho 100% hồ sơ.", 30),
    ("Báo cáo công tác CCHC quý II/2026 gửi trễ 12 ngày so với thời hạn quy định.",
     "note", "Thực hiện nghiêm chế độ báo cáo định kỳ về CCHC; phân công đầu mối theo dõi thời hạn báo cáo.", 45),
    ("Chưa ban hành kế hoạch tuyên truyền CCHC năm 2026; nội dung CCHC trên Trang thông tin điện tử của đơn vị ít được cập nhật.",
     "minor", "Ban hành kế hoạch tuyên truyền CCHC và cập nhật chuyên mục CCHC trên Trang thông tin điện tử ít nhất mỗi tháng một tin, bài.", 30),
    ("Chưa thực hiện rà soát, đề xuất đơn giản hóa thủ tục hành chính thuộc thẩm quyền theo kế hoạch của tỉnh.",
     "minor", "Rà soát, đề xuất phương án đơn giản hóa ít nhất 3 thủ tục hành chính, gửi Văn phòng UBND tỉnh.", 60),
    ("Khu vực Bộ phận Một cửa chưa bố trí đủ trang thiết bị hỗ trợ người dân nộp hồ sơ trực tuyến (máy tính, máy quét).",
     "note", "Bố trí máy tính, máy quét và công chức hướng dẫn người dân nộp hồ sơ trực tuyến tại Bộ phận Một cửa.", 90),
]

OFFICIAL_FINDING = dict(
    text="Qua xác minh phản ánh của người dân: công chức Tư pháp - Hộ tịch hẹn trả kết quả chứng thực nhiều lần không có lý do, "
         "yêu cầu nộp thêm bản sao giấy tờ ngoài quy định, gây phiền hà cho người dân.",
    severity="major", official_name="Trần Văn H.", official_position="Công chức Tư pháp - Hộ tịch", conduct="harassment",
    action_taken="criticism",
    action_note="Đơn vị tổ chức kiểm điểm, đánh giá không hoàn thành nhiệm vụ tháng 8/2026 và điều chuyển sang vị trí không tiếp xúc người dân.",
)

# unit key ("S:<department>" or "X:<commune index>"), planned start, planned days, actual start (None = not yet), finding
# indices, follow-up plan per recommendation: ("on", d) done d days before the deadline, ("late", d) done d days after,
# ("open", _) no completion yet, closed?
SCHEDULE = [
    ("S:tuphap", D(2026, 3, 10), 2, D(2026, 3, 10), [0, 3], [("on", 3), ("on", 0)], True),
    ("X:0", D(2026, 3, 24), 1, D(2026, 3, 25), [1, 2, 5], [("on", 5), ("late", 12), ("on", 1)], True),
    ("S:xaydung", D(2026, 4, 14), 2, D(2026, 4, 14), [2, 4, 6], [("on", 10), ("on", 2), ("late", 20)], True),
    ("X:1", D(2026, 5, 12), 1, D(2026, 5, 12), [0, 7], [("on", 4), ("late", 3)], True),
    ("S:nnmt", D(2026, 6, 9), 2, D(2026, 6, 10), [1, 2, 3], [("on", 6), ("open", 0), ("on", 8)], False),
    ("X:2", D(2026, 7, 14), 1, D(2026, 7, 15), [1, 3, "official"], [("late", 9), ("on", 2), ("on", 0)], False),
    ("S:yte", D(2026, 8, 11), 2, D(2026, 8, 11), [0, 2, 6], [("on", 5), ("open", 0), ("open", 0)], False),
    ("X:3", D(2026, 9, 8), 1, D(2026, 9, 9), [3, 5, 7], [("on", 2), ("open", 0), ("open", 0)], False),
    ("S:congthuong", D(2026, 10, 13), 2, D(2026, 10, 13), [4, 6], [("on", 7), ("open", 0)], False),
    ("X:4", D(2026, 11, 10), 1, D(2026, 11, 11), [0, 1, 2], [("on", 3), ("open", 0), ("open", 0)], False),
    ("S:gddt", D(2026, 12, 8), 2, None, [], [], False),
    ("X:5", D(2026, 12, 15), 1, None, [], [], False),
]

SCOPE = ("Kiểm tra việc thực hiện Kế hoạch CCHC năm 2026; công tác kiểm soát, công khai và giải quyết thủ tục hành chính; "
         "thực hiện cơ chế một cửa, một cửa liên thông; số hóa hồ sơ; chế độ báo cáo; trách nhiệm người đứng đầu.")


def _team(deps, inspected):
    """Đoàn liên ngành: led by the Home Affairs department, with members from three other bodies."""
    candidates = [("vpubnd", "Trưởng phòng Kiểm soát TTHC", "Lê Thị Kiểm"), ("tuphap", "Phó Trưởng phòng Hành chính tư pháp", "Võ Minh Tâm"),
                  ("khcn", "Chuyên viên Phòng Chuyển đổi số", "Nguyễn Hoàng Số"), ("thanhtra", "Thanh tra viên", "Phạm Quốc Tra")]
    members = [{"name": "Phạm Văn Giám", "position": "Phó Giám đốc Sở Nội vụ", "unit": deps["noivu"], "is_leader": True},
               {"name": "Trần Thị Nội Vụ", "position": "Trưởng phòng Cải cách hành chính", "unit": deps["noivu"]}]
    for key, position, name in candidates:
        if key in deps and deps[key].pk != inspected.pk and len(members) < 5:
            members.append({"name": name, "position": position, "unit": deps[key]})
    return members


def build(ctx: dict, *, stdout=None) -> None:
    from cchc.units.models import Unit, UnitKind

    from . import services
    from .models import InspectionPlan, Recommendation

    province = ctx.get("province")
    deps = ctx.get("departments") or {}
    if province is None or "noivu" not in deps:
        return
    if InspectionPlan.objects.filter(province=province, year=2026).exists():
        ctx["inspection_plan"] = InspectionPlan.objects.get(province=province, year=2026)
        return
    from cchc.accounts.demo import DEMO_COMMUNES

    communes = list(Unit.objects.filter(province=province, kind__in=[UnitKind.COMMUNE, UnitKind.WARD], is_active=True).order_by("code"))
    preferred = [c for c in communes if c.short_name in DEMO_COMMUNES]
    communes = preferred + [c for c in communes if c not in preferred]
    users = ctx.get("users") or {}
    par = users.get("noivu")
    heads = {u.unit_id: u for u in users.values() if getattr(u, "role", "") == "unit_head"}
    counts = {"inspections": 0, "findings": 0, "recommendations": 0, "overdue": 0}
    with transaction.atomic():
        plan = services.plan_create(province=province, year=2026, title="Kế hoạch kiểm tra công tác cải cách hành chính năm 2026",
                                    document_number="25/KH-UBND", issued_on=D(2026, 1, 20), actor=par)
        for key, start, days, actual, finding_ids, follow, closed in SCHEDULE:
            kind, ref = key.split(":")
            if kind == "S":
                unit = deps.get(ref)
            else:
                unit = communes[int(ref)] if int(ref) < len(communes) else None
            if unit is None:
                continue
            insp = services.inspection_create(plan=plan, unit=unit, scope=SCOPE, planned_start=start,
                                              planned_end=start + dt.timedelta(days=days - 1), members=_team(deps, unit), actor=par)
            counts["inspections"] += 1
            if actual is None:
                continue
            end = actual + dt.timedelta(days=days - 1)
            number = f"{100 + counts['inspections'] * 7}/TB-SNV"
            services.inspection_record_conducted(inspection=insp, actual_start=actual, actual_end=end, conclusion_number=number,
                                                 actor=par, today=AS_OF)
            for fid, plan_fu in zip(finding_ids, follow, strict=True):
                if fid == "official":
                    f = services.finding_add(inspection=insp, actor=par, **OFFICIAL_FINDING)
                    rec_text = "Tổ chức kiểm điểm trách nhiệm cá nhân, chấn chỉnh tác phong, thái độ phục vụ người dân tại Bộ phận Một cửa; báo cáo kết quả xử lý."
                    rec_days = 20
                else:
                    text, severity, rec_text, rec_days = FINDINGS[fid]
                    f = services.finding_add(inspection=insp, text=text, severity=severity, actor=par)
                counts["findings"] += 1
                deadline = end + dt.timedelta(days=rec_days)
                rec = services.recommendation_add(inspection=insp, text=rec_text, responsible_unit=unit, deadline=deadline,
                                                  finding=f, actor=par)
                counts["recommendations"] += 1
                how, delta = plan_fu
                reporter = heads.get(unit.pk)
                interim = deadline - dt.timedelta(days=max(delta, 0) + 7)
                if interim > end and interim <= AS_OF:
                    services.follow_up_submit(recommendation=rec, actor=reporter, today=interim,
                                              text="Đơn vị đã triển khai thực hiện, đang hoàn thiện; dự kiến hoàn thành đúng hạn.")
                if how == "open":
                    continue
                done_on = deadline - dt.timedelta(days=delta) if how == "on" else deadline + dt.timedelta(days=delta)
                if done_on > AS_OF:
                    continue
                services.follow_up_submit(recommendation=rec, actor=reporter, today=done_on, completes=True,
                                          text="Đơn vị đã hoàn thành kiến nghị; kèm văn bản, hình ảnh minh chứng lưu tại đơn vị.")
            if closed:
                services.inspection_close(inspection=insp, note="Đơn vị đã thực hiện xong các kiến nghị sau kiểm tra.", actor=par)
        counts["overdue"] = Recommendation.objects.filter(inspection__plan=plan, status="open", deadline__lt=AS_OF).count()
    ctx["inspection_plan"] = plan
    if stdout is not None:
        stdout.write(f"Kiểm tra CCHC 2026: {counts['inspections']} cuộc, {counts['findings']} phát hiện, "
                     f"{counts['recommendations']} kiến nghị ({counts['overdue']} quá hạn tại {AS_OF:%d/%m/%Y})\n")
