"""Generator of the shipped criteria CSVs (run: python cchc/indices/data/generate_sets.py).

Kept to document how the UNCONFIRMED rows were built: the confirmed structure (fields, counts, field
maxima) with points spread over criteria and sub-criteria in quarter points, effort tags by keyword.
Not imported by the application.
"""

# ruff: noqa: E702, E701, E231
import csv
import json
from decimal import Decimal as D
from pathlib import Path

COLS = ["code","parent","title","max_points","method","rule","responsible","evidence_required","effort","confirmed"]

def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLS)
        w.writeheader()
        for r in rows:
            r = {**{c: "" for c in COLS}, **r}
            if isinstance(r["rule"], dict):
                r["rule"] = json.dumps(r["rule"], ensure_ascii=False) if r["rule"] else ""
            w.writerow(r)

def split(total, weights):
    total = D(str(total)); s = sum(weights)
    parts = [ ((total * w / s) * 4).to_integral_value() / 4 for w in weights]
    parts[-1] = total - sum(parts[:-1])
    assert all(p > 0 for p in parts), (total, weights, parts)
    return parts

LOW = ("Ban hành kế hoạch", "Báo cáo", "Công khai", "Tuyên truyền", "Gửi phiếu xin lỗi", "Cập nhật", "Kế hoạch")
HIGH = ("biên chế", "cơ cấu tổ chức", "vị trí việc làm", "Giải ngân", "đạt chuẩn", "Số hóa", "trực tuyến", "sáng kiến", "kỷ luật")
def effort_of(title, default):
    if any(k.lower() in title.lower() for k in HIGH):
        return "high"
    if any(title.startswith(k) or k in title for k in LOW):
        return "low"
    return default

def build(fields, *, field_confirmed, crit_confirmed=False, resp=None):
    """fields: list of (title, max, [(crit title, [sub titles...] or [], method/rule dict opt)])"""
    rows = []
    for fi, (ftitle, fmax, crits, fresp) in enumerate(fields, start=1):
        fcode = str(fi)
        rows.append(dict(code=fcode, parent="", title=ftitle, max_points=str(D(str(fmax))), confirmed="có" if field_confirmed else "không", responsible=fresp))
        cw = [max(1, len(c[1])) for c in crits]
        cmax = split(fmax, cw)
        for ci, ((ctitle, subs, *extra), cm) in enumerate(zip(crits, cmax, strict=True), start=1):
            ccode = f"{fi}.{ci}"
            meta = extra[0] if extra else {}
            if not subs:
                rows.append(dict(code=ccode, parent=fcode, title=ctitle, max_points=str(cm), confirmed="không", responsible=fresp, effort=meta.get("effort") or effort_of(ctitle, "medium"), method=meta.get("method","self_assessed"), rule=meta.get("rule",""), evidence_required=meta.get("evidence","Văn bản, báo cáo chứng minh kết quả thực hiện")))
                continue
            rows.append(dict(code=ccode, parent=fcode, title=ctitle, max_points="", confirmed="có" if crit_confirmed else "không", responsible=fresp))
            smax = split(cm, [1]*len(subs))
            for si, (sub, sm) in enumerate(zip(subs, smax, strict=True), start=1):
                sd = sub if isinstance(sub, dict) else {"title": sub}
                rows.append(dict(code=f"{ccode}.{si}", parent=ccode, title=sd["title"], max_points=str(sm), confirmed="không", responsible=fresp,
                                 method=sd.get("method","self_assessed"), rule=sd.get("rule",""), effort=sd.get("effort") or effort_of(sd["title"], "medium"),
                                 evidence_required=sd.get("evidence","Văn bản, báo cáo chứng minh kết quả thực hiện")))
    return rows

SURVEY = {"method": "survey", "evidence": "Kết quả điều tra xã hội học", "effort": "high"}
def sv(t): return {"title": t, **SURVEY}
ONTIME = {"title": "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn (≥ 98% đạt điểm tối đa; dưới ngưỡng tính tỷ lệ)", "method": "data_threshold",
          "rule": {"type": "threshold_linear", "target": 98, "metric": "on_time_rate"}, "evidence": "Số liệu hệ thống một cửa điện tử", "effort": "medium"}
