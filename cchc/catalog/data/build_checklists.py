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
    # issue 8: among the demo's most-filed procedures, or named by the issue; read against the source text
    "1.013226": "điều chỉnh giấy phép xây dựng", "1.013229": "giấy phép sửa chữa, cải tạo",
    "2.000908": "cấp bản sao từ sổ gốc", "2.000942": "bản sao có chứng thực từ bản chính hợp đồng, giao dịch",
    "2.001159": "thông báo lưu trú", "2.001583": "thành lập công ty TNHH một thành viên",
    "2.002043": "thành lập công ty cổ phần", "1.011441": "đăng ký thế chấp quyền sử dụng đất",
    "1.013237": "chứng chỉ hành nghề hoạt động xây dựng", "1.013949": "giao đất, cho thuê đất, chuyển mục đích",
    "1.013980": "đăng ký biến động theo thỏa thuận, kết quả hòa giải, xử lý thế chấp",
    "1.001601": "ủy quyền lĩnh thay chế độ BHXH", "2.000717": "truy lĩnh lương hưu của người đã chết",
    "2.000755": "trợ cấp một lần khi ra nước ngoài định cư",
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

LAND_PAPERS_NOTE = ("Một trong các giấy tờ theo Điều 53 Nghị định 175/2024/NĐ-CP: Giấy chứng nhận quyền sử dụng đất, Giấy "
                    "chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất, Giấy chứng nhận quyền sở hữu nhà ở "
                    "và quyền sử dụng đất ở, Giấy chứng nhận quyền sở hữu nhà ở / công trình xây dựng cấp qua các thời kỳ; "
                    "giấy tờ đủ điều kiện cấp giấy chứng nhận (Điều 137 Luật Đất đai 2024) hoặc giấy xác nhận của UBND cấp xã "
                    "được tổ chức đăng ký đất đai xác nhận; quyết định giao đất, cho thuê đất (kèm hợp đồng thuê đất nếu có) "
                    "hoặc giấy tờ trúng đấu giá, đấu thầu; các giấy tờ hợp pháp khác theo pháp luật về đất đai. Thuê đất, "
                    "thuê công trình: thêm hợp đồng thuê. Giấy chứng nhận đã có trong Cơ sở dữ liệu quốc gia về đất đai thì "
                    "được thay bằng dữ liệu khi cơ sở dữ liệu được vận hành.")
ID_PAPERS_2025 = ("Căn cước điện tử; bản chính hoặc bản sao Thẻ căn cước công dân, Thẻ căn cước, Giấy chứng nhận căn cước, "
                  "Hộ chiếu, giấy tờ xuất nhập cảnh hoặc giấy tờ có giá trị đi lại quốc tế còn giá trị sử dụng (một trong các "
                  "giấy tờ)")
ENTERPRISE_LEGAL_PAPERS = ("Bản sao giấy tờ pháp lý của cá nhân (chủ sở hữu, thành viên, cổ đông là cá nhân, người đại diện "
                           "theo pháp luật) và của tổ chức (thành viên là tổ chức, kèm văn bản cử người đại diện theo ủy quyền)")
ENTERPRISE_LEGAL_NOTE = ("Không phải nộp bản sao giấy tờ pháp lý của cá nhân đã kê khai số định danh cá nhân (khoản 1 Điều 11 "
                         "Nghị định 168/2025/NĐ-CP). Tổ chức nước ngoài: bản sao được hợp pháp hóa lãnh sự; nhà đầu tư nước "
                         "ngoài: Giấy chứng nhận đăng ký đầu tư.")
ENTERPRISE_AGENT_LINES = [
    _i("Văn bản ủy quyền cho cá nhân thực hiện thủ tục liên quan đến đăng ký doanh nghiệp", mandatory=False,
       note="Khi ủy quyền cho cá nhân."),
    _i("Bản sao hợp đồng ủy quyền cho tổ chức thực hiện thủ tục và giấy giới thiệu hoặc văn bản phân công của tổ chức đó "
       "cho cá nhân trực tiếp thực hiện", original=0, copies=1, mandatory=False, note="Khi ủy quyền cho tổ chức."),
]

