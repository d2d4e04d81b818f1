from django.urls import path

from officeline.support.views import console as views

app_name = "support_console"
urlpatterns = [
    path("complaints/", views.QueueView.as_view(), name="queue"),
    path("complaints/print-queue/", views.PrintQueueView.as_view(), name="print_queue"),
    path("complaints/report/", views.ReportView.as_view(), name="report"),
    path("complaints/letters/<int:letter_id>/", views.LetterView.as_view(), name="letter"),
    path("complaints/<int:pk>/", views.ComplaintView.as_view(), name="complaint"),
    path("complaints/<int:pk>/<str:action>/", views.ComplaintActionView.as_view(), name="act"),
    path(
        "customers/<int:customer_id>/tickets/new/", views.NewTicketView.as_view(), name="new_ticket"
    ),
]
