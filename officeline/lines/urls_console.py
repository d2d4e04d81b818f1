from django.urls import path

from officeline.lines import views_porting

app_name = "lines_console"
urlpatterns = [
    path("ports/", views_porting.PortQueueView.as_view(), name="ports"),
    path("ports/<int:port_id>/", views_porting.PortDetailView.as_view(), name="port"),
]
