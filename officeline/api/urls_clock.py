from django.urls import path

from officeline.api import clock as api

app_name = "clock_api"
urlpatterns = [
    path("clock/", api.ClockView.as_view(), name="clock"),
    path("clock/advance/", api.AdvanceClockView.as_view(), name="advance"),
]
