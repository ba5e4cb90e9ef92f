from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    """Languages a family or child speaks (ISO 639-1, Sámi as ISO 639-1 'se')."""

    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    SAMI = "se", _("Sámi")
    ENGLISH = "en", _("English")
    RUSSIAN = "ru", _("Russian")
    ESTONIAN = "et", _("Estonian")
    ARABIC = "ar", _("Arabic")
    SOMALI = "so", _("Somali")
    PERSIAN = "fa", _("Persian")
    KURDISH = "ku", _("Kurdish")
    UKRAINIAN = "uk", _("Ukrainian")
    SIGN_LANGUAGE = "fse", _("Finnish Sign Language")
