from django.urls import path

from officeline.lines import views_portal as views

app_name = "lines_portal"
urlpatterns = [
    path("lines/", views.LineListView.as_view(), name="list"),
    path("lines/new/", views.RequestLineView.as_view(), name="request"),
    path("lines/<int:line_id>/devices/new/", views.AddDeviceView.as_view(), name="add_device"),
    path("lines/<int:line_id>/abroad/", views.AbroadView.as_view(), name="abroad"),
    path(
        "lines/<int:line_id>/location/confirm/",
        views.ConfirmLocationView.as_view(),
        name="confirm_location",
    ),
    path("devices/<int:device_id>/report/", views.ReportDeviceView.as_view(), name="report_device"),
]
