from django.urls import path

from caredesk.billing import views

app_name = "billing"

urlpatterns = [
    path("payments/", views.payments, name="payments"),
    path("payments.csv", views.payments_csv, name="payments_csv"),
    path("payments/<int:payment_id>/record/", views.record_report, name="record_report"),
    path("invoices/<str:invoice>.pdf", views.invoice_pdf_view, name="invoice_pdf"),
    path("invoices/<str:invoice>/", views.invoice_detail, name="invoice"),
    path("invoices/<str:invoice>/email/", views.invoice_email, name="invoice_email"),
    path("orders/<str:number>/refund/", views.refund, name="refund"),
    path("refunds/<int:refund_id>/reverse/", views.refund_reverse, name="refund_reverse"),
    path("quotes/new/", views.quote_new, name="quote_new"),
    path("quotes/<str:quote>.pdf", views.quote_pdf_view, name="quote_pdf"),
    path("quotes/<str:quote>/", views.quote_detail, name="quote"),
    path("quotes/<str:quote>/convert/", views.quote_convert, name="quote_convert"),
    path("quotes/<str:quote>/email/", views.quote_email, name="quote_email"),
    path("returns/", views.returns, name="returns"),
    path("returns/<str:ret>/", views.return_detail, name="return"),
    path("returns/<str:ret>/move/", views.return_move, name="return_move"),
    path("orders/<str:number>/returns/new/", views.return_new, name="return_new"),
]
