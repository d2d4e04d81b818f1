from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    CODE_OF_PRACTICE = "code_of_practice", _("Code of practice")
    COMPLAINTS_CODE = "complaints_code", _("Complaints code")
    PRIVACY_POLICY = "privacy_policy", _("Privacy policy")
    TERMS = "terms", _("Terms and conditions")

    @classmethod
    def reviewed_quarterly(cls) -> list[str]:
        """INFO-2: the codes are reviewed every quarter."""
        return [cls.CODE_OF_PRACTICE, cls.COMPLAINTS_CODE]
