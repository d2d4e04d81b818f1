from django.urls import path

from officeline.privacy.views import webhooks

app_name = "privacy_hooks"
urlpatterns = [
    path("sms/inbound/", webhooks.inbound_sms, name="inbound_sms"),
    path("email/unsubscribe/", webhooks.unsubscribe_email, name="unsubscribe_email"),
]
