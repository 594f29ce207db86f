"""Build `checklists.csv` (thành phần hồ sơ) from the national catalogue crawl.

Usage (the crawl is NOT shipped; a local mirror of the source repository is enough):

    python cchc/catalog/data/build_checklists.py /path/to/chatbot_tthc.git [--report]

Reads `scripts/crawler/data/raw/<bo>/<ma>.json` at commit SOURCE_COMMIT (git show), parses each
procedure's `thanh_phan_ho_so` with `cchc.catalog.checklistparse` and writes one CSV row per checklist
line for every provincial or commune-level procedure of `tthc_catalogue.csv` whose text parses cleanly.
Everyday procedures (EVERYDAY) were read by hand against the source text; where the generic parser
reads a row wrongly (a note taken for a document, a main form marked conditional, a table the parser
cannot read), the hand-checked lines in OVERRIDES replace its result, each with the reason.
`--report` prints the everyday procedures and the parse problems instead of writing.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from cchc.catalog.checklistparse import Item, parse  # noqa: E402

SOURCE_REPO = "https://github.com/chatbot-tthc/chatbot_tthc"
SOURCE_COMMIT = "53229487610b07e0d7127f529b87c333f19aeb1e"
RAW_DIR = "scripts/crawler/data/raw"
OUT = HERE / "checklists.csv"
COLUMNS = ["ma_thu_tuc", "thu_tu", "ten_giay_to", "loai", "ban_chinh", "ban_sao", "bat_buoc", "mau_don", "ghi_chu",
           "nguon"]

# Everyday procedures of provincial and commune desks (civil status, certification, residence, land,
# household business, construction): the ones published figures show dominate a province's dossiers.
EVERYDAY = {
    # hộ tịch (Bộ Tư pháp)
    "1.001193": "đăng ký khai sinh", "1.000894": "đăng ký kết hôn", "1.000656": "đăng ký khai tử",
    "1.004873": "xác nhận tình trạng hôn nhân", "2.000635": "bản sao trích lục hộ tịch, bản sao giấy khai sinh",
    "1.004884": "đăng ký lại khai sinh", "1.004746": "đăng ký lại kết hôn", "1.005461": "đăng ký lại khai tử",
    "1.001022": "đăng ký nhận cha, mẹ, con", "1.000689": "khai sinh kết hợp nhận cha, mẹ, con",
    "1.004859": "thay đổi, cải chính, bổ sung thông tin hộ tịch", "1.004837": "đăng ký giám hộ",
    "1.004845": "chấm dứt giám hộ", "1.004772": "khai sinh cho người đã có hồ sơ, giấy tờ cá nhân",
    "1.003583": "khai sinh lưu động", "2.000528": "khai sinh có yếu tố nước ngoài",
    "2.000806": "kết hôn có yếu tố nước ngoài", "1.001766": "khai tử có yếu tố nước ngoài",
    "2.000986": "liên thông khai sinh, thường trú, thẻ BHYT", "2.001023": "liên thông khai sinh, thẻ BHYT",
    # chứng thực (Bộ Tư pháp)
    "2.000815": "chứng thực bản sao từ bản chính", "2.000884": "chứng thực chữ ký",
    "2.001035": "chứng thực hợp đồng, giao dịch về tài sản", "2.001019": "chứng thực di chúc",
    "2.001016": "chứng thực văn bản từ chối nhận di sản", "2.001406": "chứng thực văn bản phân chia di sản",
    "2.000913": "chứng thực sửa đổi, bổ sung, hủy bỏ giao dịch",
    "2.000992": "chứng thực chữ ký người dịch (cộng tác viên)", "2.001008": "chứng thực chữ ký người dịch",
    # cư trú (Bộ Công an)
    "1.004222": "đăng ký thường trú", "1.004194": "đăng ký tạm trú", "1.002755": "gia hạn tạm trú",
    "1.003197": "xóa đăng ký thường trú", "1.010028": "xóa đăng ký tạm trú", "1.010038": "tách hộ", "1.010040": "khai báo thông tin về cư trú",
    # đất đai (Bộ Nông nghiệp và Môi trường)
    "1.012753": "đăng ký đất đai, cấp GCN lần đầu", "1.013978": "đăng ký đất đai, cấp GCN (cấp xã)",
    "1.012783": "cấp đổi GCN", "1.012787": "đăng ký, cấp GCN cho người nhận chuyển nhượng",
    "1.013831": "đăng ký biến động: chuyển đổi, chuyển nhượng, thừa kế, tặng cho",
    "1.013833": "đăng ký biến động: đổi tên, thay đổi thông tin", "1.013977": "đăng ký biến động: chia, tách, hợp nhất",
    "1.013992": "đăng ký biến động: chuyển mục đích không phải xin phép", "1.012784": "tách thửa, hợp thửa",
    "1.012790": "đính chính GCN", "1.012796": "đính chính GCN cấp lần đầu (cấp xã)",
    # hộ kinh doanh (Bộ Tài chính)
    "1.001612": "đăng ký thành lập hộ kinh doanh", "2.000720": "thay đổi nội dung đăng ký hộ kinh doanh",
    "1.001570": "tạm ngừng, tiếp tục kinh doanh", "1.001266": "chấm dứt hoạt động hộ kinh doanh",
    "2.000575": "cấp lại GCN đăng ký hộ kinh doanh",
    # xây dựng (Bộ Xây dựng)
    "1.013225": "giấy phép xây dựng mới cấp III, IV", "1.013227": "gia hạn giấy phép xây dựng",
    "1.013228": "cấp lại giấy phép xây dựng",
}


def _i(name, kind="submit", original=1, copies=0, mandatory=True, form="", note="") -> Item:
    return Item(name=name, kind=kind, original_copies=original, photocopies=copies, mandatory=mandatory,
                form_name=form, note=note)


ID_PAPERS = ("Hộ chiếu, thẻ Căn cước công dân, thẻ Căn cước, Căn cước điện tử, Giấy chứng nhận căn cước "
             "hoặc giấy tờ khác có dán ảnh và thông tin cá nhân do cơ quan có thẩm quyền cấp, còn giá trị sử dụng "
             "(giấy tờ tùy thân)")
RESIDENCE_PROOF = "Giấy tờ chứng minh nơi cư trú"
RESIDENCE_NOTE = ("Chỉ khi cơ quan đăng ký hộ tịch không khai thác được thông tin về nơi cư trú trong Cơ sở dữ liệu "
                  "quốc gia về dân cư (khoản 2 Điều 14 Nghị định 104/2022/NĐ-CP).")
AUTH_LETTER = "Văn bản ủy quyền (được chứng thực) khi ủy quyền thực hiện thủ tục"
AUTH_NOTE = ("Không phải chứng thực nếu người được ủy quyền là ông, bà, cha, mẹ, con, vợ, chồng, anh, chị, em ruột "
             "của người ủy quyền.")
ONLINE_FORM_NOTE = "Chỉ khi nộp trực tuyến: khai trên Cổng dịch vụ công thay cho tờ khai giấy."

# Hand-checked lines (source: the same JSON file, read in full). Reason first, then the lines.
OVERRIDES: dict[str, tuple[str, list[Item]]] = {
    "1.001193": ("tờ khai và giấy chứng sinh là giấy tờ chính; ủy quyền, trẻ bị bỏ rơi, mang thai hộ chỉ theo trường hợp", [
        _i("Tờ khai đăng ký khai sinh", form="Tờ khai đăng ký khai sinh (Thông tư 04/2020/TT-BTP)",
           note="Khi nộp trực tiếp hoặc qua bưu chính."),
        _i("Giấy chứng sinh", note="Không có Giấy chứng sinh thì nộp văn bản của người làm chứng xác nhận về việc sinh; "
           "không có người làm chứng thì giấy cam đoan về việc sinh. Không phải nộp bản giấy nếu đã nộp bản điện tử hoặc "
           "cơ quan đăng ký hộ tịch khai thác được dữ liệu điện tử của Giấy chứng sinh."),
        _i(ID_PAPERS, kind="present"),
        _i(RESIDENCE_PROOF, kind="present", mandatory=False, note=RESIDENCE_NOTE),
        _i(AUTH_LETTER, mandatory=False, note=AUTH_NOTE + " Ông, bà, người thân thích khác đi khai sinh cho trẻ không cần "
           "văn bản ủy quyền của cha, mẹ."),
        _i("Biên bản về việc trẻ bị bỏ rơi do cơ quan có thẩm quyền lập", mandatory=False, note="Trẻ em bị bỏ rơi."),
        _i("Văn bản xác nhận của cơ sở y tế đã thực hiện kỹ thuật hỗ trợ sinh sản cho việc mang thai hộ", mandatory=False,
           note="Trẻ em sinh ra do mang thai hộ."),
        _i("Mẫu hộ tịch điện tử tương tác đăng ký khai sinh", mandatory=False, note=ONLINE_FORM_NOTE),
    ]),
    "1.000894": ("hai bên nam, nữ có mặt; tờ khai chung được; giấy tờ tùy thân xuất trình", [
        _i("Tờ khai đăng ký kết hôn", form="Tờ khai đăng ký kết hôn (Thông tư 04/2020/TT-BTP)",
           note="Có đủ thông tin của hai bên nam, nữ; hai bên có thể khai chung một tờ khai. Khi nộp trực tiếp."),
        _i(ID_PAPERS + " của hai bên nam, nữ", kind="present"),
        _i(RESIDENCE_PROOF, kind="present", mandatory=False, note=RESIDENCE_NOTE),
        _i("Mẫu hộ tịch điện tử tương tác đăng ký kết hôn", mandatory=False, note=ONLINE_FORM_NOTE),
    ]),
    "1.000656": ("giấy báo tử là giấy tờ chính; các giấy tờ khác theo trường hợp", [
        _i("Tờ khai đăng ký khai tử", form="Tờ khai đăng ký khai tử (Thông tư 04/2020/TT-BTP)",
           note="Khi nộp trực tiếp."),
        _i("Giấy báo tử hoặc giấy tờ thay Giấy báo tử do cơ quan có thẩm quyền cấp",
           note="Không phải nộp bản giấy nếu đã nộp bản điện tử hoặc cơ quan đăng ký khai thác được dữ liệu điện tử."),
        _i(ID_PAPERS, kind="present"),
        _i("Giấy tờ chứng minh nơi cư trú cuối cùng của người chết", kind="present", mandatory=False,
           note="Khi không khai thác được trong Cơ sở dữ liệu quốc gia về dân cư; không xác định được nơi cư trú cuối "
           "cùng thì giấy tờ chứng minh nơi người đó chết hoặc nơi phát hiện thi thể."),
        _i(AUTH_LETTER, mandatory=False, note=AUTH_NOTE),
        _i("Mẫu hộ tịch điện tử tương tác đăng ký khai tử", mandatory=False, note=ONLINE_FORM_NOTE),
    ]),
    "1.004873": ("tờ khai là giấy tờ chính", [
        _i("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", form="Tờ khai cấp Giấy xác nhận tình trạng hôn nhân "
           "(Thông tư 04/2020/TT-BTP)", note="Khi nộp trực tiếp."),
        _i(ID_PAPERS, kind="present"),
        _i(RESIDENCE_PROOF, kind="present", mandatory=False, note=RESIDENCE_NOTE),
        _i("Giấy xác nhận tình trạng hôn nhân đã được cấp trước đây", mandatory=False,
           note="Khi xin cấp lại để dùng vào mục đích khác hoặc vì giấy cũ đã hết thời hạn sử dụng."),
        _i(AUTH_LETTER, mandatory=False, note=AUTH_NOTE),
        _i("Mẫu điện tử tương tác cấp Giấy xác nhận tình trạng hôn nhân", mandatory=False, note=ONLINE_FORM_NOTE),
    ]),
    "2.000635": ("tờ khai (cá nhân) hoặc văn bản yêu cầu (cơ quan, tổ chức) là giấy tờ chính", [
        _i("Tờ khai đề nghị cấp bản sao Trích lục hộ tịch (cá nhân) hoặc văn bản yêu cầu nêu rõ lý do (cơ quan, tổ chức)",
           form="Tờ khai cấp bản sao trích lục hộ tịch (Thông tư 04/2020/TT-BTP)"),
        _i(ID_PAPERS, kind="present"),
        _i(AUTH_LETTER, mandatory=False, note=AUTH_NOTE),
        _i("Mẫu điện tử tương tác yêu cầu cấp bản sao Giấy khai sinh, bản sao Trích lục hộ tịch", mandatory=False,
           note=ONLINE_FORM_NOTE),
    ]),
    "1.004222": ("mỗi bảng của nguồn là một trường hợp; ghi các trường hợp thường gặp (nhà của mình, thuê/mượn/ở nhờ, về "
                 "ở với người thân) và bỏ các dòng lưu ý; các trường hợp khác (cơ sở tín ngưỡng, đơn vị đóng quân, "
                 "phương tiện) xem trang thủ tục", [
        _i("Tờ khai thay đổi thông tin cư trú", form="Mẫu CT01 (Thông tư 53/2025/TT-BCA)",
           note="Người Việt Nam định cư ở nước ngoài không có hộ chiếu Việt Nam còn giá trị: Mẫu CT02."),
        _i("Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp", kind="present", mandatory=False,
           note="Chỉ khi không khai thác được thông tin trong căn cước điện tử, VNeID hoặc các cơ sở dữ liệu "
           "(khoản 2 Điều 5 Nghị định 154/2024/NĐ-CP)."),
        _i("Hợp đồng, văn bản cho thuê, cho mượn, cho ở nhờ được công chứng hoặc chứng thực", mandatory=False,
           note="Đăng ký thường trú vào chỗ ở thuê, mượn, ở nhờ."),
        _i("Giấy tờ, tài liệu chứng minh đủ diện tích nhà ở theo quy định của HĐND tỉnh", kind="present", mandatory=False,
           note="Chỗ ở thuê, mượn, ở nhờ, khi không khai thác được thông tin; hoặc xác nhận của UBND cấp xã theo "
           "Mẫu số 02 Nghị định 154/2024/NĐ-CP."),
        _i("Giấy tờ, tài liệu chứng minh quan hệ nhân thân với chủ hộ, thành viên hộ gia đình", kind="present",
           mandatory=False, note="Về ở với người thân (khoản 2 Điều 20 Luật Cư trú), khi không khai thác được "
           "thông tin trong Cơ sở dữ liệu hộ tịch điện tử, dân cư (khoản 2, 3 Điều 6 Nghị định 154/2024/NĐ-CP)."),
    ]),
    "1.013225": ("nguồn gồm 7 bảng theo loại công trình, có dòng dài hơn 4.000 ký tự; ghi bảng (1.7) nhà ở riêng lẻ "
                 "(thường gặp nhất ở cấp xã), các loại công trình khác xem trang thủ tục", [
        _i("Đơn đề nghị cấp giấy phép xây dựng", form="Mẫu số 1 Phụ lục II Nghị định 175/2024/NĐ-CP", copies=1),
        _i("Một trong những giấy tờ hợp pháp về đất đai (Giấy chứng nhận quyền sử dụng đất…)", copies=1,
           note="Theo Điều 53 Nghị định 175/2024/NĐ-CP; thay bằng dữ liệu khi Cơ sở dữ liệu quốc gia về đất đai đã có. "
           "Thuê đất, thuê công trình: thêm hợp đồng thuê."),
        _i("02 bộ bản vẽ thiết kế xây dựng", original=2, copies=2,
           note="Bản vẽ mặt bằng, mặt đứng, mặt cắt, móng, kết cấu chính, đấu nối hạ tầng kỹ thuật; kết quả thủ tục "
           "phòng cháy, chữa cháy nếu thuộc diện phải thẩm duyệt."),
        _i("Bản cam kết bảo đảm an toàn đối với công trình liền kề", mandatory=False,
           note="Công trình xây dựng có công trình liền kề."),
    ]),
    "1.001612": ("dòng (v) là lưu ý về trách nhiệm, không phải giấy tờ; các giấy tờ ủy quyền theo trường hợp", [
        _i("Giấy đề nghị đăng ký hộ kinh doanh", form="Giấy đề nghị đăng ký hộ kinh doanh (Nghị định 168/2025/NĐ-CP)"),
        _i("Bản sao văn bản ủy quyền của thành viên hộ gia đình cho một thành viên làm chủ hộ kinh doanh",
           original=0, copies=1, mandatory=False,
           note="Khi các thành viên hộ gia đình cùng đăng ký thành lập; văn bản được công chứng hoặc chứng thực."),
        _i("Văn bản ủy quyền cho cá nhân thực hiện thủ tục", original=0, copies=1, mandatory=False,
           note="Khi ủy quyền cho cá nhân; không bắt buộc công chứng, chứng thực."),
        _i("Bản sao hợp đồng dịch vụ và giấy giới thiệu của tổ chức làm dịch vụ", original=0, copies=1, mandatory=False,
           note="Khi ủy quyền cho tổ chức."),
        _i("Bản sao phiếu gửi hồ sơ của bưu chính công ích", original=0, copies=1, mandatory=False,
           note="Khi ủy quyền cho bưu chính công ích; có chữ ký của nhân viên bưu chính và chủ hộ kinh doanh."),
        _i("Bản sao thẻ Căn cước hoặc thẻ Căn cước công dân còn hiệu lực của người ủy quyền", original=0, copies=1,
           mandatory=False, note="Khi chưa có tài khoản định danh điện tử để xác thực."),
    ]),
}


# Hand-checked repairs of the source text, applied before parsing: (glued text, repaired text, why).
TEXT_FIXES = [
    ("tài sản gắn liền với đất theo Mẫu số 181 bản chính", "tài sản gắn liền với đất theo Mẫu số 18.1 bản chính",
     "the land-change application form is Mẫu số 18 of Nghị định 151/2025/NĐ-CP (1.012783, 1.013992 name it so); "
     "the table's quantity 1 bản chính is glued to it"),
]


def fixed(text: str) -> str:
    for old, new, _why in TEXT_FIXES:
        text = text.replace(old, new)
    return text


def git_show(repo: Path, path: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "show", f"{SOURCE_COMMIT}:{path}"], check=True,
                          capture_output=True).stdout.decode("utf-8")


def raw_paths(repo: Path) -> dict[str, str]:
    out = subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", "--name-only", SOURCE_COMMIT, RAW_DIR],
                         check=True, capture_output=True).stdout.decode().split()
    return {Path(p).stem: p for p in out if p.endswith(".json")}


def catalogue_levels() -> dict[str, str]:
    with (HERE / "tthc_catalogue.csv").open(encoding="utf-8-sig") as handle:
        return {r["ma_thu_tuc"]: r["cap_thuc_hien"] for r in csv.DictReader(handle)}


def local_level(levels: str) -> bool:
    low = levels.lower()
    return "cấp tỉnh" in low or "cấp xã" in low


def build(repo: Path) -> tuple[list[dict], dict]:
    levels = catalogue_levels()
    paths = raw_paths(repo)
    rows, stats = [], {"local": 0, "clean": 0, "flagged": 0, "overridden": 0, "problems": {}}
    for code in sorted(levels):
        if not local_level(levels[code]) or code not in paths:
            continue
        stats["local"] += 1
        path = paths[code]
        if code in OVERRIDES:
            items = OVERRIDES[code][1]
            stats["overridden"] += 1
        else:
            text = json.loads(git_show(repo, path)).get("thanh_phan_ho_so") or ""
            parsed = parse(fixed(text))
            if not parsed.clean:
                stats["flagged"] += 1
                stats["problems"][code] = parsed.problems
                continue
            items = parsed.items
        stats["clean"] += 1
        for order, item in enumerate(items, start=1):
            rows.append({
                "ma_thu_tuc": code, "thu_tu": order, "ten_giay_to": item.name,
                "loai": "xuat_trinh" if item.kind == "present" else "nop", "ban_chinh": item.original_copies,
                "ban_sao": item.photocopies, "bat_buoc": 1 if item.mandatory else 0, "mau_don": item.form_name,
                "ghi_chu": item.note, "nguon": f"{path}" + (" (đã đối chiếu thủ công)" if code in OVERRIDES else ""),
            })
    missing = sorted(set(EVERYDAY) - {r["ma_thu_tuc"] for r in rows})
    stats["everyday_missing"] = missing
    return rows, stats


def write(rows: list[dict], stats: dict) -> None:
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        handle.write(f"# Thành phần hồ sơ, generated by cchc/catalog/data/build_checklists.py from {SOURCE_REPO} "
                     f"at commit {SOURCE_COMMIT}, path {RAW_DIR}/<bo>/<ma_thu_tuc>.json (field thanh_phan_ho_so); "
                     "the nguon column names each file\n")
        handle.write(f"# {stats['clean']} of {stats['local']} provincial/commune-level procedures "
                     f"({stats['overridden']} hand-checked), {len(rows)} lines; {stats['flagged']} not shipped "
                     "(text the parser cannot read)\n")
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    repo = Path(argv[0])
    rows, stats = build(repo)
    if "--report" in argv:
        for code in EVERYDAY:
            lines = [r for r in rows if r["ma_thu_tuc"] == code]
            print(f"== {code} {EVERYDAY[code]}: {len(lines)} dòng", stats["problems"].get(code, ""))
            for r in lines:
                print(f"   {r['loai']:10} {r['ban_chinh']}/{r['ban_sao']} {'B' if r['bat_buoc'] else '-'} "
                      f"{r['ten_giay_to'][:110]} | {r['mau_don'][:30]} | {r['ghi_chu'][:50]}")
        print({k: v for k, v in stats.items() if k != "problems"})
        return 0
    write(rows, stats)
    print({k: v for k, v in stats.items() if k != "problems"})
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