ONLINE = {"title": "Tỷ lệ hồ sơ TTHC tiếp nhận trực tuyến (bậc thang: ≥ 50% tối đa; ≥ 30% một nửa; ≥ 10% một phần tư)", "method": "data_steps",
          "rule": {"type": "steps", "steps": [[50, 1], [30, 0.5], [10, 0.25]], "fraction": True, "metric": "online_rate"}, "evidence": "Số liệu Cổng dịch vụ công", "effort": "high"}

# ---- 2948/QĐ-BNV provincial tree: fields/counts/maxima from domain.md §6; criteria and sub-criteria UNCONFIRMED
P2948 = [
 ("Công tác chỉ đạo, điều hành cải cách hành chính", 10, [
   ("Kế hoạch CCHC năm", ["Ban hành kế hoạch CCHC năm kịp thời", "Mức độ hoàn thành kế hoạch CCHC"]),
   ("Báo cáo CCHC", []),
   ("Kiểm tra công tác CCHC", ["Tỷ lệ cơ quan, đơn vị được kiểm tra trong năm", "Xử lý các vấn đề phát hiện qua kiểm tra"]),
   ("Công tác tuyên truyền CCHC", []),
   ("Sự năng động trong chỉ đạo, điều hành CCHC", ["Thực hiện sáng kiến, giải pháp mới trong CCHC", "Gắn kết quả CCHC với thi đua, khen thưởng"]),
   ("Thực hiện nhiệm vụ Chính phủ, Thủ tướng Chính phủ giao", []),
 ], "Sở Nội vụ"),
 ("Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật tại tỉnh", 10, [
   ("Xây dựng và ban hành VBQPPL của tỉnh", ["Mức độ thực hiện kế hoạch xây dựng VBQPPL", "Thực hiện quy trình xây dựng VBQPPL"]),
   ("Rà soát, hệ thống hóa VBQPPL", ["Ban hành và thực hiện kế hoạch rà soát, hệ thống hóa", "Xử lý kết quả rà soát"]),
   ("Tổ chức thực hiện và kiểm tra việc thực hiện VBQPPL", ["Mức độ thực hiện kế hoạch kiểm tra, xử lý VBQPPL"]),
   ("Theo dõi thi hành pháp luật", ["Mức độ thực hiện kế hoạch theo dõi thi hành pháp luật"]),
 ], "Sở Tư pháp"),
 ("Cải cách thủ tục hành chính", 14.5, [
   ("Kiểm soát TTHC", ["Ban hành kế hoạch kiểm soát TTHC", "Mức độ thực hiện kế hoạch kiểm soát TTHC", "Rà soát, đánh giá, đơn giản hóa TTHC"]),
   ("Công khai TTHC", ["Công bố TTHC kịp thời, đầy đủ", "Công khai TTHC trên Cơ sở dữ liệu quốc gia", "Công khai TTHC tại nơi tiếp nhận hồ sơ", "Công khai TTHC trên cổng thông tin điện tử"]),
   ("Thực hiện cơ chế một cửa, một cửa liên thông", ["Số TTHC thực hiện một cửa cấp tỉnh", "Số TTHC thực hiện một cửa cấp huyện", "Số TTHC thực hiện một cửa cấp xã", "Số TTHC thực hiện liên thông"]),
   ("Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức", ["Tổ chức tiếp nhận phản ánh, kiến nghị", "Xử lý phản ánh, kiến nghị đúng hạn"]),
   ("Kết quả giải quyết hồ sơ TTHC", [ONTIME, "Thực hiện xin lỗi người dân khi giải quyết hồ sơ quá hạn", "Không để xảy ra nhũng nhiễu, gây phiền hà"]),
 ], "Văn phòng UBND tỉnh"),
 ("Cải cách tổ chức bộ máy hành chính", 11, [
   ("Tổ chức bộ máy", ["Thực hiện quy định về cơ cấu tổ chức các sở", "Thực hiện quy định về tổ chức phòng chuyên môn", "Sắp xếp, kiện toàn tổ chức bên trong"]),
   ("Thực hiện quy định về sử dụng biên chế", ["Thực hiện quy định về biên chế công chức", "Thực hiện tinh giản biên chế"]),
   ("Thực hiện phân cấp quản lý", ["Thực hiện các quy định về phân cấp", "Kiểm tra việc thực hiện nhiệm vụ phân cấp"]),
   ("Công tác kiểm tra tình hình tổ chức và hoạt động", ["Mức độ thực hiện kế hoạch kiểm tra", "Xử lý vấn đề phát hiện qua kiểm tra", "Báo cáo tình hình tổ chức, hoạt động"]),
 ], "Sở Nội vụ"),
 ("Xây dựng và nâng cao chất lượng đội ngũ công chức, viên chức", 16, [
   ("Xác định vị trí việc làm", ["Phê duyệt vị trí việc làm", "Bố trí công chức theo vị trí việc làm", "Thực hiện cơ cấu công chức theo vị trí việc làm"]),
   ("Cơ cấu ngạch công chức", ["Phê duyệt cơ cấu ngạch công chức"]),
   ("Tuyển dụng công chức, viên chức", ["Thực hiện quy định tuyển dụng công chức", "Thực hiện quy định tuyển dụng viên chức"]),
   ("Thi nâng ngạch, thăng hạng", ["Thực hiện quy định về thi nâng ngạch, thăng hạng"]),
   ("Thi tuyển cạnh tranh chức danh lãnh đạo", ["Thực hiện thí điểm thi tuyển lãnh đạo, quản lý"]),
   ("Đánh giá, phân loại công chức, viên chức", ["Thực hiện quy định về đánh giá, phân loại"]),
   ("Đào tạo, bồi dưỡng", ["Mức độ thực hiện kế hoạch đào tạo, bồi dưỡng", "Đánh giá chất lượng bồi dưỡng", "Cử công chức đi đào tạo đúng quy định"]),
   ("Cán bộ, công chức cấp xã", ["Tỷ lệ cán bộ cấp xã đạt chuẩn", "Tỷ lệ công chức cấp xã đạt chuẩn"]),
   ("Kỷ luật, kỷ cương hành chính", ["Chấp hành kỷ luật, kỷ cương hành chính", "Xử lý vi phạm kỷ luật, kỷ cương"]),
 ], "Sở Nội vụ"),
 ("Cải cách tài chính công", 7, [
   ("Tự chủ tại cơ quan hành chính", ["Tỷ lệ cơ quan thực hiện tự chủ biên chế và kinh phí", "Thực hiện quy chế chi tiêu nội bộ"]),
   ("Tự chủ tại đơn vị sự nghiệp công lập", ["Tỷ lệ đơn vị sự nghiệp thực hiện tự chủ", "Tăng thu, giảm chi từ thực hiện tự chủ"]),
   ("Quản lý, sử dụng tài sản công và kinh phí", ["Thực hiện quy định về tài sản công", "Thực hiện kiến nghị sau thanh tra, kiểm toán"]),
 ], "Sở Tài chính"),
 ("Hiện đại hoá hành chính", 16, [
   ("Ứng dụng công nghệ thông tin", ["Kế hoạch ứng dụng CNTT", "Mức độ hoàn thành kế hoạch CNTT", "Cổng thông tin điện tử của tỉnh", "Sử dụng văn bản điện tử", "Hệ thống một cửa điện tử"]),
   ("Cung cấp dịch vụ công trực tuyến", ["Số dịch vụ công trực tuyến mức 3", "Số dịch vụ công trực tuyến mức 4", ONLINE, "Tỷ lệ hồ sơ giải quyết trực tuyến mức 4"]),
   ("Thực hiện tiếp nhận, trả kết quả qua bưu chính công ích", ["Tỷ lệ TTHC tiếp nhận qua bưu chính", "Tỷ lệ hồ sơ trả kết quả qua bưu chính"]),
   ("Áp dụng ISO 9001 trong hoạt động của cơ quan hành chính", ["Tỷ lệ cơ quan công bố ISO", "Duy trì, cải tiến hệ thống ISO", "Kiểm tra việc áp dụng ISO"]),
   ("Đầu tư trụ sở, trang thiết bị và mô hình hiện đại", ["Đầu tư trụ sở xã đạt chuẩn", "Trung tâm hành chính công", "Trang thiết bị bộ phận một cửa", "Mô hình, sáng kiến hiện đại hóa"]),
 ], "Sở Thông tin và Truyền thông"),
 ("Tác động của CCHC đến người dân, tổ chức và phát triển kinh tế xã hội của tỉnh", 15.5, [
   ("Tác động đến người dân, tổ chức (điều tra xã hội học)", [sv("Mức độ hài lòng của người dân, tổ chức đối với dịch vụ hành chính công")]),
   ("Tác động đến quản lý nhà nước", [sv("Đánh giá của công chức, lãnh đạo về chất lượng thực thi công vụ")]),
   ("Tác động đến phát triển kinh tế - xã hội", ["Thu hút đầu tư, thu ngân sách, tăng trưởng GRDP"]),
 ], "Sở Nội vụ"),
]

