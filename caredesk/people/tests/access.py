"""Access rules of the staff workspace routes and the administration pages of branches."""

PUBLIC = "<public>"

HTML_ACCESS = {
    "people:shell": "view_presence",
    "people:attendance": "attendance",
    "people:clock": "attendance",
    "people:overtime_request": "attendance",
    "people:team": "approve_overtime",
    "people:overtime_decide": "approve_overtime",
    "people:shift_close": "approve_overtime",
    "people:floor": "view_presence",
    "people:visit_claim": "host_visitor",
    "people:visit_release": "host_visitor",
    "people:payslips": "view_own_payslips",
    "people:payslip_issue": "manage_payslips",
    "people:payslip_pdf": "view_own_payslips",
    "people:referrals": "view_referrals",
    "people:referral": "view_referrals",
    "people:referral_follow": PUBLIC,
    "people:escalations": "manage_staff",
    "branches:list": "manage_staff",
    "branches:edit": "manage_staff",
    "staff:settings": "manage_staff",
    "staff:password_reset": PUBLIC,
}

API_ACCESS = {
    "caredesk_people_api_clock_in": "attendance",
    "caredesk_people_api_clock_out": "attendance",
    "caredesk_people_api_attendance": "attendance",
    "caredesk_people_api_overtime_create": "attendance",
    "caredesk_people_api_overtime_pending": "approve_overtime",
    "caredesk_people_api_overtime_decision": "approve_overtime",
    "caredesk_people_api_presence": "view_presence",
    "caredesk_people_api_visits": "view_presence",
    "caredesk_people_api_visit_claim": "host_visitor",
    "caredesk_people_api_visit_release": "host_visitor",
    "caredesk_people_api_my_payslips": "view_own_payslips",
    "caredesk_people_api_payslip_detail": "view_own_payslips",
    "caredesk_people_api_payslip_create": "manage_payslips",
    "caredesk_people_api_referrals": "view_referrals",
    "caredesk_people_api_referral_create": "manage_referrals",
    "caredesk_branches_api_branches": "view_dashboard",
    "caredesk_branches_api_branch_create": "manage_staff",
    "caredesk_branches_api_zone_create": "manage_staff",
    "caredesk_staff_api_staff_list": "manage_staff",
    "caredesk_staff_api_staff_add": "manage_staff",
    "caredesk_staff_api_staff_patch": "manage_staff",
}

SAMPLE_KWARGS = {
    "overtime_id": lambda: 999999,
    "shift_id": lambda: 999999,
    "visit_id": lambda: 999999,
    "payslip_id": lambda: 999999,
    "uidb64": lambda: "MQ",
}
