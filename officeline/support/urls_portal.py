from django.urls import path

from officeline.support.views import portal as views

app_name = "support_portal"
urlpatterns = [
    path("support/", views.TicketListView.as_view(), name="tickets"),
    path("support/new/", views.TicketCreateView.as_view(), name="new"),
    path("support/dispute/", views.DisputeCreateView.as_view(), name="dispute"),
    path("support/<str:reference>/", views.TicketDetailView.as_view(), name="ticket"),
    path(
        "support/<str:reference>/letters/<int:letter_id>/",
        views.LetterView.as_view(),
        name="letter",
    ),
]