# ---- 1150/QĐ-BNV provincial structure: 8 fields, 43 criteria, 95 sub-criteria (counts confirmed; split and maxima UNCONFIRMED)
F1150 = [
 ("Công tác chỉ đạo, điều hành cải cách hành chính", 9, 6, 9, "Sở Nội vụ"),
 ("Cải cách thể chế", 10, 6, 12, "Sở Tư pháp"),
 ("Cải cách thủ tục hành chính", 13, 6, 16, "Văn phòng UBND tỉnh"),
 ("Cải cách tổ chức bộ máy hành chính", 8, 4, 10, "Sở Nội vụ"),
 ("Cải cách chế độ công vụ", 11, 6, 13, "Sở Nội vụ"),
 ("Cải cách tài chính công", 7, 4, 9, "Sở Tài chính"),
 ("Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", 12, 6, 15, "Sở Khoa học và Công nghệ"),
 ("Tác động của CCHC đến người dân, tổ chức và các chỉ tiêu phát triển kinh tế - xã hội của tỉnh", 30, 5, 11, "Sở Nội vụ"),
]
def f1150():
    fields = []
    for fi, (title, fmax, nc, ns, resp) in enumerate(F1150, start=1):
        base, extra = divmod(ns, nc)
        crits = []
        for ci in range(1, nc + 1):
            k = base + (1 if ci <= extra else 0)
            subs = [f"Tiêu chí thành phần {fi}.{ci}.{si} (nhập theo phụ lục chính thức)" for si in range(1, k + 1)]
            if fi == 8:
                subs = [sv(s) for s in subs]
            crits.append((f"Tiêu chí {fi}.{ci} (nhập theo phụ lục chính thức)", subs))
        fields.append((title, fmax, crits, resp))
    return fields

