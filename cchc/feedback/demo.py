"""Demo: ~150 feedbacks (phản ánh, kiến nghị) and 8 dialogues of the demo province over 2026, through the services.

Deterministic (seeded), idempotent (skips a province that already has feedback). Feedback is about real procedures
of the catalogue (taken from the demo dossiers when there are some), some about officials' conduct, some linked to
demo dossiers; most are answered on time, a few late, a few still open (some overdue), a couple out of scope.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SEED = 2026
COUNT = 150

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô", "Hồ", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hữu", "Quốc", "Thị Kim", "Hoàng", "Đức"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hạnh", "Hòa", "Hùng", "Lan", "Long", "Mai", "Nam", "Nga", "Phúc", "Quang", "Tâm",
         "Thảo", "Trang", "Tuấn", "Vy", "Yến", "Khoa", "Sơn", "Hiếu", "Loan"]
COMPANIES = ["Công ty TNHH Nông sản Bình Minh", "Công ty CP Xây dựng Thạnh Phát", "Công ty TNHH MTV Chế biến mì Tân Châu",
             "Hợp tác xã Nông nghiệp Hòa Thành", "Công ty TNHH Logistics Mộc Bài", "Doanh nghiệp tư nhân Thương mại Phước Lộc"]

PROCEDURE_TEMPLATES = [
    ("phan_anh", "Hồ sơ {p} bị trễ hẹn", "Tôi nộp hồ sơ {p} nhưng đến ngày hẹn vẫn chưa có kết quả, không nhận được phiếu xin lỗi và hẹn lại."),
    ("phan_anh", "Yêu cầu bổ sung giấy tờ nhiều lần ({p})", "Khi làm thủ tục {p}, bộ phận một cửa yêu cầu bổ sung giấy tờ hai lần, mỗi lần một loại khác nhau, không hướng dẫn một lần đầy đủ."),
    ("phan_anh", "Dịch vụ công trực tuyến {p} báo lỗi", "Khi nộp trực tuyến thủ tục {p} trên Cổng dịch vụ công, hệ thống báo lỗi ở bước tải tệp đính kèm, phải nộp lại trực tiếp."),
    ("kien_nghi", "Đề nghị cho nộp trực tuyến toàn trình thủ tục {p}", "Đề nghị cho phép nộp và nhận kết quả trực tuyến toàn trình đối với thủ tục {p}, tránh phải đến nộp bản giấy."),
    ("kien_nghi", "Đề nghị niêm yết rõ phí, lệ phí thủ tục {p}", "Tại bộ phận một cửa chưa niêm yết mức phí của thủ tục {p}; đề nghị niêm yết công khai và cho thanh toán không dùng tiền mặt."),
    ("phan_anh", "Yêu cầu nộp bản sao chứng thực không cần thiết ({p})", "Khi làm thủ tục {p} vẫn bị yêu cầu nộp bản sao có chứng thực giấy tờ đã có trong cơ sở dữ liệu dân cư."),
]
REGULATION_TEMPLATES = [
    ("kien_nghi", "Đề nghị rút ngắn thời hạn giải quyết thủ tục {p}", "Thời hạn giải quyết thủ tục {p} theo quy định còn dài so với thực tế; đề nghị xem xét rút ngắn."),
    ("kien_nghi", "Đề nghị bỏ thành phần hồ sơ trùng lặp ({p})", "Thành phần hồ sơ của thủ tục {p} yêu cầu giấy tờ mà cơ quan nhà nước đã quản lý; đề nghị cắt giảm."),
    ("kien_nghi", "Quy định về mẫu tờ khai {p} chưa rõ", "Mẫu tờ khai của thủ tục {p} có mục khó hiểu, đề nghị hướng dẫn cụ thể hoặc sửa đổi mẫu."),
]
CONDUCT_TEMPLATES = [
    ("phan_anh", "Thái độ phục vụ chưa đúng mực tại bộ phận một cửa", "Công chức tiếp nhận hồ sơ trả lời cộc lốc, không hướng dẫn cụ thể khi tôi hỏi về hồ sơ còn thiếu."),
    ("phan_anh", "Công chức hẹn lại nhiều lần không rõ lý do", "Tôi đến nhận kết quả ba lần đều được hẹn lại, không có văn bản giải thích lý do trễ hạn."),
    ("phan_anh", "Có dấu hiệu gợi ý nộp thêm chi phí ngoài quy định", "Khi nộp hồ sơ, có người gợi ý nộp thêm tiền để được giải quyết nhanh, ngoài phí, lệ phí đã niêm yết."),
    ("phan_anh", "Không có người tiếp nhận trong giờ làm việc", "Đến bộ phận một cửa lúc 14 giờ nhưng quầy không có công chức, chờ hơn một giờ."),
]
ANSWERS = {
    "procedure": "Đơn vị đã kiểm tra, xác định hồ sơ trễ hạn do khâu thẩm định; đã trả kết quả, gửi văn bản xin lỗi và chấn chỉnh quy trình nội bộ.",
    "regulation": "Kiến nghị đã được tổng hợp, báo cáo cơ quan có thẩm quyền ban hành quy định để xem xét sửa đổi theo quy định; kết quả sẽ được thông tin khi có văn bản trả lời.",
    "conduct": "Đơn vị đã xác minh, tổ chức kiểm điểm công chức liên quan, nhắc nhở toàn bộ bộ phận một cửa về văn hóa công vụ và xin lỗi người dân.",
}
DIALOGUE_TOPICS = [
    ("Hội nghị đối thoại giữa Chủ tịch UBND tỉnh với doanh nghiệp về thủ tục đầu tư, đất đai", "vpubnd", "Chủ tịch UBND tỉnh"),
    ("Đối thoại với Nhân dân về cấp giấy chứng nhận quyền sử dụng đất", "nnmt", "Giám đốc Sở Nông nghiệp và Môi trường"),
    ("Đối thoại về thủ tục hộ tịch, chứng thực trên môi trường điện tử", "tuphap", "Giám đốc Sở Tư pháp"),
    ("Đối thoại với doanh nghiệp về cấp phép xây dựng", "xaydung", "Giám đốc Sở Xây dựng"),
    ("Hội nghị đối thoại của Chủ tịch UBND xã với Nhân dân", "commune:0", "Chủ tịch UBND xã"),
    ("Hội nghị đối thoại của Chủ tịch UBND xã với Nhân dân về cải cách hành chính", "commune:1", "Chủ tịch UBND xã"),
    ("Đối thoại với hộ kinh doanh về đăng ký kinh doanh và thuế", "taichinh", "Giám đốc Sở Tài chính"),
    ("Đối thoại với cơ sở giáo dục về thủ tục cấp phép hoạt động", "gddt", "Giám đốc Sở Giáo dục và Đào tạo"),
]
DIALOGUE_ISSUES = [
    ("Hồ sơ cấp giấy chứng nhận quyền sử dụng đất lần đầu giải quyết chậm, nhiều hồ sơ quá hạn.", "Giao cơ quan chuyên môn rà soát toàn bộ hồ sơ quá hạn, trả lời từng trường hợp."),
    ("Đề nghị tăng cường thanh toán trực tuyến phí, lệ phí.", "Đã triển khai thanh toán trực tuyến; sẽ hướng dẫn tại bộ phận một cửa."),
    ("Thủ tục cấp phép xây dựng nhà ở riêng lẻ còn yêu cầu nhiều giấy tờ.", "Sẽ rà soát, kiến nghị cắt giảm thành phần hồ sơ."),
    ("Đường truyền dịch vụ công trực tuyến ở xã thường chậm.", "Giao đơn vị kỹ thuật kiểm tra, nâng cấp đường truyền."),
    ("Đề nghị bố trí thêm quầy tiếp nhận vào buổi sáng thứ Hai.", "Ghi nhận, điều chỉnh bố trí nhân sự."),
    ("Doanh nghiệp chưa được hướng dẫn đầy đủ về thủ tục đầu tư trong khu kinh tế.", "Tổ chức hội nghị hướng dẫn chuyên đề trong quý tới."),
]


def _name(rng) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _at(day: dt.date, rng) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, rng.choice([8, 9, 10, 14, 15, 16]), rng.randrange(0, 60, 5), tzinfo=VN)


def build(ctx: dict, *, stdout=None) -> None:
    from cchc.accounts.models import Role, User
    from cchc.calendar.services import calendar_for
    from cchc.catalog.models import Procedure
    from cchc.dossiers.models import Dossier

    from . import services
    from .models import Feedback

    province = ctx.get("province")
    if province is None or Feedback.objects.filter(province=province).exists():
        return
    rng = random.Random(SEED)
    deps = ctx.get("departments") or {}
    communes = list(ctx.get("communes") or [])
    par = User.objects.filter(role=Role.PAR_OFFICE, unit__province=province, is_active=True).order_by("id").first()
    if par is None or not deps:
        return
    citizens = list(User.objects.filter(role=Role.CITIZEN, is_active=True).order_by("id")[:5])
    cal = calendar_for(province)
    now = timezone.now()
    today = timezone.localdate()
    start = dt.date(2026, 1, 5)
    days = [d for d in (start + dt.timedelta(n) for n in range((today - start).days)) if cal.is_working_day(d)]
    dossiers = list(Dossier.objects.filter(province=province).select_related("procedure").order_by("id").only(
        "id", "code", "procedure", "province", "applicant_user_id", "handling_unit_id", "unit_id")[:4000])
    own_dossiers = [d for d in dossiers if d.applicant_user_id in {c.pk for c in citizens}]
    procedures = list({d.procedure for d in dossiers}) or list(Procedure.objects.order_by("code")[:200])
    procedures.sort(key=lambda p: p.code)
    if not procedures:
        return
    handlers = [deps[k] for k in ("tuphap", "xaydung", "nnmt", "taichinh", "congthuong", "yte", "gddt") if k in deps] + communes[:12]
    staff_by_unit: dict = {}
    for u in User.objects.filter(role__in=[Role.SPECIALIST, Role.UNIT_HEAD, Role.ONE_STOP_OFFICER], unit__in=handlers).order_by("id"):
        staff_by_unit.setdefault(u.unit_id, u)
    unit_heads = {u.unit_id: u for u in User.objects.filter(role=Role.UNIT_HEAD, unit__in=handlers).order_by("id")}
    counter_actor = User.objects.filter(role=Role.ONE_STOP_OFFICER, unit__province=province).order_by("id").first() or par

    made = {"feedback": 0, "answered": 0, "late": 0, "open": 0, "published": 0, "rejected": 0, "dialogues": 0}
    with transaction.atomic():
        for day_index in sorted(rng.randrange(len(days)) for _ in range(COUNT)):
            received_day = days[day_index]
            received_at = _at(received_day, rng)
            roll = rng.random()
            subject = "procedure" if roll < 0.62 else "regulation" if roll < 0.78 else "conduct"
            proc = rng.choice(procedures)
            kind, title, content = rng.choice({"procedure": PROCEDURE_TEMPLATES, "regulation": REGULATION_TEMPLATES,
                                               "conduct": CONDUCT_TEMPLATES}[subject])
            pname = proc.name if len(proc.name) <= 90 else proc.name[:87].rsplit(" ", 1)[0] + "…"
            title, content = title.format(p=pname)[:300], content.format(p=f"«{proc.name}» (mã {proc.code})")
            dossier = None
            channel_roll = rng.random()
            if channel_roll < 0.5 and citizens:
                actor = rng.choice(citizens)
                channel = "portal"
                mine = [d for d in own_dossiers if d.applicant_user_id == actor.pk]
                if subject == "procedure" and mine and rng.random() < 0.5:
                    dossier = rng.choice(mine)
                kw = {}
            else:
                actor = counter_actor
                channel = "counter" if channel_roll < 0.72 else "hotline" if channel_roll < 0.88 else "mail"
                org = rng.random() < 0.2
                commune = rng.choice(communes) if communes else province
                kw = dict(sender_name=rng.choice(COMPANIES) if org else _name(rng), sender_is_organisation=org,
                          sender_phone=f"09{rng.randrange(10**7, 10**8)}", sender_address=f"{rng.randint(1, 300)} ấp {rng.randint(1, 9)}, {commune.name}",
                          sender_id_number=f"0722{rng.randrange(10**7, 10**8)}" if not org else f"39{rng.randrange(10**7, 10**8)}")
                if subject == "procedure" and dossiers and rng.random() < 0.3:
                    dossier = rng.choice(dossiers)
            fb = services.feedback_file(actor=actor, province=province, kind=kind, title=title, content=content, channel=channel,
                                        procedure=None if dossier else (proc if subject != "conduct" else None), dossier=dossier,
                                        received_at=received_at, **kw)
            made["feedback"] += 1
            _handle(fb, rng, cal=cal, now=now, today=today, par=par, handlers=handlers, staff_by_unit=staff_by_unit,
                    unit_heads=unit_heads, dossier=dossier, subject=subject, made=made)
        def handle(fb):
            _handle(fb, rng, cal=cal, now=now, today=today, par=par, handlers=handlers, staff_by_unit=staff_by_unit,
                    unit_heads=unit_heads, dossier=None, subject="regulation", made=made, unit=fb.dialogue_issue.dialogue.unit)

        _dialogues(ctx, rng, province=province, par=par, deps=deps, communes=communes, days=days, made=made, handle=handle)
    ctx["demo_feedback"] = made
    if stdout is not None:
        stdout.write(f"feedback: {made['feedback']} phản ánh, kiến nghị ({made['answered']} đã trả lời, {made['late']} trễ hạn, "
                     f"{made['open']} đang xử lý, {made['rejected']} không thuộc phạm vi, {made['published']} công khai); "
                     f"{made['dialogues']} hội nghị đối thoại\n")


def _handle(fb, rng, *, cal, now, today, par, handlers, staff_by_unit, unit_heads, dossier, subject, made, unit=None) -> None:
    from . import services

    def at(day):
        return min(_at(day, rng), now - dt.timedelta(minutes=5))

    received_day = fb.received_at.astimezone(VN).date()
    classify_day = cal.nth_working_day_after(received_day, rng.choice([0, 1, 1, 2]))
    if classify_day > today:
        made["open"] += 1
        return
    if rng.random() < 0.02:
        services.feedback_reject(actor=par, feedback_id=fb.pk, at=at(classify_day),
                                 reason="Nội dung là khiếu nại quyết định hành chính, đã hướng dẫn thực hiện theo Luật Khiếu nại.")
        made["rejected"] += 1
        return
    field = fb.procedure.field if fb.procedure is not None and fb.procedure.field else ""
    services.feedback_classify(actor=par, feedback_id=fb.pk, subject=subject, field=field, at=at(classify_day))
    if unit is None:
        has_unit = dossier is not None and (dossier.handling_unit_id or dossier.unit_id)
        unit = (dossier.handling_unit or dossier.unit) if has_unit else rng.choice(handlers)
    services.feedback_route(actor=par, feedback_id=fb.pk, unit=unit, at=at(classify_day))
    roll = rng.random()
    if roll < 0.86:
        answer_day = cal.nth_working_day_after(classify_day, rng.randint(1, max(1, cal.working_days_between(classify_day, fb.due_date) - 1) if fb.due_date > classify_day else 1))
        answer_day = min(answer_day, fb.due_date)
    elif roll < 0.95:
        answer_day = cal.nth_working_day_after(fb.due_date, rng.randint(1, 8))
    else:
        answer_day = None  # still open (overdue once its due day has passed)
    if answer_day is None or answer_day >= today:
        made["open"] += 1
        return
    answerer = staff_by_unit.get(unit.pk, par)
    services.feedback_answer(actor=answerer, feedback_id=fb.pk, answer=ANSWERS[subject], at=at(answer_day))
    made["answered"] += 1
    made["late"] += answer_day > fb.due_date
    if subject != "conduct" and rng.random() < 0.45:
        publish_day = cal.nth_working_day_after(answer_day, 1)
        if publish_day < today:
            summary = (f"{'Kiến nghị' if fb.kind == 'kien_nghi' else 'Phản ánh'} về " +
                       (f"thủ tục «{fb.procedure.name}»" if fb.procedure is not None else "thủ tục hành chính") + f": {fb.title}.")
            services.feedback_publish(actor=unit_heads.get(unit.pk, par), feedback_id=fb.pk, public_summary=summary[:3000], at=at(publish_day))
            made["published"] += 1


def _dialogues(ctx, rng, *, province, par, deps, communes, days, made, handle) -> None:
    from . import services

    for i, (title, key, chair) in enumerate(DIALOGUE_TOPICS):
        if key.startswith("commune:"):
            idx = int(key.split(":")[1])
            if idx >= len(communes):
                continue
            unit = communes[idx]
            title = f"{title} {unit.name}"
            chair = f"{chair} {unit.name}"
        else:
            unit = deps.get(key)
            if unit is None:
                continue
        held_on = days[min(len(days) - 1, int(len(days) * (i + 0.5) / len(DIALOGUE_TOPICS)))]
        picked = rng.sample(DIALOGUE_ISSUES, 3)
        issues = [{"raised_by": _name(rng), "content": c, "answer": a, "as_feedback": j == 0,
                   "sender_address": unit.name} for j, (c, a) in enumerate(picked)]
        follow_ups = [{"content": picked[0][1], "unit": unit, "deadline": held_on + dt.timedelta(days=45)}]
        d = services.dialogue_record(actor=par, unit=unit, held_on=held_on, title=title, chaired_by=chair,
                                     participants_count=rng.randint(60, 250), location=f"Hội trường {unit.name}",
                                     summary="Chủ trì hội nghị kết luận, giao các cơ quan liên quan giải quyết các kiến nghị trong thời hạn.",
                                     issues=issues, follow_ups=follow_ups)
        for issue in d.issues.all():
            fb = getattr(issue, "feedback", None)
            if fb is not None:
                made["feedback"] += 1
                handle(fb)
        fu = d.follow_ups.first()
        if fu.deadline < timezone.localdate() and rng.random() < 0.8:
            services.follow_up_done(actor=par, follow_up_id=fu.pk, done_on=fu.deadline - dt.timedelta(days=rng.randint(0, 20)))
        made["dialogues"] += 1
