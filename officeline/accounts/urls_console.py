from django.urls import path

from officeline.accounts import views_console as views

app_name = "accounts_console"
urlpatterns = [
    path("staff/", views.StaffView.as_view(), name="staff"),
]
