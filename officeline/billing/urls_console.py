from django.urls import path

from officeline.billing.views import console as views

app_name = "billing_console"
urlpatterns = [
    path("prices/", views.PriceListsView.as_view(), name="prices"),
    path(
        "customers/<int:customer_id>/invoices/",
        views.CustomerInvoicesView.as_view(),
        name="customer_invoices",
    ),
    path(
        "customers/<int:customer_id>/terminate/",
        views.TerminateView.as_view(),
        name="terminate",
    ),
    path(
        "customers/<int:customer_id>/third-party-charges/",
        views.ThirdPartyChargesView.as_view(),
        name="third_party_charges",
    ),
    path(
        "customers/<int:customer_id>/line-plans/",
        views.LinePlansView.as_view(),
        name="line_plans",
    ),
    path("invoices/<int:invoice_id>/", views.InvoiceView.as_view(), name="invoice"),
    path("invoices/<int:invoice_id>/pdf/", views.InvoicePDFView.as_view(), name="invoice_pdf"),
]
