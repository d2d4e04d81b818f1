from django.urls import path

from officeline.lines.views import console as views
from officeline.lines.views import maintenance as views_maintenance
from officeline.lines.views import porting as views_porting

app_name = "lines_console"
urlpatterns = [
    path("ports/", views_porting.PortQueueView.as_view(), name="ports"),
    path("ports/<int:port_id>/", views_porting.PortDetailView.as_view(), name="port"),
    path(
        "customers/<int:customer_id>/lines/",
        views.CustomerLinesView.as_view(),
        name="customer_lines",
    ),
    path("devices/<int:device_id>/block/", views.BlockDeviceView.as_view(), name="block_device"),
    path("lines/<int:line_id>/suspend/", views.SuspendLineView.as_view(), name="suspend"),
    path("lines/<int:line_id>/reactivate/", views.ReactivateLineView.as_view(), name="reactivate"),
    path(
        "lines/<int:line_id>/change-number/",
        views.ChangeNumberView.as_view(),
        name="change_number",
    ),
    path(
        "lines/number-changes/<int:change_id>/cancel/",
        views.CancelNumberChangeView.as_view(),
        name="cancel_number_change",
    ),
    path(
        "lines/unconfirmed-locations/",
        views.UnconfirmedLocationsView.as_view(),
        name="unconfirmed_locations",
    ),
    path("maintenance/", views_maintenance.MaintenanceListView.as_view(), name="maintenance"),
    path(
        "maintenance/new/",
        views_maintenance.ScheduleMaintenanceView.as_view(),
        name="maintenance_new",
    ),
    path(
        "maintenance/<int:pk>/edit/",
        views_maintenance.EditMaintenanceView.as_view(),
        name="maintenance_edit",
    ),
    path(
        "maintenance/<int:pk>/cancel/",
        views_maintenance.CancelMaintenanceView.as_view(),
        name="maintenance_cancel",
    ),
    path("lines/replacements/", views.ReplacementListView.as_view(), name="replacements"),
    path(
        "lines/replacements/<int:pk>/shipped/",
        views.ReplacementActionView.as_view(),
        {"step": "shipped"},
        name="replacement_shipped",
    ),
    path(
        "lines/replacements/<int:pk>/done/",
        views.ReplacementActionView.as_view(),
        {"step": "done"},
        name="replacement_done",
    ),
]