DEPT = [
 ("Công tác chỉ đạo, điều hành CCHC", 12, [
   ("Kế hoạch CCHC của đơn vị", ["Ban hành kế hoạch CCHC năm đúng hạn", "Mức độ hoàn thành kế hoạch CCHC"]),
   ("Báo cáo CCHC định kỳ", ["Báo cáo đủ số lượng, đúng hạn"]),
   ("Tuyên truyền CCHC", ["Thực hiện kế hoạch tuyên truyền CCHC"]),
   ("Sáng kiến, giải pháp mới", ["Có sáng kiến, mô hình CCHC được công nhận"]),
 ], "Sở Nội vụ"),
 ("Cải cách thể chế", 10, [
   ("Tham mưu ban hành văn bản QPPL", ["Tỷ lệ văn bản tham mưu đúng kế hoạch", "Chất lượng thẩm định văn bản"]),
   ("Rà soát văn bản QPPL", ["Rà soát, xử lý văn bản theo kế hoạch"]),
 ], "Sở Tư pháp"),
 ("Cải cách thủ tục hành chính", 24, [
   ("Công khai TTHC", ["Công khai TTHC đầy đủ tại Trung tâm phục vụ hành chính công", "Cập nhật TTHC trên Cơ sở dữ liệu quốc gia"]),
   ("Kết quả giải quyết hồ sơ", [ONTIME, "Gửi phiếu xin lỗi khi hồ sơ quá hạn", "Số hóa hồ sơ, kết quả giải quyết"]),
   ("Phản ánh, kiến nghị", ["Xử lý phản ánh, kiến nghị đúng hạn"]),
 ], "Văn phòng UBND tỉnh"),
 ("Cải cách tổ chức bộ máy", 8, [
   ("Tổ chức bộ máy", ["Thực hiện quy định về cơ cấu tổ chức", "Sử dụng biên chế được giao"]),
 ], "Sở Nội vụ"),
 ("Cải cách chế độ công vụ", 10, [
   ("Vị trí việc làm", ["Bố trí công chức theo vị trí việc làm"]),
   ("Kỷ luật, kỷ cương", ["Không có công chức bị kỷ luật", "Chấp hành giờ giấc, văn hóa công vụ"]),
 ], "Sở Nội vụ"),
 ("Cải cách tài chính công", 6, [
   ("Tự chủ tài chính", ["Thực hiện quy chế chi tiêu nội bộ", "Giải ngân vốn đầu tư công đúng tiến độ"]),
 ], "Sở Tài chính"),
 ("Chính quyền số", 10, [
   ("Dịch vụ công trực tuyến", [ONLINE, "Thanh toán trực tuyến phí, lệ phí"]),
   ("Văn bản điện tử", ["Tỷ lệ văn bản điện tử có chữ ký số"]),
 ], "Sở Khoa học và Công nghệ"),
 ("Điều tra xã hội học (SIPAS)", 20, [
   ("Sự hài lòng của người dân, tổ chức", [sv("Chỉ số hài lòng SIPAS của đơn vị"), sv("Đánh giá của người dân về công chức giải quyết TTHC")]),
 ], "Sở Nội vụ"),
]

