from django.urls import path

from officeline.accounts.views import console as views

app_name = "accounts_console"
urlpatterns = [
    path("staff/", views.StaffView.as_view(), name="staff"),
]
