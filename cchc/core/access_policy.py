"""Chính sách truy cập (access policy): for every URL name, who may open it and on which objects.

One table, read by the access test (`cchc/core/tests/test_access_matrix.py`), which walks the URL configuration,
requests every page and endpoint as every role on objects of the user's own unit, the parent unit, another unit,
another province, the citizen's own record and another citizen's, and compares the answer with this table.
A URL name without an entry fails the test (deny by default): a new page is not done until its rule is here.

The table documents the rules the views enforce (through `cchc.accounts.permissions` and each app's access
module); it grants nothing by itself.

Roles (the test has one user per role):
    anonymous; citizen; business (a citizen account with is_organisation); one_stop_officer (motcua, at the
    province service centre); specialist (chuyenvien, Sở Tư pháp); unit_head (giamdoc, Sở Tư pháp);
    par_office (noivu, Sở Nội vụ); province_leader (lanhdao, the province); superuser.

A `Rule`:
    roles   who may use the URL at all; everyone else is refused (anonymous: login page or 401/403; others 403/404).
    obj     the object the path names ("dossier", "unit", "feedback"...): the test fills the path parameters with
            objects of each relation; None for URLs without parameters.
    scope   which of those objects an allowed role may reach:
              None           any (the page lists or shows public data, or filters what it lists itself);
              "unit"         objects of a unit in the user's scope (`permissions.in_scope`: own unit for the
                             one-stop officer and the specialist, unit and units below for a unit head, the whole
                             province for the PAR office and province leaders, everything for the superuser);
              "owner"        the citizen's own record only (staff roles listed in `roles` still use "unit");
              "province"     objects of the user's own province (any staff role listed);
              "token"        anyone holding the secret token in the path (a wrong token is refused like an unknown one);
              "none"         no object at all can be reached (the object kind is not exposed to these roles).
    methods ("GET",) for pages and endpoints read by GET; ("POST",) for actions that only accept POST
            (GET is then 405 or a refusal for everyone) — anonymous and out-of-scope POSTs must be refused.
    query   query string the test adds to its GET (a page that needs a parameter to show something).
    needs   input the access test cannot produce (a signed payment answer, an OIDC code...): the allowed roles may
            then be answered 400/404, the others must still be refused.
    note    why, in a few words, when the rule is not obvious.
    empty_for  roles a list endpoint admits but shows nothing (citizens on staff lists): their JSON list must be empty.
    same_for_all  a public generated document (the OpenAPI schema, ~1 s each) that does not depend on the user:
            the test asks as anonymous, a citizen and the superuser only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ANONYMOUS = "anonymous"
CITIZEN = "citizen"
BUSINESS = "business"
OFFICER = "one_stop_officer"
SPECIALIST = "specialist"
UNIT_HEAD = "unit_head"
PAR_OFFICE = "par_office"
LEADER = "province_leader"
SUPERUSER = "superuser"

ROLES = (ANONYMOUS, CITIZEN, BUSINESS, OFFICER, SPECIALIST, UNIT_HEAD, PAR_OFFICE, LEADER, SUPERUSER)
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {ANONYMOUS}
CITIZENS = frozenset({CITIZEN, BUSINESS})
STAFF = frozenset({OFFICER, SPECIALIST, UNIT_HEAD, PAR_OFFICE, LEADER, SUPERUSER})
PROCESSING = frozenset({OFFICER, SPECIALIST, UNIT_HEAD, SUPERUSER})  # permissions "process"
MANAGING = frozenset({UNIT_HEAD, PAR_OFFICE, SUPERUSER})  # permissions "manage"
PAR = frozenset({PAR_OFFICE, SUPERUSER})  # permissions "appraise"
PROVINCE_VIEW = frozenset({PAR_OFFICE, LEADER, SUPERUSER})


@dataclass(frozen=True)
class Rule:
    roles: frozenset
    obj: str | None = None
    scope: str | None = None
    methods: tuple = ("GET",)
    query: str = ""
    note: str = ""
    citizen_scope: str | None = field(default=None)  # scope for citizen roles when it differs (e.g. "owner")
    needs: str = ""  # input the test cannot give: allowed roles may get 400/404
    empty_for: frozenset = frozenset()  # roles admitted to a list endpoint that must get an empty list
    same_for_all: bool = False  # a document that does not depend on who asks


def public(obj=None, scope=None, **kw) -> Rule:
    return Rule(EVERYONE, obj, scope, **kw)


def post(roles, obj=None, scope=None, **kw) -> Rule:
    return Rule(frozenset(roles), obj, scope, methods=("POST",), **kw)


def rule(roles, obj=None, scope=None, **kw) -> Rule:
    return Rule(frozenset(roles), obj, scope, **kw)


# Admin site (/quan-tri-he-thong/): one rule for all its URLs, checked on its index.
ADMIN = rule({SUPERUSER}, note="Django admin: is_staff superusers only")

POLICY: dict[str, Rule] = {}
HEAD766 = frozenset({UNIT_HEAD, PAR_OFFICE, LEADER, SUPERUSER})  # serviceindex.access.VIEW_ROLES
HAS_UNIT = "the superuser has no unit: pages that work on the user's own unit or province refuse it"

POLICY.update(
    {
        # core
        "home": public(),
        "path:favicon.ico": public(note="redirect to the static icon"),
        "login": public(),
        "logout": post(EVERYONE, note="logging out nobody is a no-op redirect"),
        "schema": public(note="OpenAPI schema (no data)", same_for_all=True),
        "api-docs": public(),
        # units
        "api-units": rule(
            SIGNED_IN, note="lists the units in the user's scope (citizens: none)", empty_for=CITIZENS
        ),
        "api-unit-detail": rule(STAFF, "unit", "unit"),
        "units:index": rule(STAFF),
        "units:targets": rule(STAFF),
        "units:detail": rule(STAFF, "unit", "unit"),
        "units:home_unit": rule(SIGNED_IN, note="the account's own place of residence (grants nothing)"),
        # accounts
        "api-me": rule(SIGNED_IN),
        "accounts:register": public(),
        "accounts:profile": rule(SIGNED_IN),
        # calendar
        "calendar-due": public(query="received=2026-03-02T09:00:00&days=3"),
        "path:api/v1/calendar/due/": public(query="received=2026-03-02T09:00:00&days=3"),
        "calendar-workdays": public(query="from=2026-03-01&to=2026-03-31"),
        "path:api/v1/calendar/workdays/": public(query="from=2026-03-01&to=2026-03-31"),
        "calendar:page": public(),
        "calendar:due": public(),
        # catalog
        "api-procedures": public(),
        "api-procedure-detail": public("procedure"),
        "catalog:search": public(),
        "catalog:detail": public("procedure"),
        "catalog:staff_list": rule(
            PROVINCE_VIEW, note="manage on the province (PAR office), leaders read only"
        ),
        "catalog:staff_publish": rule(PAR, note="manage on the province"),
        "catalog:staff_report": rule(PROVINCE_VIEW),
        "catalog:staff_report_xlsx": rule(PROVINCE_VIEW),
        "catalog:staff_procedure": rule(PROVINCE_VIEW, "procedure"),
        "catalog:staff_procedure_publish": rule(PAR, "procedure"),
        "catalog:staff_event": rule(PAR, "procedure"),
        "catalog:staff_checklist": rule(PAR, "procedure"),
        # dossiers (scope: the receiving or the handling unit)
        "api-dossier-list": rule(
            SIGNED_IN, note="filtered by scope: citizens get an empty list", empty_for=CITIZENS
        ),
        "api-dossier-statistics": rule(
            SIGNED_IN,
            query="date_from=2026-01-01&date_to=2026-12-31",
            empty_for=CITIZENS,
            note="figures of the user's scope: citizens get no rows",
        ),
        "api-dossier-detail": rule(STAFF, "dossier", "unit"),
        "api-dossier-transitions": post(PROCESSING, "dossier", "unit"),
        "api-dossier-documents": post(PROCESSING, "dossier", "unit"),
        "api-dossier-checklist": rule(SIGNED_IN, "procedure"),
        "api-public-dossier": public("dossier_public", "token", note="code + ?token= of the receipt"),
        "api-public-dossier-rating": post(EVERYONE, "dossier_public", "token"),
        "dossiers:desk": rule(STAFF),
        "dossiers:procedure_search": rule(STAFF),
        "dossiers:intake": rule(PROCESSING - {SUPERUSER}, "procedure", note=HAS_UNIT),
        "dossiers:list": rule(STAFF),
        "dossiers:detail": rule(STAFF, "dossier", "unit"),
        "dossiers:receipt": rule(STAFF, "dossier", "unit"),
        "dossiers:action": post(PROCESSING, "dossier_action", "unit"),
        "dossiers:handover_picker": rule(STAFF, "dossier", "unit"),
        "dossiers:issue_result": post(PROCESSING, "dossier", "unit"),
        "dossiers:result_download": rule(STAFF, "dossier_result", "unit"),
        "dossiers:pdf": rule(STAFF, "dossier_pdf", "unit"),
        "dossiers:document": rule(STAFF, "dossier_document", "unit"),
        "dossiers:register": rule(STAFF),
        "dossiers:dashboard": rule(STAFF),
        "dossiers:apologies": rule(STAFF),
        "dossiers:portal": public(),
        "dossiers:portal_file": rule(SIGNED_IN, "province_procedure"),
        "dossiers:portal_place": public("province_procedure"),
        "dossiers:portal_mine": rule(SIGNED_IN),
        "dossiers:portal_dossier": rule(CITIZENS, "dossier", "owner"),
        "dossiers:portal_result": rule(CITIZENS, "dossier_result", "owner"),
        "dossiers:portal_receipt": rule(CITIZENS, "dossier", "owner"),
        "dossiers:lookup": public(),
        "dossiers:rate": post(EVERYONE),
        "dossiers:lookup_result": public(needs="an issued e-result and its lookup token (?code=&token=)"),
        "dossiers:verify": public(),
        "dossiers:public_apologies": public(),
        "dossiers:public_transparency": public(),
        "api-public-transparency": public(query="tinh=T99", note="the published figures of /cong-khai/"),
        # indices
        "api-indices-criteria-sets": rule(
            SIGNED_IN,
            note="criteria_sets_visible: national sets and the scope's own; citizens none",
            empty_for=CITIZENS,
        ),
        "api-indices-criteria-sets-import": post(PAR),
        "api-indices-criteria-set": rule(STAFF, "criteria_set"),
        "api-indices-criteria-set-copy": post(PAR, "criteria_set"),
        "api-indices-criteria-set-export": rule(STAFF, "criteria_set"),
        "api-indices-cycles": rule(
            SIGNED_IN, note="cycles_visible: citizens get an empty list", empty_for=CITIZENS
        ),
        "api-indices-cycle": rule(STAFF, "cycle", "unit"),
        "api-indices-cycle-transition": post(PAR, "cycle", "unit"),
        "api-indices-assessments": rule(STAFF, "cycle", "unit"),
        "api-indices-self-assess": post(MANAGING, "cycle", "unit"),
        "api-indices-evidence": post(MANAGING, "cycle", "unit"),
        "api-indices-appraise": post(PAR, "cycle", "unit"),
        "api-indices-explain": post(MANAGING, "cycle", "unit"),
        "api-indices-data-import": post(PAR, "cycle", "unit"),
        "api-indices-survey-scores": post(PAR, "cycle", "unit"),
        "api-indices-results": rule(STAFF, "cycle", "unit"),
        "api-indices-group-figures": rule(STAFF, "cycle", "unit"),
        "api-indices-lost-points": rule(STAFF, "cycle", "unit"),
        "api-indices-path-to-target": post(STAFF, "cycle", "unit"),
        "api-indices-national-lost": rule(STAFF, "national_cycle", "unit"),
        "api-indices-national-lost-assign": post(PAR, "national_cycle", "unit"),
        "api-indices-national-lost-assign-default": post(PAR, "national_cycle", "unit"),
        "api-indices-lost-worklist": rule(
            SIGNED_IN, note="assignments of the user's units: citizens get an empty list", empty_for=CITIZENS
        ),
        "api-indices-lost-explain": post(STAFF, "lost_assignment", "unit"),
        "api-indices-lost-review": post(PAR, "lost_assignment", "unit"),
        "api-indices-lost-defaults": rule(
            SIGNED_IN, note="the default responsible units per criterion (reference data)"
        ),
        "indices:home": rule(STAFF),
        "indices:import": rule(PAR),
        "indices:cycle_new": rule({PAR_OFFICE}, note=HAS_UNIT),
        "indices:cycle": rule(STAFF, "cycle", "unit"),
        "indices:transition": post(PAR, "cycle", "unit"),
        "indices:sheet": rule(STAFF, "cycle_unit", "unit"),
        "indices:sheet_save": post(MANAGING, "cycle_unit", "unit"),
        "indices:results": rule(STAFF, "cycle", "unit"),
        "indices:evidence": rule(STAFF, "evidence", "unit"),
        "indices:lost": rule(STAFF, "cycle", "unit"),
        "indices:target": rule(STAFF, "cycle", "unit"),
        "indices:lost_national": rule(STAFF, "national_cycle", "unit"),
        "indices:lost_assign": post(PAR, "national_cycle", "unit"),
        "indices:lost_worklist": rule(STAFF),
        "indices:lost_item": rule(STAFF, "lost_assignment", "unit"),
        # surveys (SIPAS, national results)
        "api-national-results": rule(STAFF),
        "api-national-results-import": post(PAR),
        "api-sipas-surveys": rule(STAFF),
        "api-sipas-results": rule(STAFF, "survey", "unit"),
        "api-sipas-paper-response": post(PROCESSING, "survey", "unit"),
        "api-sipas-public-response": post(EVERYONE, "survey_token", "token"),
        "surveys:home": rule(STAFF),
        "surveys:open": rule({PAR_OFFICE}, note=HAS_UNIT),
        "surveys:questionnaire": rule(STAFF, "questionnaire"),
        "surveys:survey": rule(STAFF, "survey", "unit"),
        "surveys:paper": rule(PROCESSING | PAR, "survey", "unit"),
        "surveys:invite": post(PROCESSING, "survey", "unit"),
        "surveys:close": post(PAR, "survey", "unit"),
        "surveys:push": post(PAR, "survey", "unit"),
        "surveys:sample": post(PAR, "survey", "unit"),
        "surveys:public": public("survey_token", "token"),
        # serviceindex (766): serviceindex.access
        "api-serviceindex": rule(HEAD766, query="province=T99"),
        "api-serviceindex-drilldown": rule(HEAD766, query="province=T99&indicator=2.1"),
        "api-serviceindex-warnings": rule(HEAD766, query="province=T99"),
        "api-serviceindex-figures": post(PAR),
        "api-serviceindex-sets": rule(HEAD766),
        "api-serviceindex-set-revise": post(PAR, "indicator_set"),
        "serviceindex:index": rule(HEAD766, query="tinh=T99"),
        "serviceindex:warnings": rule(HEAD766, query="tinh=T99"),
        "serviceindex:warning_panel": rule(
            SIGNED_IN, note="htmx fragment: empty for roles without 766 access"
        ),
        "serviceindex:indicator": rule(HEAD766, "indicator"),
        # integrations (payment, postal)
        "integrations:my_fees": rule(SIGNED_IN),
        "integrations:pay": post(CITIZENS, "dossier", "owner"),
        "integrations:payment_return": public(needs="a signed answer of the payment gateway"),
        "integrations:payment_ipn": public(needs="a signed notification of the payment gateway"),
        "integrations:receipt_pdf": rule(
            SIGNED_IN,
            "payment",
            "unit",
            citizen_scope="owner",
            note="the payer, or staff whose scope holds dossier.unit",
        ),
        "integrations:fake_gateway": public(needs="a payment request signed by the platform"),
        "integrations:payment_reconcile": rule(
            {OFFICER, UNIT_HEAD, PAR_OFFICE, SUPERUSER},
            note="payments of the user's unit scope queried at the gateway (querydr); leaders use the reports",
        ),
        "integrations:payment_refund": rule(
            {OFFICER, UNIT_HEAD, PAR_OFFICE, SUPERUSER},
            "payment",
            "unit",
            note="staff whose scope holds dossier.unit; only the PAR office and one-stop officers may refund (POST)",
        ),
        "integrations:esms_callback": public(
            needs="the secret callback token of the SMS provider (?token=): without it every caller gets 403",
            note="delivery report of eSMS, authenticated by the token, not by a login",
        ),
        "integrations:zalo_webhook": post(
            EVERYONE,
            needs="an X-ZEvent-Signature of the Zalo OA",
            note="webhook authenticated by its signature",
        ),
        "integrations:notice_requeue": post(
            PROCESSING,
            "notice_delivery",
            "unit",
            note="Gửi lại a failed notice: staff who may process the dossier (receiving or handling unit)",
        ),
        "integrations:postal_mine": rule(SIGNED_IN),
        "integrations:postal_staff": rule(STAFF),
        "integrations:postal_handover": post(PROCESSING),
        "integrations:postal_track": rule(
            SIGNED_IN,
            "waybill",
            "unit",
            citizen_scope="owner",
            note="the applicant, or staff whose scope holds dossier.unit",
        ),
        # inspections
        "api-inspection-plans": rule(STAFF),
        "api-inspections": rule(STAFF),
        "api-inspection-recommendations": rule(STAFF),
        "api-inspection-follow-ups": rule(STAFF, "recommendation", "unit"),
        "api-inspection": rule(STAFF, "inspection", "unit"),
        "api-inspection-conducted": post(PAR, "inspection", "unit"),
        "api-inspection-close": post(PAR, "inspection", "unit"),
        "api-inspection-findings": rule(STAFF, "inspection", "unit"),
        "api-inspection-recommendations-of": rule(STAFF, "inspection", "unit"),
        "inspections:home": rule(STAFF),
        "inspections:overdue": rule(
            {UNIT_HEAD, PAR_OFFICE, SUPERUSER}, note="selectors.can_see_overdue_list"
        ),
        "inspections:follow_up": rule(
            {SPECIALIST, UNIT_HEAD, SUPERUSER},
            "recommendation",
            "unit",
            note="services.can_follow_up: the responsible unit's head or specialists",
        ),
        "inspections:detail": rule(STAFF, "inspection", "unit"),
        "inspections:close": post(PAR, "inspection", "unit"),
        "inspections:inspection_new": rule(
            PAR, "inspection_plan", "unit", note="appraise on the plan's province"
        ),
        "inspections:conducted": post(PAR, "inspection", "unit"),
        "inspections:finding_new": post(PAR, "inspection", "unit"),
        "inspections:finding_action": post(PAR, "inspection_finding", "unit"),
        "inspections:recommendation_new": post(PAR, "inspection", "unit"),
        # reports (reports.access)
        "reports:index": rule(PROVINCE_VIEW, query="tinh=T99"),
        "reports:preview": rule(PROVINCE_VIEW, query="tinh=T99"),
        "reports:download": rule(PROVINCE_VIEW, query="tinh=T99&dinh_dang=docx"),
        # commendations
        "api-commendation-rules": rule(STAFF),
        "api-commendation-proposals": rule(
            STAFF, note="proposals_visible: drafts only for the PAR office and leaders"
        ),
        "api-commendation-compute": post(PAR),
        "api-commendation-proposal": rule(
            PROVINCE_VIEW,
            "proposal",
            "province",
            note="a draft list; other staff of the province read decided lists",
        ),
        "api-commendation-candidate-add": post(PAR, "proposal", "province"),
        "api-commendation-decide": post(PAR, "proposal", "province"),
        "api-commendation-candidate-remove": post(PAR, "candidate", "province"),
        "commendations:home": rule(
            STAFF, note="drafts only for the PAR office and leaders (no read leak of candidates)"
        ),
        "commendations:rule_add": post(PAR),
        "commendations:compute": post(PAR),
        "commendations:candidate_add": post(PAR, "proposal", "province"),
        "commendations:decide": post(PAR, "proposal", "province"),
        "commendations:candidate_remove": post(PAR, "candidate", "province"),
        # identity (VNeID login and its test double)
        "identity:start": public(),
        "identity:callback": public(needs="an authorisation code from the identity provider"),
        "identity:fake-discovery": public(),
        "identity:fake-jwks": public(),
        "identity:fake-authorize": public(needs="an authorisation request signed by the platform"),
        "identity:fake-token": post(EVERYONE),
        # portalsync
        "portalsync:reconcile": rule({PAR_OFFICE}, note=HAS_UNIT),
        "portalsync:requeue": post(PAR),
        # feedback (feedback.access)
        "api-feedback": rule(SIGNED_IN, note="filtered: citizens see their own"),
        "api-feedback-public": public(),
        "api-feedback-detail": rule(SIGNED_IN, "feedback", "unit", citizen_scope="owner"),
        "api-feedback-classify": post(PAR, "feedback", "unit"),
        "api-feedback-route": post(PAR, "feedback", "unit"),
        "api-feedback-answer": post(STAFF, "feedback", "unit"),
        "api-feedback-reject": post(PAR, "feedback", "unit"),
        "api-feedback-publish": post(MANAGING, "feedback", "unit"),
        "api-dialogues": rule(
            SIGNED_IN, note="filtered by scope: citizens get an empty list", empty_for=CITIZENS
        ),
        "api-dialogue-detail": rule(STAFF, "dialogue", "unit"),
        "feedback:inbox": rule(SIGNED_IN, note="citizens are sent to their own list (phan-anh/cua-toi/)"),
        "feedback:file": rule(CITIZENS, note="staff enter feedback received at the desk through the API"),
        "feedback:mine": rule(SIGNED_IN),
        "feedback:public": public(),
        "feedback:detail": rule(SIGNED_IN, "feedback", "unit", citizen_scope="owner"),
        "feedback:act": post(STAFF, "feedback", "unit"),
        "feedback:dialogues": rule(STAFF),
        "feedback:dialogue_create": rule(
            STAFF, note="the form lists only the units the user may manage dialogues for"
        ),
        "feedback:dialogue": rule(STAFF, "dialogue", "unit"),
        # programme (kế hoạch CCHC): programme.selectors.plans_visible / tasks_visible — the province plan is read by
        # every official of the province (it assigns their tasks)
        "api-plans": rule(SIGNED_IN, note="plans_visible: citizens get an empty list", empty_for=CITIZENS),
        "api-plan": rule(STAFF, "plan", "province"),
        "api-plan-issue": post(MANAGING, "plan", "unit"),
        "api-plan-tasks": post(MANAGING, "plan", "unit"),
        "api-plan-task": rule(STAFF, "plan_task", "province"),
        "api-plan-task-status": post(STAFF, "plan_task", "unit"),
        "api-plan-task-progress": rule(STAFF, "plan_task", "province"),
        "programme:list": rule(STAFF),
        "programme:mine": rule(STAFF),
        "programme:export": rule(STAFF),
        "programme:plan": rule(STAFF, "plan", "province"),
        "programme:task_edit": rule(
            PAR, "plan_task", "province", note="services.can_edit_plan: the province plan's editors"
        ),
        "programme:task": rule(STAFF, "plan_task", "province"),
        "programme:evidence": rule(
            STAFF, "progress_evidence", "province", note="the evidence of a task the user may read"
        ),
        # counters (lấy số)
        "api-queue-centres": public(),
        "api-queue-issue": post(EVERYONE, "centre"),
        "api-queue-slots": public("centre"),
        "api-queue-board": public("centre"),
        "api-queue-stats": rule(STAFF, "centre", "unit"),
        "api-queue-call-next": post(PROCESSING, "counter", "unit"),
        "api-queue-ticket-action": post(PROCESSING, "ticket", "unit"),
        "counters:centres": public(),
        "counters:kiosk": public("centre"),
        "counters:kiosk_ticket": public(
            "ticket", note="today's kiosk ticket of that centre (printed number)"
        ),
        "counters:board": public("centre"),
        "counters:board_frame": public("centre"),
        "counters:online": rule(SIGNED_IN),
        "counters:online_ticket": rule(SIGNED_IN, "online_ticket", "owner", note="the citizen who booked it"),
        "counters:officer_home": rule(
            {OFFICER, PAR_OFFICE, LEADER, SUPERUSER}, note="officers of a counter, or those who see a centre"
        ),
        "counters:officer": rule(PROCESSING, "counter", "unit"),
        "counters:stats": rule(STAFF, "centre", "unit"),
    }
)
