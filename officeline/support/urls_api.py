from django.urls import path

from officeline.support import api

app_name = "support_api"
urlpatterns = [
    path("tickets/", api.TicketsView.as_view(), name="tickets"),
    path("disputes/", api.DisputesView.as_view(), name="disputes"),
    path("complaints/", api.ComplaintsView.as_view(), name="complaints"),
    path("complaints/<str:reference>/", api.ComplaintDetailView.as_view(), name="complaint"),
    path(
        "complaints/<str:reference>/actions/<str:action>/",
        api.ComplaintActionView.as_view(),
        name="act",
    ),
]
