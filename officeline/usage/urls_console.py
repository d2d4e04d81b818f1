from django.urls import path

from officeline.usage.views import console as views

app_name = "usage_console"
urlpatterns = [
    path(
        "customers/<int:customer_id>/calls/",
        views.CustomerCallsView.as_view(),
        name="customer_calls",
    ),
    path(
        "customers/<int:customer_id>/voicemail/",
        views.CustomerVoicemailsView.as_view(),
        name="customer_voicemails",
    ),
    path(
        "customers/<int:customer_id>/acceptable-use/",
        views.CustomerReviewsView.as_view(),
        name="customer_reviews",
    ),
    path("acceptable-use/", views.ReviewListView.as_view(), name="reviews"),
    path("acceptable-use/<int:pk>/", views.ReviewView.as_view(), name="review"),
    path("voicemail/<int:pk>/audio/", views.VoicemailAudioView.as_view(), name="voicemail_audio"),
]
