from django.urls import path

from officeline.accounts.api import views

app_name = "accounts_api"
urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("account/", views.AccountView.as_view(), name="account"),
    path("tokens/", views.TokenView.as_view(), name="tokens"),
    path("tokens/<str:token_id>/", views.TokenDetailView.as_view(), name="token"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
]
