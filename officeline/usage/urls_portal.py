from django.urls import path

from officeline.usage.views import portal as views

app_name = "usage_portal"
urlpatterns = [
    path("calls/", views.CallListView.as_view(), name="calls"),
    path("acceptable-use/", views.ReviewListView.as_view(), name="reviews"),
    path("acceptable-use/<int:pk>/", views.ReviewView.as_view(), name="review"),
    path("voicemail/", views.VoicemailListView.as_view(), name="voicemails"),
    path("voicemail/<int:pk>/audio/", views.VoicemailAudioView.as_view(), name="voicemail_audio"),
    path(
        "voicemail/<int:pk>/delete/", views.VoicemailDeleteView.as_view(), name="voicemail_delete"
    ),
]
