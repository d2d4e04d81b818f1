from django.urls import path

from officeline.usage import views_console as views

app_name = "usage_console"
urlpatterns = [
    path(
        "customers/<int:customer_id>/calls/",
        views.CustomerCallsView.as_view(),
        name="customer_calls",
    ),
]
