from django.urls import path

from officeline.lines.views import portal as views
from officeline.lines.views import porting as views_porting

app_name = "lines_portal"
urlpatterns = [
    path("lines/", views.LineListView.as_view(), name="list"),
    path("lines/new/", views.RequestLineView.as_view(), name="request"),
    path("lines/<int:line_id>/devices/new/", views.AddDeviceView.as_view(), name="add_device"),
    path("lines/<int:line_id>/abroad/", views.AbroadView.as_view(), name="abroad"),
    path("lines/<int:line_id>/barring/", views.CallBarringView.as_view(), name="barring"),
    path(
        "lines/<int:line_id>/location/confirm/",
        views.ConfirmLocationView.as_view(),
        name="confirm_location",
    ),
    path("lines/replacements/new/", views.ReplacementView.as_view(), name="replacement"),
    path("devices/<int:device_id>/report/", views.ReportDeviceView.as_view(), name="report_device"),
    path("ports/", views_porting.PortListView.as_view(), name="ports"),
    path("ports/in/", views_porting.PortInView.as_view(), name="port_in"),
    path(
        "ports/<int:port_id>/claim/",
        views_porting.ClaimCompensationView.as_view(),
        name="port_claim",
    ),
    path("lines/<int:line_id>/port-out/", views_porting.PortOutView.as_view(), name="port_out"),
]
