"""Links to the national lost-points work (giải trình điểm bị trừ) for the index home page."""

from django import template

register = template.Library()


@register.simple_tag
def lost_point_links(user) -> dict:
    """{"open": n waiting for the user's unit, "assigned": any row for it, "cycles": national cycles the user follows}."""
    from cchc.indices import lost_selectors as ls
    from cchc.indices.models import LostPointAssignment

    if user is None or not getattr(user, "is_authenticated", False):
        return {"open": 0, "assigned": False, "cycles": []}
    home = getattr(user, "unit_id", None)
    assigned = bool(home) and LostPointAssignment.objects.filter(department_id=home).exists()
    return {"open": ls.worklist_count(user), "assigned": assigned, "cycles": list(ls.national_cycles_for(user)[:5])}
