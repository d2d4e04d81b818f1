from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentKind(models.TextChoices):
    CODE_OF_PRACTICE = "code_of_practice", _("Code of practice")
    COMPLAINTS_CODE = "complaints_code", _("Complaints code")
    PRIVACY_POLICY = "privacy_policy", _("Privacy policy")
    TERMS = "terms", _("Terms and conditions")

    @classmethod
    def reviewed_quarterly(cls) -> list[str]:
        """INFO-2: the codes are reviewed every quarter."""
        return [cls.CODE_OF_PRACTICE, cls.COMPLAINTS_CODE]


class DataUse(models.TextChoices):
    """PRIV-12: the uses of personal data a material change of the privacy policy may introduce.

    Each is performed in one place that asks ``privacy.uses.uses_allowed`` first, so a
    customer who opted out of the change that introduced it is left out.
    """

    MARKETING = "marketing", _("Marketing emails and texts")
    ANALYTICS = "analytics", _("Analytics of the portal's use (the performance cookie)")


class ServiceFeature(models.TextChoices):
    """What the service can include; the operator lists its own per market (INFO-1)."""

    TELEPHONY = "telephony", _("Business telephony: lines, numbers and desk phones")
    FAX = "fax", _("Fax")
    COMPANION_APP = "companion_app", _("A companion mobile app")
    OFFICE_MANAGER_PORTAL = "office_manager_portal", _("The Office Manager web portal")


class ReviewStatus(models.TextChoices):
    DUE = "due", pgettext_lazy("review", "Due")
    OVERDUE = "overdue", _("Overdue")