COMMUNE = [
 ("Công tác chỉ đạo, điều hành CCHC", 10, [
   ("Kế hoạch CCHC", ["Ban hành kế hoạch CCHC năm đúng hạn", "Mức độ hoàn thành kế hoạch CCHC"]),
   ("Báo cáo, tuyên truyền", ["Báo cáo CCHC đúng hạn", "Tuyên truyền CCHC tại cơ sở"]),
   ("Đối thoại với người dân", ["Người đứng đầu đối thoại với người dân định kỳ"]),
 ], "Sở Nội vụ"),
 ("Cải cách thể chế", 6, [
   ("Văn bản và thi hành pháp luật", ["Ban hành văn bản đúng thẩm quyền", "Tự kiểm tra, rà soát văn bản"]),
 ], "Sở Tư pháp"),
 ("Cải cách thủ tục hành chính", 30, [
   ("Bộ phận một cửa", ["Công khai TTHC tại bộ phận một cửa", "Bố trí công chức bộ phận một cửa"]),
   ("Kết quả giải quyết hồ sơ", [ONTIME, "Gửi phiếu xin lỗi khi hồ sơ quá hạn", "Số hóa hồ sơ, kết quả giải quyết", "Không có hồ sơ bị trả lại sai quy định"]),
   ("Phản ánh, kiến nghị", ["Xử lý phản ánh, kiến nghị đúng hạn"]),
 ], "Văn phòng UBND tỉnh"),
 ("Tổ chức bộ máy và công vụ", 12, [
   ("Cán bộ, công chức cấp xã", ["Cán bộ, công chức đạt chuẩn", "Đánh giá, xếp loại cán bộ, công chức"]),
   ("Kỷ luật, kỷ cương", ["Không có cán bộ, công chức bị kỷ luật"]),
 ], "Sở Nội vụ"),
 ("Tài chính công", 6, [
   ("Quản lý ngân sách xã", ["Công khai ngân sách", "Thực hiện dự toán thu, chi"]),
 ], "Sở Tài chính"),
 ("Chính quyền số", 12, [
   ("Dịch vụ công trực tuyến", [ONLINE, "Thanh toán trực tuyến phí, lệ phí"]),
   ("Ứng dụng công nghệ", ["Sử dụng văn bản điện tử, chữ ký số", "Cập nhật dữ liệu hộ tịch, dân cư"]),
 ], "Sở Khoa học và Công nghệ"),
 ("Điều tra xã hội học (SIPAS)", 24, [
   ("Sự hài lòng của người dân, tổ chức", [sv("Chỉ số hài lòng SIPAS của xã"), sv("Đánh giá của người dân về công chức bộ phận một cửa")]),
 ], "Sở Nội vụ"),
]

out = str(Path(__file__).parent) + "/"
r = build(P2948, field_confirmed=True); write(out + "par_province_2948.csv", r)
r2 = build(f1150(), field_confirmed=False); write(out + "par_province_1150.csv", r2)
r3 = build(DEPT, field_confirmed=False); write(out + "internal_department_template.csv", r3)
r4 = build(COMMUNE, field_confirmed=False); write(out + "internal_commune_template.csv", r4)
for name, rows in [("2948", r), ("1150", r2), ("dept", r3), ("commune", r4)]:
    codes = {x["code"] for x in rows}; parents = {x["parent"] for x in rows}
    fields = [x for x in rows if not x["parent"]]
    crits = [x for x in rows if x["parent"] and "." not in x["parent"]]
    subs = [x for x in rows if x["parent"].count(".") == 1]
    print(name, len(fields), len(crits), len(subs), "leaves", len(codes - parents))
