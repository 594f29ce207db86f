"""Demo: the demo province's PAR plan for 2026 (Kế hoạch số 245/KH-UBND ngày 25/12/2025), its ~40 tasks across the
departments drawn from the 8 PAR fields (communication and dialogue tasks included), the 2026 plans of a few
departments and communes, and progress as of 05/12/2026: most tasks done on time, some late, a few overdue.

Built through the services (every write audited). Deterministic (seeded); idempotent: an existing 2026 plan of a
unit is left alone.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

AS_OF = date(2026, 12, 5)
R, TT, BH, DN, CT = "regular", "press_briefing", "article", "contest", "business_meeting"
KN = "voter_petitions"

# field, content, kind, department key, deadline (month, day), expected output, target (value, unit) or None
PROVINCE_TASKS = [
    (1, "Ban hành Kế hoạch kiểm tra công tác cải cách hành chính năm 2026", R, "noivu", (1, 31), "Kế hoạch kiểm tra", None),
    (1, "Kiểm tra công tác CCHC tại các sở, ban, ngành và UBND cấp xã theo kế hoạch", R, "noivu", (10, 31), "Báo cáo kết quả kiểm tra", (20, "đơn vị")),
    (1, "Xây dựng báo cáo CCHC quý I, 6 tháng, quý III và năm 2026 gửi Bộ Nội vụ đúng thời hạn", R, "noivu", (12, 15), "04 báo cáo", (4, "báo cáo")),
    (1, "Tổ chức Hội nghị sơ kết công tác CCHC 6 tháng đầu năm 2026", R, "noivu", (7, 15), "Hội nghị sơ kết", None),
    (1, "Triển khai xác định Chỉ số CCHC năm 2025 của các sở, ban, ngành và UBND cấp xã", R, "noivu", (3, 31), "Quyết định công bố Chỉ số CCHC", None),
    (1, "Họp báo công bố Chỉ số CCHC, SIPAS năm 2025 của tỉnh", TT, "noivu", (4, 30), "01 cuộc họp báo", None),
    (1, "Xây dựng chuyên mục \"Cải cách hành chính\" trên Báo và Phát thanh, Truyền hình Tây Ninh", BH, "vhttdl", (12, 31), "Chuyên mục định kỳ hằng tháng", (24, "tin, bài")),
    (1, "Tổ chức Cuộc thi tìm hiểu về cải cách hành chính tỉnh Tây Ninh năm 2026", DN, "noivu", (9, 30), "Cuộc thi trực tuyến", None),
    (1, "Đăng tải tin, bài tuyên truyền CCHC trên Cổng Thông tin điện tử tỉnh", BH, "vpubnd", (12, 31), "Tin, bài trên Cổng TTĐT", (60, "tin, bài")),
    (1, "Họp báo thông tin về kết quả giải quyết TTHC trên Cổng Dịch vụ công 6 tháng đầu năm", TT, "vpubnd", (7, 31), "01 cuộc họp báo", None),
    (2, "Rà soát, hệ thống hóa văn bản quy phạm pháp luật do HĐND, UBND tỉnh ban hành", R, "tuphap", (6, 30), "Quyết định công bố kết quả hệ thống hóa", None),
    (2, "Kiểm tra, xử lý văn bản quy phạm pháp luật theo thẩm quyền", R, "tuphap", (11, 30), "Báo cáo kết quả kiểm tra văn bản", None),
    (2, "Theo dõi tình hình thi hành pháp luật trong lĩnh vực trọng tâm năm 2026", R, "tuphap", (11, 15), "Báo cáo theo dõi thi hành pháp luật", None),
    (3, "Rà soát, đơn giản hóa thủ tục hành chính, cắt giảm ít nhất 20% thời gian giải quyết", R, "vpubnd", (9, 30), "Phương án đơn giản hóa trình Chủ tịch UBND tỉnh", (20, "%")),
    (3, "Công bố, công khai danh mục TTHC kịp thời, đầy đủ trên Cơ sở dữ liệu quốc gia", R, "vpubnd", (12, 31), "Quyết định công bố danh mục TTHC", (100, "%")),
    (3, "Đối thoại với doanh nghiệp về thủ tục hành chính trong lĩnh vực đầu tư, đất đai", CT, "vpubnd", (5, 31), "Hội nghị đối thoại doanh nghiệp", None),
    (3, "Gặp gỡ doanh nghiệp FDI tại các khu kinh tế, tháo gỡ vướng mắc thủ tục", CT, "bqlkkt", (8, 31), "Hội nghị gặp gỡ doanh nghiệp", None),
    (3, "Tổng hợp, trả lời kiến nghị của cử tri về thủ tục hành chính sau kỳ họp HĐND tỉnh", KN, "vpubnd", (8, 15), "Báo cáo trả lời kiến nghị cử tri", None),
    (3, "Trả lời kiến nghị cử tri về thủ tục đất đai sau kỳ họp cuối năm 2025", KN, "nnmt", (3, 31), "Văn bản trả lời kiến nghị", None),
    (3, "Giải quyết hồ sơ TTHC đúng hạn, công khai xin lỗi khi giải quyết quá hạn", R, "vpubnd", (12, 31), "Tỷ lệ hồ sơ đúng hạn", (98, "%")),
    (3, "Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính", R, "vpubnd", (12, 31), "Báo cáo xử lý PAKN", None),
    (4, "Rà soát chức năng, nhiệm vụ, tổ chức bộ máy các sở sau sắp xếp", R, "noivu", (6, 30), "Báo cáo rà soát", None),
    (4, "Kiện toàn tổ chức bộ máy UBND cấp xã theo mô hình chính quyền địa phương 2 cấp", R, "noivu", (3, 31), "Quyết định kiện toàn", None),
    (4, "Đánh giá hoạt động của Trung tâm Phục vụ hành chính công tỉnh và cấp xã", R, "vpubnd", (10, 31), "Báo cáo đánh giá", None),
    (5, "Xây dựng, hoàn thiện vị trí việc làm trong cơ quan hành chính", R, "noivu", (8, 31), "Đề án vị trí việc làm", None),
    (5, "Bồi dưỡng kiến thức, kỹ năng CCHC cho công chức cấp xã", R, "noivu", (9, 30), "Lớp bồi dưỡng", (500, "lượt người")),
    (5, "Kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính, đạo đức công vụ", R, "noivu", (11, 30), "Báo cáo kiểm tra công vụ", None),
    (5, "Thực hiện đánh giá, xếp loại chất lượng cán bộ, công chức năm 2026", R, "noivu", (12, 20), "Kết quả đánh giá xếp loại", None),
    (6, "Giao quyền tự chủ tài chính cho đơn vị sự nghiệp công lập giai đoạn 2026–2030", R, "taichinh", (6, 30), "Quyết định giao tự chủ", None),
    (6, "Công khai ngân sách nhà nước theo quy định", R, "taichinh", (12, 31), "Công khai trên Cổng TTĐT", None),
    (6, "Triển khai thanh toán không dùng tiền mặt đối với phí, lệ phí TTHC", R, "taichinh", (10, 31), "Tỷ lệ thanh toán trực tuyến", (60, "%")),
    (7, "Nâng cấp Hệ thống thông tin giải quyết TTHC tỉnh, kết nối Cổng Dịch vụ công quốc gia", R, "khcn", (9, 30), "Hệ thống được nâng cấp", None),
    (7, "Cung cấp dịch vụ công trực tuyến toàn trình", R, "khcn", (12, 31), "Tỷ lệ DVC trực tuyến toàn trình", (95, "%")),
    (7, "Số hóa hồ sơ, kết quả giải quyết TTHC", R, "vpubnd", (11, 30), "Tỷ lệ số hóa hồ sơ", (100, "%")),
    (7, "Xây dựng, cập nhật cơ sở dữ liệu đất đai tỉnh", R, "nnmt", (12, 31), "Cơ sở dữ liệu đất đai", None),
    (7, "Triển khai ISO điện tử theo TCVN ISO 9001:2015 tại các cơ quan hành chính", R, "khcn", (8, 31), "Hệ thống ISO điện tử", (100, "%")),
    (7, "Tuyên truyền sử dụng dịch vụ công trực tuyến, tài khoản định danh điện tử VNeID", BH, "congthuong", (11, 30), "Tin, bài, tờ rơi", (30, "tin, bài")),
    (8, "Khảo sát sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính", R, "noivu", (11, 30), "Báo cáo SIPAS tỉnh", (85, "%")),
    (8, "Đối thoại giữa Chủ tịch UBND tỉnh với doanh nghiệp năm 2026", CT, "congthuong", (10, 15), "Hội nghị đối thoại", None),
    (8, "Cải thiện Chỉ số năng lực cạnh tranh cấp tỉnh (PCI) năm 2026", R, "congthuong", (12, 31), "Kế hoạch cải thiện PCI", None),
]

UNIT_TASKS = [
    (1, "Ban hành Kế hoạch CCHC năm 2026 của đơn vị", R, (1, 15), "Kế hoạch CCHC"),
    (1, "Báo cáo CCHC định kỳ quý, 6 tháng, năm gửi Sở Nội vụ", R, (12, 10), "Báo cáo định kỳ"),
    (1, "Tuyên truyền CCHC trên trang thông tin điện tử của đơn vị", BH, (12, 31), "Tin, bài"),
    (3, "Niêm yết, công khai TTHC tại Bộ phận một cửa và trên trang thông tin điện tử", R, (3, 31), "Công khai TTHC"),
    (3, "Đối thoại với người dân, doanh nghiệp về giải quyết TTHC", CT, (9, 30), "Hội nghị đối thoại"),
    (5, "Cử công chức tham gia bồi dưỡng kỹ năng giao tiếp, ứng xử với người dân", R, (8, 31), "Danh sách công chức được bồi dưỡng"),
    (7, "Số hóa hồ sơ, kết quả giải quyết TTHC tại đơn vị", R, (10, 31), "Tỷ lệ số hóa"),
]


def _outcome(i: int, rng, deadline: date) -> tuple[str, date | None]:
    """(status, completed_on) as of AS_OF. Past deadlines: every 8th task still open (overdue), every 6th done late,
    the rest done on time (a fixed mix, so the figures do not depend on luck); later deadlines: a quarter done early,
    most in progress, a few not started."""
    if deadline < AS_OF:
        if i % 8 == 5:
            return "in_progress", None
        if i % 6 == 2:
            return "done", min(AS_OF, deadline + timedelta(days=rng.randint(3, 30)))
        return "done", deadline - timedelta(days=rng.randint(0, 25))
    x = rng.random()
    if x < 0.25:
        return "done", AS_OF - timedelta(days=rng.randint(1, 20))
    return ("in_progress", None) if x < 0.85 else ("not_started", None)


def _play(i, task, rng, actor):
    from . import services

    status, done_on = _outcome(i, rng, task.deadline)
    if status == "not_started":
        return
    start = task.deadline - timedelta(days=rng.randint(40, 120))
    first = min(max(start, date(2026, 1, 10)), AS_OF)
    services.progress_report_add(task=task, actor=actor, content="Đã triển khai; đang tổ chức thực hiện theo kế hoạch.",
                                 percent=rng.choice([20, 30, 40, 50]), reported_on=first)
    if status == "done":
        achieved = None
        if task.target_value is not None:
            achieved = (task.target_value * Decimal(rng.choice(["1", "1", "1", "0.97", "1.05"]))).quantize(Decimal("0.01")) \
                if task.target_unit == "%" else task.target_value
            if task.target_unit == "%" and achieved > 100:
                achieved = 100
        services.progress_report_add(task=task, actor=actor, content=f"Đã hoàn thành: {task.expected_output or 'sản phẩm theo kế hoạch'}.",
                                     percent=100, reported_on=max(first, done_on))
        services.task_set_status(task=task, actor=actor, status="done", completed_on=done_on, achieved_value=achieved)


# The province's own targets for 2026 (chỉ tiêu của tỉnh), set with its plan so that every dashboard figure stands
# beside one: the plan's own task targets where it names one (số hóa 100 %, SIPAS 85 %), illustrative values
# otherwise (stated in the note of each row). One commune has its own, higher online target.
DEMO_TARGETS = (
    ("digitised_documents_share", 100, "nhiệm vụ “Số hóa hồ sơ, kết quả giải quyết TTHC” của kế hoạch"),
    ("satisfaction", 85, "nhiệm vụ “Khảo sát sự hài lòng…” của kế hoạch"),
    ("online_share", 80, "chỉ tiêu minh họa của tỉnh demo"),
    ("electronic_result_share", 80, "chỉ tiêu minh họa của tỉnh demo"),
)


def _targets(province, office, ctx) -> None:
    from cchc.units.targets import target_set

    source = "Kế hoạch 245/KH-UBND ngày 25/12/2025 của UBND tỉnh"
    for metric, value, note in DEMO_TARGETS:
        target_set(actor=office, metric=metric, value=value, source_document=source, province=province, year=2026,
                   note=note)
    communes = ctx.get("communes") or []
    if communes:
        target_set(actor=office, metric="online_share", value=90, source_document=source, province=province,
                   unit=communes[0], year=2026, note="chỉ tiêu minh họa riêng của một xã")


@transaction.atomic
def build(ctx: dict, *, stdout=None) -> None:
    from cchc.accounts.models import Role, User

    from . import services
    from .models import Plan

    province = ctx.get("province")
    deps = ctx.get("departments") or {}
    if province is None or not deps:
        return
    office = User.objects.filter(role=Role.PAR_OFFICE, unit__province=province).order_by("pk").first()
    if office is None:
        return
    heads = {u.unit_id: u for u in User.objects.filter(role=Role.UNIT_HEAD, unit__province=province, is_active=True).order_by("pk")}
    rng = random.Random(2026)
    made = 0
    if not Plan.objects.filter(unit=province, year=2026).exists():
        plan = services.plan_create(unit=province, year=2026, actor=office, title="Kế hoạch cải cách hành chính tỉnh Tây Ninh năm 2026",
                                    issuing_unit=ctx.get("province_office") or province)
        services.plan_issue(plan=plan, actor=office, number="245/KH-UBND", issued_on=date(2025, 12, 25))
        for field, content, kind, key, (m, d), output, target in PROVINCE_TASKS:
            unit = deps.get(key) or deps["noivu"]
            coop = [deps["noivu"]] if key != "noivu" else [deps["vpubnd"]]
            task = services.task_create(plan=plan, actor=office, content=content, kind=kind, unit=unit, deadline=date(2026, m, d),
                                        responsible=heads.get(unit.pk), expected_output=output, field=field, cooperating=coop,
                                        target_value=target[0] if target else None, target_unit=target[1] if target else "")
            _play(made, task, rng, heads.get(unit.pk) or office)
            made += 1
    _targets(province, office, ctx)
    # unit plans: two departments and the demo communes
    communes = [u for u in (ctx.get("communes") or []) if u.pk in heads][:3]
    units = [deps["tuphap"], deps["noivu"], *communes]
    for i, unit in enumerate(units):
        if Plan.objects.filter(unit=unit, year=2026).exists():
            continue
        head = heads.get(unit.pk)
        actor = head or office
        plan = services.plan_create(unit=unit, year=2026, actor=actor, title=f"Kế hoạch cải cách hành chính năm 2026 của {unit.name}")
        # one commune issued its plan late (after 31/12/2025): the index figure "plan issued on time" is 0 for it
        issued = date(2026, 1, 12) if i == len(units) - 1 and communes else date(2025, 12, 20 + i)
        suffix = "KH-UBND" if unit in communes else {"noivu": "KH-SNV", "tuphap": "KH-STP"}.get(unit.code.split("-")[-1].lower(), "KH")
        services.plan_issue(plan=plan, actor=actor, number=f"{30 + 7 * i}/{suffix}", issued_on=issued)
        for field, content, kind, (m, d), output in UNIT_TASKS:
            task = services.task_create(plan=plan, actor=actor, content=content, kind=kind, unit=unit, deadline=date(2026, m, d),
                                        responsible=head, expected_output=output, field=field)
            _play(made, task, rng, actor)
            made += 1
    if stdout is not None and made:
        stdout.write(f"Kế hoạch CCHC 2026: {made} nhiệm vụ (tỉnh và {len(units)} đơn vị)\n")
