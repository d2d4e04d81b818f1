from django.urls import path

from officeline.usage import views_portal as views

app_name = "usage_portal"
urlpatterns = [
    path("calls/", views.CallListView.as_view(), name="calls"),
]
