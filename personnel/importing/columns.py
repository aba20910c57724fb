"""The import's columns, the words it accepts for each choice, and what it reports back."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from kontum_posts.lib.vntext import fold
from personnel.choices import EndReason, Gender, Position, Rank


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the header the template uses (Vietnamese, as the spreadsheets are)
    required: bool = False
    example: str = ""


COLUMNS = [
    Column("service_number", "Số hiệu", True, "123-456"),
    Column("full_name", "Họ và tên", True, "Nguyễn Văn An"),
    Column("gender", "Giới tính", False, "Nam"),
    Column("birth_date", "Ngày sinh", False, "15/08/1990"),
    Column("ethnicity", "Dân tộc", False, "Kinh"),
    Column("rank", "Cấp bậc", False, "Trung úy"),
    Column("party_member_since", "Ngày vào Đảng", False, "03/02/2015"),
    Column("home_unit", "Đơn vị", False, "Công an huyện Đắk Glei"),
    Column("commune", "Xã", True, "23287"),
    Column("position", "Chức vụ", True, "Công an viên thường trực"),
    Column("start_date", "Ngày bắt đầu", True, "02/01/2019"),
    Column("end_date", "Ngày kết thúc", False, ""),
    Column("end_reason", "Lý do kết thúc", False, ""),
    Column("decision_number", "Số quyết định", False, "12/QĐ-CAT"),
    Column("decision_date", "Ngày quyết định", False, "28/12/2018"),
]
_BY_KEY = {c.key: c for c in COLUMNS}
MAX_LENGTHS = {"service_number": 20, "full_name": 100, "ethnicity": 50, "decision_number": 100}
REASON_MAX_LENGTH = 100  # django-simple-history's history_change_reason
_DATE_KEYS = ("birth_date", "party_member_since", "start_date", "end_date", "decision_date")

# Values people type, folded (accent-free, lower case), to the stored choice.
_GENDERS = {"nam": Gender.MALE, "m": Gender.MALE, "male": Gender.MALE, "nu": Gender.FEMALE, "f": Gender.FEMALE,
            "female": Gender.FEMALE}
_RANKS_VI = {
    Rank.SUB_LIEUTENANT: "Thiếu úy", Rank.LIEUTENANT: "Trung úy", Rank.SENIOR_LIEUTENANT: "Thượng úy",
    Rank.CAPTAIN: "Đại úy", Rank.MAJOR: "Thiếu tá", Rank.LIEUTENANT_COLONEL: "Trung tá",
    Rank.SENIOR_LIEUTENANT_COLONEL: "Thượng tá", Rank.COLONEL: "Đại tá",
}
_POSITIONS_VI = {
    Position.CHIEF: ["Trưởng Công an xã", "Trưởng", "Trưởng CAX"],
    Position.DEPUTY_CHIEF: ["Phó Trưởng Công an xã", "Phó trưởng", "Phó Trưởng CAX", "Phó"],
    Position.STANDING_OFFICER: ["Công an viên thường trực", "Công an xã thường trực", "CAV thường trực", "Thường trực"],
}
_END_REASONS_VI = {
    EndReason.TRANSFERRED: ["Điều động", "Chuyển công tác", "Điều chuyển"],
    EndReason.RETIRED: ["Nghỉ hưu"],
    EndReason.TRAINING: ["Đi học", "Đi đào tạo", "Cử đi học"],
    EndReason.DISCIPLINE: ["Kỷ luật"],
    EndReason.OTHER: ["Khác"],
}


def _choice_map(choices, vietnamese: dict) -> dict[str, str]:
    mapping = {}
    for value, label in choices:
        mapping[fold(value)] = value
        mapping[fold(str(label))] = value
        names = vietnamese.get(value, [])
        for name in [names] if isinstance(names, str) else names:
            mapping[fold(name)] = value
    return mapping


_RANK_MAP = _choice_map(Rank.choices, _RANKS_VI)
_POSITION_MAP = _choice_map(Position.choices, _POSITIONS_VI)
_END_REASON_MAP = _choice_map(EndReason.choices, _END_REASONS_VI)
_HEADER_MAP = {}
for _c in COLUMNS:
    _HEADER_MAP[fold(_c.header)] = _c.key
    _HEADER_MAP[fold(_c.key)] = _c.key
    _HEADER_MAP[fold(_c.key.replace("_", " "))] = _c.key
_HEADER_MAP.update({fold("Mã xã"): "commune", fold("Họ tên"): "full_name", fold("Chức danh"): "position"})


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1; 0 for the file as a whole
    column: str  # the header as written in the file, or "" for the whole row or file
    message: str


@dataclass(frozen=True)
class PlannedRow:
    """A row the import will write, as the preview shows it."""

    row: int
    service_number: str
    full_name: str
    new_officer: bool  # False: a posting for an officer already recorded
    commune: str  # its name on the posting's first day
    position: str
    start_date: datetime.date
    end_date: datetime.date | None


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created_officers: int = 0
    created_postings: int = 0
    rows: int = 0
    dry_run: bool = True
    planned: list[PlannedRow] = field(default_factory=list)  # a dry run without errors: the first rows it would write

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def more_rows(self) -> int:
        """Rows the preview does not list."""
        return max(0, self.created_postings - len(self.planned))


class _FileError(Exception):
    pass
