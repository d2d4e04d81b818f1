"""Console pages of the documents app: the quarterly reviews of the codes (INFO-2)."""

from django.urls import path

from officeline.documents.views import console as views_console

app_name = "documents_console"
urlpatterns = [
    path("documents/", views_console.DocumentsView.as_view(), name="documents"),
    path(
        "documents/<int:pk>/publish/",
        views_console.PublishVersionView.as_view(),
        name="publish",
    ),
    path("documents/reviews/", views_console.ReviewsView.as_view(), name="reviews"),
]
