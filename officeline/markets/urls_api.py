from django.urls import path

from officeline.markets import api

app_name = "markets_api"
urlpatterns = [path("deadlines/", api.DeadlineView.as_view(), name="deadline")]
