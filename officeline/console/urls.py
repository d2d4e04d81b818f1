"""Console pages of the console app itself; other apps add theirs in ``urls_console.py``."""

from django.urls import path

from officeline.console import views

app_name = "console"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="home"),
    path("customers/", views.CustomerSearchView.as_view(), name="customers"),
    path("customers/<int:pk>/", views.CustomerDetailView.as_view(), name="customer"),
    path("closure-days/", views.ClosureDaysView.as_view(), name="closure_days"),
    path("reference-rates/", views.ReferenceRatesView.as_view(), name="reference_rates"),
    path("clock/", views.TestClockView.as_view(), name="clock"),
]
