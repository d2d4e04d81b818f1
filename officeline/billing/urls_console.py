from django.urls import path

from officeline.billing import views_console as views

app_name = "billing_console"
urlpatterns = [
    path("prices/", views.PriceListsView.as_view(), name="prices"),
]
