"""The main menu (điều hướng chính): one list of entries, who sees each, and which one is the current page.

Staff see their entries in a few groups (Một cửa, Chỉ số, Chương trình CCHC, Tra cứu) so that the bar fits a
1366 px screen and a phone; citizens and anonymous visitors see a short flat list. The current page is the
visible entry whose path is the longest prefix of the request path (so /phan-anh/cong-khai/ marks "Trả lời
phản ánh", not "Phản ánh, kiến nghị"); an entry may claim extra prefixes (the dialogue pages belong to feedback).
Apps add no template code: a new page gets one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

ONE_STOP, UNIT_HEAD, PAR_OFFICE, LEADER = "one_stop_officer", "unit_head", "par_office", "province_leader"


def _role(*roles: str) -> Callable:
    return lambda user: user.is_superuser or getattr(user, "role", None) in roles


def _staff(user) -> bool:
    return bool(user.is_authenticated and (getattr(user, "is_staff_member", False) or user.is_superuser))


def _citizen(user) -> bool:
    return bool(user.is_authenticated and getattr(user, "role", None) == "citizen")


def _not_one_stop(user) -> bool:
    return user.is_superuser or getattr(user, "role", None) != ONE_STOP


def _counter_staff(user) -> bool:
    unit = getattr(user, "unit", None) if getattr(user, "unit_id", None) else None
    return user.is_superuser or getattr(user, "role", None) == ONE_STOP or getattr(unit, "kind", "") == "service_centre"


def _always(user) -> bool:
    return True


@dataclass(frozen=True)
class Entry:
    label: str
    href: str
    show: Callable = _always
    also: tuple[str, ...] = field(default=())  # further path prefixes that belong to this entry

    def prefixes(self) -> tuple[str, ...]:
        return (self.href, *self.also)


@dataclass(frozen=True)
class Group:
    label: str
    entries: tuple[Entry, ...]


# Staff menu: a direct link where a group would hold one entry.
STAFF_MENU: tuple[Entry | Group, ...] = (
    Group("Một cửa", (
        Entry("Hồ sơ một cửa", "/mot-cua/"),
        Entry("Quầy lấy số", "/quay/", _counter_staff),
        Entry("Trả kết quả qua bưu chính", "/mot-cua/buu-gui/"),
        Entry("Đồng bộ Cổng DVC quốc gia", "/dong-bo-cong-dvc/", _role(PAR_OFFICE, "system_admin")),
    )),
    Group("Chỉ số", (
        Entry("Chỉ số CCHC", "/chi-so/"),
        Entry("Chỉ số 766", "/chi-so-766/", _role(PAR_OFFICE, LEADER, UNIT_HEAD)),
        Entry("Khảo sát SIPAS", "/chi-so/sipas/"),
    )),
    Group("Chương trình CCHC", (
        Entry("Kế hoạch CCHC", "/ke-hoach-cchc/"),
        Entry("Kiểm tra CCHC", "/kiem-tra/", _not_one_stop),
        Entry("Phản ánh, kiến nghị", "/phan-anh/", also=("/doi-thoai/",)),
        Entry("Báo cáo CCHC", "/bao-cao-cchc/", _role(PAR_OFFICE, LEADER)),
        Entry("Khen thưởng", "/khen-thuong/", _role(PAR_OFFICE, LEADER, UNIT_HEAD)),
    )),
    Entry("Đơn vị", "/don-vi/"),
    Group("Tra cứu", (
        Entry("Tra cứu thủ tục", "/thu-tuc/"),
        Entry("Tra cứu hồ sơ", "/tra-cuu-ho-so/"),
        Entry("Dịch vụ công", "/dich-vu-cong/"),
        Entry("Công khai kết quả", "/cong-khai/", also=("/cong-khai-xin-loi/",)),
        Entry("Trả lời phản ánh", "/phan-anh/cong-khai/"),
        Entry("Lịch làm việc", "/lich/"),
    )),
)

PUBLIC_MENU: tuple[Entry, ...] = (
    Entry("Tra cứu thủ tục", "/thu-tuc/"),
    Entry("Tra cứu hồ sơ", "/tra-cuu-ho-so/"),
    Entry("Dịch vụ công", "/dich-vu-cong/"),
    Entry("Hồ sơ của tôi", "/dich-vu-cong/ho-so-cua-toi/", _citizen),
    Entry("Phí, lệ phí", "/dich-vu-cong/phi-le-phi/", _citizen),
    Entry("Bưu gửi", "/dich-vu-cong/buu-gui/", _citizen),
    Entry("Phản ánh của tôi", "/phan-anh/cua-toi/", _citizen, also=("/phan-anh/gui/",)),
    Entry("Trả lời phản ánh", "/phan-anh/cong-khai/"),
    Entry("Công khai kết quả", "/cong-khai/", also=("/cong-khai-xin-loi/",)),
    Entry("Lịch làm việc", "/lich/"),
)


def _current_href(entries: list[Entry], path: str) -> str | None:
    """The href of the visible entry with the longest prefix of `path` (None when no entry matches)."""
    best, best_len = None, -1
    for entry in entries:
        for prefix in entry.prefixes():
            if path.startswith(prefix) and len(prefix) > best_len:
                best, best_len = entry.href, len(prefix)
    return best


def menu_for(user, path: str) -> list[dict]:
    """The menu as the template draws it: links {label, href, current} or groups {label, entries, current}
    (a key named "items" would meet dict.items in the template language)."""
    items: list[Entry | Group]
    if _staff(user):
        items = []
        for item in STAFF_MENU:
            if isinstance(item, Group):
                visible = tuple(e for e in item.entries if e.show(user))
                if len(visible) == 1:
                    items.append(visible[0])
                elif visible:
                    items.append(Group(item.label, visible))
            elif item.show(user):
                items.append(item)
    else:
        items = [e for e in PUBLIC_MENU if e.show(user)]
    flat = [e for i in items for e in (i.entries if isinstance(i, Group) else (i,))]
    current = _current_href(flat, path)
    out = []
    for item in items:
        if isinstance(item, Group):
            rows = [{"label": e.label, "href": e.href, "current": e.href == current} for e in item.entries]
            out.append({"label": item.label, "group": True, "entries": rows, "current": any(r["current"] for r in rows)})
        else:
            out.append({"label": item.label, "group": False, "href": item.href, "current": item.href == current})
    return out
