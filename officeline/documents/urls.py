"""Public pages of the documents app: /documents/... and the information page /info/<market>/."""

from django.urls import path

from officeline.documents.views import public as views

app_name = "documents"
urlpatterns = [
    path("info/<str:market>/", views.InfoPageView.as_view(), name="info"),
    path("documents/", views.DocumentsIndexView.as_view(), name="index"),
    path("documents/<str:market>/", views.MarketDocumentsView.as_view(), name="list"),
    path("documents/<str:market>/<str:kind>/", views.DocumentView.as_view(), name="detail"),
    path(
        "documents/<str:market>/<str:kind>/versions/<str:version>/",
        views.DocumentView.as_view(),
        name="version",
    ),
]
