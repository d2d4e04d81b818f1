from django.db import models
from django.utils.translation import gettext_lazy as _


class MarketCode(models.TextChoices):
    UK = "uk", _("United Kingdom")
    FR = "fr", _("France")
