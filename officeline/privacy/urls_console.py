from django.urls import path

from officeline.privacy import views_console as views

app_name = "privacy_console"
urlpatterns = [
    path("privacy/register/", views.RegisterView.as_view(), name="register"),
    path("privacy/access-log/", views.AccessLogView.as_view(), name="access_log"),
    path("privacy/disclosures/", views.DisclosuresView.as_view(), name="disclosures"),
    path(
        "privacy/disclosures/new/",
        views.RecordDisclosureView.as_view(),
        name="record_disclosure",
    ),
    path("privacy/legal-holds/", views.LegalHoldsView.as_view(), name="legal_holds"),
]
