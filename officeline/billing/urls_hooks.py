from django.urls import path

from officeline.billing.views import webhooks

app_name = "billing_hooks"
urlpatterns = [
    path("stripe/", webhooks.stripe_webhook, name="stripe"),
]
