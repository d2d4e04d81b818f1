from django.conf import settings
from django.urls import path

from officeline.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("signup/", views.SignUpView.as_view(), name="signup"),
    path("signup/card/start/", views.SignUpCardStartView.as_view(), name="signup_card_start"),
    path("signup/card/", views.SignUpCardReturnView.as_view(), name="signup_card_return"),
    path("signup/terms/", views.SignUpTermsView.as_view(), name="signup_terms"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("account/", views.AccountView.as_view(), name="account"),
    path("notices/", views.NoticesView.as_view(), name="notices"),
]
# The sandbox provider's card page exists only where the sandbox takes the payments.
if settings.PAYMENT_PROVIDER == "sandbox":
    urlpatterns.append(
        path("sandbox-pay/", views.SandboxPayView.as_view(), name="sandbox_pay"),
    )
