from django.urls import path

from officeline.privacy.views import cookies as views_cookies
from officeline.privacy.views import portal as views

app_name = "privacy_portal"
urlpatterns = [
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("cookies/", views_cookies.CookieSettingsView.as_view(), name="cookies"),
    path("account/marketing/", views.MarketingPreferencesView.as_view(), name="marketing"),
    path("privacy/changes/<int:pk>/", views.PolicyChangeView.as_view(), name="policy_opt_out"),
    path("account/me/", views.OwnDetailsView.as_view(), name="own_details"),
    path("privacy/requests/", views.PrivacyRequestsView.as_view(), name="requests"),
    path("privacy/export/<str:token>/", views.ExportDownloadView.as_view(), name="export"),
]
