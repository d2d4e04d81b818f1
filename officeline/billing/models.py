from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from officeline.billing.sandbox_models import SandboxCard, SandboxCharge  # noqa: F401  (models of this app)


class PaymentMethod(models.Model):
    """A customer's card, as the payment provider's token only (ACC-3).

    The card number never touches our storage: the provider's page tokenizes
    it and we keep the token, brand, last four digits and expiry.
    """

    customer = models.ForeignKey(
        "accounts.Customer", on_delete=models.CASCADE, related_name="payment_methods"
    )
    provider = models.CharField(max_length=20)  # "sandbox", "stripe"
    token = models.CharField(max_length=200)
    brand = models.CharField(max_length=20)
    last4 = models.CharField(max_length=4)
    exp_month = models.PositiveSmallIntegerField()
    exp_year = models.PositiveSmallIntegerField()
    is_default = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "token"], name="payment_method_token_unique"
            ),
        ]
        verbose_name = _("payment method")

    def __str__(self) -> str:
        return f"{self.brand} •••• {self.last4} ({self.exp_month:02d}/{self.exp_year})"
