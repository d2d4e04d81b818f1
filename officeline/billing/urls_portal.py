from django.urls import path

from officeline.billing.views import portal as views

app_name = "billing_portal"
urlpatterns = [
    path("account/cancel/", views.CancelView.as_view(), name="cancel"),
    path("account/card/", views.CardView.as_view(), name="card"),
    path("account/card/start/", views.CardStartView.as_view(), name="card_start"),
    path("account/card/return/", views.CardReturnView.as_view(), name="card_return"),
    path("account/card/stop/", views.StopChargingView.as_view(), name="stop_charging"),
    path("invoices/", views.InvoiceListView.as_view(), name="invoices"),
    path("invoices/<str:number>/", views.InvoiceDetailView.as_view(), name="invoice"),
    path("invoices/<str:number>/pdf/", views.InvoicePDFView.as_view(), name="invoice_pdf"),
    path(
        "invoices/<str:number>/statement.pdf",
        views.InvoicePDFView.as_view(statement=True),
        name="statement_pdf",
    ),
]
