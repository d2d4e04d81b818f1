from django.urls import path

from officeline.accounts.api import views as api

app_name = "accounts_api"
urlpatterns = [
    path("me/", api.MeView.as_view(), name="me"),
    path("account/", api.AccountView.as_view(), name="account"),
    path("tokens/", api.TokenView.as_view(), name="tokens"),
    path("tokens/<str:token_id>/", api.TokenDetailView.as_view(), name="token"),
    path("timeline/", api.TimelineView.as_view(), name="timeline"),
]
