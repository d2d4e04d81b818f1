from django.urls import path

from officeline.privacy import api

app_name = "privacy_api"
urlpatterns = [
    path("privacy-requests/", api.PrivacyRequestsView.as_view(), name="requests"),
    path("privacy-requests/<str:reference>/", api.PrivacyRequestView.as_view(), name="request"),
]
