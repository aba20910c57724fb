from django.db import models
from django.utils.translation import gettext_lazy as _


class ProvinceKind(models.TextChoices):
    PROVINCE = "tinh", _("Province")
    CITY = "thanh_pho_tw", _("Centrally-run city")


class DistrictKind(models.TextChoices):
    RURAL_DISTRICT = "huyen", _("Rural district")
    URBAN_DISTRICT = "quan", _("Urban district")
    TOWN = "thi_xa", _("District-level town")
    CITY = "thanh_pho", _("Provincial city")


class CommuneKind(models.TextChoices):
    COMMUNE = "xa", _("Commune")
    WARD = "phuong", _("Ward")
    TOWNSHIP = "thi_tran", _("Township")
    SPECIAL_ZONE = "dac_khu", _("Special zone")  # đặc khu, from 01/07/2025
