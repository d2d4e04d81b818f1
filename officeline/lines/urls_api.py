from django.urls import path

from officeline.lines.api import views as api

app_name = "lines_api"
urlpatterns = [
    path("lines/", api.LinesView.as_view(), name="lines"),
    path("lines/<str:line_id>/", api.LineDetailView.as_view(), name="line"),
    path(
        "lines/<str:line_id>/confirm-location/",
        api.ConfirmLocationView.as_view(),
        name="confirm_location",
    ),
    path("lines/<str:line_id>/devices/", api.AddDeviceView.as_view(), name="add_device"),
    path("lines/<str:line_id>/abroad/", api.AbroadView.as_view(), name="abroad"),
    path("lines/<str:line_id>/barring/", api.CallBarringView.as_view(), name="barring"),
    path("lines/<str:line_id>/port-out/", api.PortOutView.as_view(), name="port_out"),
    path("devices/<str:device_id>/report/", api.ReportDeviceView.as_view(), name="report_device"),
    path("ports/", api.PortsView.as_view(), name="ports"),
    path("maintenance/", api.MaintenanceView.as_view(), name="maintenance"),
    path("ports/<str:port_id>/claim/", api.ClaimCompensationView.as_view(), name="claim"),
    path("numbers/available/", api.AvailableNumbersView.as_view(), name="available_numbers"),
    path("replacements/", api.ReplacementsView.as_view(), name="replacements"),
]