OVERRIDES.update({
    "1.013226": ("một bảng duy nhất; các dòng giấy tờ đất đai là các lựa chọn của dòng “Đối với trường hợp việc điều chỉnh thiết "
                 "kế có thay đổi về diện tích sử dụng đất hoặc chức năng sử dụng đất … một trong các loại giấy tờ hợp pháp về "
                 "đất đai” (dài hơn 500 ký tự, số lượng dính vào năm 2024): gộp thành một dòng có điều kiện, danh sách ở ghi chú", [
        _i("Đơn đề nghị điều chỉnh giấy phép xây dựng", form="Mẫu số 02 Phụ lục II Nghị định 175/2024/NĐ-CP"),
        _i("Bản chính giấy phép xây dựng đã được cấp kèm theo bản vẽ đã được cấp kèm theo giấy phép"),
        _i("02 bộ bản vẽ thiết kế xây dựng trong hồ sơ thiết kế xây dựng điều chỉnh",
           note="Triển khai sau thiết kế cơ sở được phê duyệt theo quy định của pháp luật về xây dựng, tương ứng Điều 55 – "
           "Điều 59 Nghị định 175/2024/NĐ-CP."),
        _i("Báo cáo kết quả thẩm định và văn bản phê duyệt thiết kế xây dựng điều chỉnh của chủ đầu tư", mandatory=False,
           note="Trừ nhà ở riêng lẻ. Phải có nội dung về bảo đảm an toàn chịu lực, an toàn phòng, chống cháy, nổ, bảo vệ môi "
           "trường; kèm hồ sơ theo điểm c khoản 1 Điều 55 Nghị định 175/2024/NĐ-CP tương ứng với phần điều chỉnh."),
        _i("Một trong các loại giấy tờ hợp pháp về đất đai để cấp giấy phép xây dựng", mandatory=False,
           note="Khi việc điều chỉnh thiết kế thay đổi diện tích sử dụng đất hoặc chức năng sử dụng đất của công trình. "
           + LAND_PAPERS_NOTE),
    ]),
    "1.013229": ("nguồn gồm 7 bảng theo loại công trình, có dòng dài hơn 4.000 ký tự; ghi bảng (1.7) nhà ở riêng lẻ (thường "
                 "gặp nhất ở cấp xã) như 1.013225; các dòng Giấy chứng nhận của bảng là các lựa chọn của dòng “Một trong những "
                 "giấy tờ hợp pháp về đất đai” nên gộp lại. Bảng (1.7) không có dòng bản vẽ hiện trạng, ảnh chụp hiện trạng "
                 "(có ở các bảng khác): không thêm. Các loại công trình khác xem trang thủ tục", [
        _i("Đơn đề nghị cấp giấy phép sửa chữa, cải tạo công trình", copies=1,
           form="Mẫu số 1 Phụ lục II Nghị định 175/2024/NĐ-CP"),
        _i("Một trong những giấy tờ hợp pháp về đất đai chứng minh sự phù hợp mục đích sử dụng đất và sở hữu công trình",
           copies=1, note=LAND_PAPERS_NOTE),
        _i("Hồ sơ thiết kế xây dựng: 02 bộ bản vẽ thiết kế xây dựng", copies=1,
           note="Nhà ở riêng lẻ của hộ gia đình, cá nhân: bản vẽ mặt bằng công trình trên lô đất kèm sơ đồ vị trí; mặt bằng "
           "các tầng, các mặt đứng và mặt cắt chính; mặt bằng móng, mặt cắt móng kèm sơ đồ đấu nối cấp nước, thoát nước, "
           "cấp điện; kết quả thủ tục phòng cháy, chữa cháy; báo cáo kết quả thẩm tra thiết kế khi pháp luật về xây dựng "
           "yêu cầu. Nhà ở riêng lẻ của tổ chức: bản vẽ trong hồ sơ thiết kế xây dựng triển khai sau thiết kế cơ sở được "
           "phê duyệt."),
        _i("Bản cam kết bảo đảm an toàn đối với công trình liền kề", mandatory=False,
           note="Công trình xây dựng có công trình liền kề."),
    ]),
    "2.000908": ("dòng thứ hai dài hơn 500 ký tự: tên giấy tờ tách khỏi các trường hợp áp dụng", [
        _i(ID_PAPERS_2025, note="Không yêu cầu nộp khi cơ quan giải quyết khai thác được thông tin về Thẻ căn cước công dân, "
           "Thẻ căn cước hoặc Giấy chứng nhận căn cước trên Cơ sở dữ liệu quốc gia về dân cư."),
        _i("Bản chính hoặc bản sao có chứng thực giấy tờ chứng minh quan hệ với người được cấp bản chính", mandatory=False,
           note="Khi người yêu cầu là người đại diện theo pháp luật, người đại diện theo ủy quyền của cá nhân, tổ chức được cấp "
           "bản chính; cha, mẹ, con; vợ, chồng; anh, chị, em ruột; người thừa kế khác của người được cấp bản chính đã chết. "
           "Không yêu cầu nộp khi khai thác được thông tin về giấy khai sinh, giấy đăng ký kết hôn trên Cơ sở dữ liệu hộ "
           "tịch điện tử."),
    ]),
    "2.000942": ("dòng duy nhất dài hơn 500 ký tự: tên giấy tờ tách khỏi điều kiện miễn", [
        _i(ID_PAPERS_2025, kind="present",
           note="Người yêu cầu chứng thực xuất trình. Không yêu cầu khi cơ quan giải quyết khai thác được thông tin về Thẻ căn "
           "cước công dân, Thẻ căn cước hoặc Giấy chứng nhận căn cước trên Cơ sở dữ liệu quốc gia về dân cư."),
    ]),
    "2.001159": ("dòng duy nhất (796 ký tự) mô tả hai cách thông báo: hộ gia đình, cơ sở lưu trú đề nghị người đến lưu trú xuất "
                 "trình giấy tờ có số định danh cá nhân; cơ sở khám bệnh, chữa bệnh lập danh sách người điều trị nội trú", [
        _i("Giấy tờ pháp lý thể hiện thông tin về số định danh cá nhân của người đến lưu trú", kind="present",
           note="Chủ hộ hoặc thành viên hộ gia đình, đại diện cơ sở lưu trú ở khu công nghiệp, cơ sở lưu trú du lịch đề nghị "
           "người đến lưu trú xuất trình rồi thông báo lưu trú với cơ quan đăng ký cư trú."),
        _i("Danh sách người đến điều trị nội trú", mandatory=False,
           note="Cơ sở khám bệnh, chữa bệnh lập danh sách và thông báo lưu trú với cơ quan đăng ký cư trú nơi đặt trụ sở."),
    ]),
    "2.001583": ("nguồn chỉ có bảng cho các trường hợp đặc biệt (doanh nghiệp xã hội, công ty chứng khoán, chuyển đổi từ hộ kinh "
                 "doanh, từ cơ sở bảo trợ xã hội) và các bảng ủy quyền; ghi các dòng có trong mọi bảng trường hợp (giấy đề nghị, "
                 "điều lệ, bản sao giấy tờ pháp lý, danh sách chủ sở hữu hưởng lợi) và các dòng ủy quyền; giấy tờ riêng của "
                 "từng trường hợp xem trang thủ tục", [
        _i("Giấy đề nghị đăng ký doanh nghiệp"),
        _i("Điều lệ công ty"),
        _i(ENTERPRISE_LEGAL_PAPERS, original=0, copies=1, mandatory=False, note=ENTERPRISE_LEGAL_NOTE),
        _i("Danh sách chủ sở hữu hưởng lợi của doanh nghiệp", mandatory=False, note="Nếu có."),
        *ENTERPRISE_AGENT_LINES,
    ]),
    "2.002043": ("như 2.001583: nguồn chỉ có bảng cho các trường hợp đặc biệt; ghi các dòng có trong mọi bảng trường hợp, thêm "
                 "danh sách cổ đông sáng lập của công ty cổ phần, và các dòng ủy quyền", [
        _i("Giấy đề nghị đăng ký doanh nghiệp"),
        _i("Điều lệ công ty"),
        _i("Danh sách cổ đông sáng lập; danh sách cổ đông là nhà đầu tư nước ngoài",
           note="Danh sách cổ đông là nhà đầu tư nước ngoài: nếu có."),
        _i(ENTERPRISE_LEGAL_PAPERS, original=0, copies=1, mandatory=False, note=ENTERPRISE_LEGAL_NOTE),
        _i("Danh sách chủ sở hữu hưởng lợi của doanh nghiệp", mandatory=False, note="Nếu có."),
        *ENTERPRISE_AGENT_LINES,
    ]),
    "1.011441": ("các bảng của nguồn trộn các trường hợp của Điều 27 – 31 Nghị định 99/2022/NĐ-CP (đất đã có Giấy chứng nhận, dự "
                 "án nhà ở, tài sản hình thành trong tương lai …) và có dòng dài hơn 500 ký tự; ghi trường hợp thường gặp (Điều "
                 "27: thế chấp quyền sử dụng đất, tài sản gắn liền với đất đã có Giấy chứng nhận) và dòng người đại diện; các "
                 "trường hợp khác xem trang thủ tục", [
        _i("Phiếu yêu cầu đăng ký biện pháp bảo đảm", form="Mẫu số 01a Phụ lục Nghị định 99/2022/NĐ-CP",
           note="Khoản 1 Điều 27 Nghị định 99/2022/NĐ-CP."),
        _i("Hợp đồng bảo đảm (có công chứng, chứng thực khi Luật Đất đai, Luật Nhà ở, luật khác có liên quan quy định)",
           original=0, copies=1, note="01 bản chính hoặc 01 bản sao có chứng thực (khoản 2 Điều 27 Nghị định 99/2022/NĐ-CP)."),
        _i("Giấy chứng nhận (bản gốc)", note="Trừ trường hợp khoản 2 Điều 35 Nghị định 99/2022/NĐ-CP (khoản 3 Điều 27). Được "
           "thay bằng việc khai thác thông tin từ cơ sở dữ liệu đất đai khi cơ sở dữ liệu đã có."),
        _i("Văn bản có nội dung về đại diện", mandatory=False,
           note="Khi thực hiện thông qua người đại diện; 01 bản chính hoặc 01 bản sao có chứng thực hoặc 01 bản sao kèm bản "
           "chính để đối chiếu; trừ khi đăng ký qua tài khoản đăng ký trực tuyến của người đại diện (khoản 7 Điều 8, "
           "khoản 4 Điều 24 Nghị định 99/2022/NĐ-CP)."),
    ]),
    "1.013236": ("nguồn gồm 6 bảng theo loại công trình, có dòng dài hơn 4.000 ký tự; ghi bảng (1.1) công trình không theo "
                 "tuyến (thường gặp nhất ở cấp tỉnh); các loại công trình khác xem trang thủ tục", [
        _i("Đơn đề nghị cấp giấy phép xây dựng", copies=1, form="Mẫu số 1 Phụ lục II Nghị định 175/2024/NĐ-CP"),
        _i("Một trong những giấy tờ hợp pháp về đất đai chứng minh sự phù hợp mục đích sử dụng đất và sở hữu công trình",
           copies=1, note=LAND_PAPERS_NOTE),
        _i("02 bộ bản vẽ thiết kế xây dựng trong hồ sơ thiết kế xây dựng triển khai sau thiết kế cơ sở được phê duyệt hoặc "
           "đóng dấu xác nhận", copies=1,
           note="Thiết kế bản vẽ thi công đối với dự án chỉ yêu cầu lập Báo cáo kinh tế - kỹ thuật. Gồm: tổng mặt bằng toàn dự "
           "án, mặt bằng định vị công trình trên lô đất; kiến trúc các mặt bằng, mặt đứng, mặt cắt chủ yếu; mặt bằng, mặt cắt "
           "móng; giải pháp kết cấu chính; mặt bằng đấu nối với hạ tầng kỹ thuật bên ngoài."),
        _i("Quyết định phê duyệt dự án; văn bản thông báo kết quả thẩm định của cơ quan chuyên môn về xây dựng và hồ sơ bản vẽ "
           "thiết kế cơ sở được đóng dấu xác nhận kèm theo (nếu có)", copies=1,
           note="Kèm báo cáo kết quả thẩm tra thiết kế xây dựng (nếu có, khoản 5 Điều 43 Nghị định 175/2024/NĐ-CP); kết quả "
           "thủ tục về phòng cháy và chữa cháy; kết quả thủ tục về bảo vệ môi trường khi báo cáo nghiên cứu khả thi không "
           "thẩm định tại cơ quan chuyên môn về xây dựng."),
        _i("Dữ liệu BIM của công trình (định dạng gốc và IFC 4.0 hoặc định dạng mở khác)", copies=1,
           note="Khoản 2 Điều 8 Nghị định 175/2024/NĐ-CP; mỗi tệp không quá 500 MB."),
    ]),
    "1.013237": ("dòng kinh nghiệm dài hơn 500 ký tự; đơn đề nghị bị đọc là có điều kiện (“trong trường hợp nộp trực tiếp”) "
                 "và giấy tờ cư trú của người nước ngoài là bắt buộc: ghi lại theo nội dung từng dòng", [
        _i("Đơn đề nghị cấp chứng chỉ hành nghề", form="Mẫu số 01 Phụ lục IV Nghị định 175/2024/NĐ-CP",
           note="Bản gốc khi nộp trực tiếp hoặc qua dịch vụ bưu chính; tệp tin chụp từ bản gốc khi nộp trực tuyến. Cá nhân "
           "bảo lưu quyền dự thi sát hạch: đơn, ảnh màu và thông báo kết quả đánh giá hồ sơ trước đó."),
        _i("Tệp tin ảnh màu cỡ 4x6 cm nền trắng chân dung của người đề nghị, chụp không quá 06 tháng"),
        _i("Bản sao có chứng thực (hoặc tệp tin bản sao điện tử được chứng thực) văn bằng do cơ sở đào tạo hợp pháp cấp phù "
           "hợp với lĩnh vực, hạng chứng chỉ hành nghề đề nghị cấp", original=0, copies=1,
           note="Văn bằng không ghi hoặc ghi không rõ chuyên ngành đào tạo: nộp kèm bảng điểm hoặc phụ lục văn bằng."),
        _i("Bản sao có chứng thực (hoặc tệp tin bản sao điện tử được chứng thực) giấy tờ chứng minh kinh nghiệm: quyết định "
           "phân công công việc của tổ chức, văn bản xác nhận của chủ đầu tư hoặc của cơ quan chuyên môn về xây dựng",
           original=0, copies=1, note="Cá nhân hành nghề độc lập: hợp đồng kinh tế và biên bản nghiệm thu các công việc đã "
           "kê khai."),
        _i("Bản sao có chứng thực chứng chỉ hành nghề đã được cấp trước đó", original=0, copies=1, mandatory=False,
           note="Nếu có; phù hợp với thời gian và phạm vi chứng minh kinh nghiệm."),
        _i("Bản sao có chứng thực giấy tờ về cư trú hoặc giấy phép lao động tại Việt Nam", original=0, copies=1,
           mandatory=False, note="Người nước ngoài, người Việt Nam định cư ở nước ngoài."),
    ]),
})


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


def checklist_text(record: dict) -> str:
    """The procedure's `thanh_phan_ho_so`, or — when the crawler cut that field at a mention of "Thành phần hồ sơ"
    inside the steps ("… theo quy định tại mục Thành phần hồ sơ"), so it holds no table — the table recovered from
    the page's `raw_text`: from the last "Thành phần hồ sơ" followed by a table header up to "Căn cứ pháp lý"."""
    text = record.get("thanh_phan_ho_so") or ""
    if "Tên giấy tờ" in text:
        return text
    raw = record.get("raw_text") or ""
    end = raw.find("Căn cứ pháp lý")
    part = raw[:end] if end >= 0 else raw
    start = part.rfind("Thành phần hồ sơ")
    if start < 0 or "Tên giấy tờ" not in part[start:]:
        return text
    return part[start + len("Thành phần hồ sơ"):]


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
            text = checklist_text(json.loads(git_show(repo, path)))
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
