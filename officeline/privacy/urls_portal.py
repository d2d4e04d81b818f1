from django.urls import path

from officeline.privacy import views_portal as views

app_name = "privacy_portal"
urlpatterns = [
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("account/marketing/", views.MarketingPreferencesView.as_view(), name="marketing"),
]
