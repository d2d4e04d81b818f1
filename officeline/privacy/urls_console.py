from django.urls import path

from officeline.privacy.views import console as views

app_name = "privacy_console"
urlpatterns = [
    path("privacy/register/", views.RegisterView.as_view(), name="register"),
    path("privacy/access-log/", views.AccessLogView.as_view(), name="access_log"),
    path("privacy/disclosures/", views.DisclosuresView.as_view(), name="disclosures"),
    path("privacy/policy-opt-outs/", views.PolicyOptOutsView.as_view(), name="policy_opt_outs"),
    path(
        "privacy/disclosures/new/",
        views.RecordDisclosureView.as_view(),
        name="record_disclosure",
    ),
    path("privacy/legal-holds/", views.LegalHoldsView.as_view(), name="legal_holds"),
    path("privacy/requests/", views.PrivacyRequestsView.as_view(), name="requests"),
    path("privacy/requests/<int:pk>/", views.PrivacyRequestView.as_view(), name="request"),
    path(
        "privacy/requests/<int:pk>/<str:action>/",
        views.PrivacyRequestActionView.as_view(),
        name="request_action",
    ),
    path(
        "customers/<int:customer_id>/privacy-requests/new/",
        views.RecordPrivacyRequestView.as_view(),
        name="record_request",
    ),
]
