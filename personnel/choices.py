from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


class Rank(models.TextChoices):
    """People's Police ranks (cấp bậc hàm), lowest first; the value sorts in rank order."""

    SUB_LIEUTENANT = "21_thieu_uy", _("Sub-lieutenant")        # Thiếu úy
    LIEUTENANT = "22_trung_uy", _("Lieutenant")                # Trung úy
    SENIOR_LIEUTENANT = "23_thuong_uy", _("Senior lieutenant")  # Thượng úy
    CAPTAIN = "24_dai_uy", _("Captain")                        # Đại úy
    MAJOR = "31_thieu_ta", _("Major")                          # Thiếu tá
    LIEUTENANT_COLONEL = "32_trung_ta", _("Lieutenant colonel")  # Trung tá
    SENIOR_LIEUTENANT_COLONEL = "33_thuong_ta", _("Senior lieutenant colonel")  # Thượng tá
    COLONEL = "34_dai_ta", _("Colonel")                        # Đại tá


class OfficerStatus(models.TextChoices):
    SERVING = "serving", _("Serving")
    TRAINING = "training", _("In training")
    RETIRED = "retired", _("Retired")
    LEFT = "left", _("Left the force")
    DECEASED = "deceased", _("Deceased")


class Position(models.TextChoices):
    CHIEF = "chief", _("Chief of commune police")                   # Trưởng Công an xã
    DEPUTY_CHIEF = "deputy", _("Deputy chief of commune police")    # Phó Trưởng Công an xã
    STANDING_OFFICER = "standing", _("Standing officer")            # Công an viên thường trực


class EndReason(models.TextChoices):
    TRANSFERRED = "transferred", _("Transferred out")
    RETIRED = "retired", _("Retired")
    TRAINING = "training", _("Sent to training")
    DISCIPLINE = "discipline", _("Discipline")
    REORGANISED = "reorganised", _("The unit was reorganised")
    OTHER = "other", _("Other")


class PartyRoleKind(models.TextChoices):
    CELL_SECRETARY = "secretary", _("Cell secretary")                      # Bí thư chi bộ
    CELL_DEPUTY_SECRETARY = "deputy_secretary", _("Cell deputy secretary")  # Phó Bí thư chi bộ
    EXECUTIVE_COMMITTEE = "bch", _("Commune Party executive committee member")  # Ủy viên BCH Đảng bộ xã
    STANDING_COMMITTEE = "btv", _("Commune Party standing committee member")    # Ủy viên BTV Đảng ủy xã


CELL_ROLES = (PartyRoleKind.CELL_SECRETARY, PartyRoleKind.CELL_DEPUTY_SECRETARY)


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("Provincial department")   # Phòng nghiệp vụ
    DISTRICT_POLICE = "district", _("District police")      # Công an huyện
    COMMUNE_POLICE = "commune", _("Commune police")


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    EDITOR = "editor", _("Editor")
    PROVINCE_ADMIN = "admin", _("Province administrator")
