from django.urls import path

from officeline.billing import api

app_name = "billing_api"
urlpatterns = [
    path("invoices/", api.InvoicesView.as_view(), name="invoices"),
    path("invoices/<str:number>/", api.InvoiceDetailView.as_view(), name="invoice"),
    path("invoices/<str:number>/pdf/", api.InvoicePDFView.as_view(), name="invoice_pdf"),
    path(
        "invoices/<str:number>/statement/",
        api.StatementPDFView.as_view(),
        name="statement_pdf",
    ),
]
