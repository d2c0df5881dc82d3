from django.urls import path

from caredesk.people import views

app_name = "people"

urlpatterns = [
    path("people/shell/", views.shell, name="shell"),
    path("people/attendance/", views.attendance, name="attendance"),
    path("people/attendance/clock/", views.clock, name="clock"),
    path("people/overtime/", views.overtime_request, name="overtime_request"),
    path("people/team/", views.team, name="team"),
    path(
        "people/overtime/<int:overtime_id>/decision/",
        views.overtime_decide,
        name="overtime_decide",
    ),
    path("people/shifts/<int:shift_id>/close/", views.shift_close, name="shift_close"),
    path("people/floor/", views.floor, name="floor"),
    path("people/showroom/claim/", views.visit_claim, name="visit_claim"),
    path("people/showroom/<int:visit_id>/release/", views.visit_release, name="visit_release"),
    path("people/payslips/", views.payslips, name="payslips"),
    path("people/payslips/issue/", views.payslip_issue, name="payslip_issue"),
    path("people/payslips/<int:payslip_id>.pdf", views.payslip_pdf, name="payslip_pdf"),
    path("people/referrals/", views.referrals, name="referrals"),
    path("people/referrals/<str:code>/", views.referral, name="referral"),
    path("r/<str:code>", views.referral_follow, name="referral_follow"),
    path("admin/escalations/", views.escalations, name="escalations"),
]
