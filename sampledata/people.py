"""Names for demo officers: Kinh names, and the names of Kon Tum's own peoples."""

from __future__ import annotations

import random

from personnel.choices import Gender

KINH_SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương"]
KINH_MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Công", "Xuân", "Ngọc", "Đình", "Trọng", "Anh"]
KINH_MIDDLE_FEMALE = ["Thị", "Thị Thu", "Thị Kim", "Ngọc", "Thu", "Thị Hồng"]
KINH_GIVEN_MALE = ["Anh", "Ân", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Hưng", "Khánh", "Long", "Lâm", "Minh", "Nam", "Phong", "Quân", "Sơn", "Tài", "Thắng", "Tuấn", "Trung", "Việt", "Vinh", "Hiếu", "Toàn", "Thịnh", "Lợi", "Phúc", "Lực", "Tùng"]
KINH_GIVEN_FEMALE = ["Anh", "Dung", "Hà", "Hằng", "Hiền", "Hương", "Lan", "Linh", "Ngọc", "Nhung", "Oanh", "Phượng", "Thảo", "Trang", "Vân", "Yến"]
# The province's own peoples: Xơ Đăng, Ba Na, Giẻ Triêng, Brâu, Rơ Măm men as "A …", women as "Y …";
# Gia Rai names carry a clan name (Rơ Châm, Siu, Ksor, Rơ Mah), women with "H'".
HIGHLAND_GIVEN_MALE = ["Thái", "Hăng", "Blưu", "Dũng", "Nhúi", "Pun", "Sang", "Khoan", "Ngọc", "Hiên", "Biêu", "Tưk", "Jơng", "Rin", "Thuận", "Đen", "Lâm", "Hiêm", "Kim", "Vương"]
HIGHLAND_GIVEN_FEMALE = ["Hiên", "Blưu", "Thi", "Loan", "Đêm", "Nga", "Mai", "Xuân"]
GIA_RAI_CLANS = ["Rơ Châm", "Siu", "Ksor", "Rơ Mah", "Rah Lan"]
ETHNICITIES = [
    ("Kinh", 70), ("Xơ Đăng", 12), ("Ba Na", 7), ("Giẻ Triêng", 5), ("Gia Rai", 4), ("Brâu", 1), ("Rơ Măm", 1),
]


def ethnicity(rng: random.Random) -> str:
    names, weights = zip(*ETHNICITIES, strict=True)
    return rng.choices(names, weights)[0]


def full_name(rng: random.Random, ethnicity: str, gender: str) -> str:
    male = gender == Gender.MALE
    if ethnicity == "Kinh":
        middle = rng.choice(KINH_MIDDLE_MALE if male else KINH_MIDDLE_FEMALE)
        given = rng.choice(KINH_GIVEN_MALE if male else KINH_GIVEN_FEMALE)
        return f"{rng.choice(KINH_SURNAMES)} {middle} {given}"
    if ethnicity == "Gia Rai":
        given = rng.choice(HIGHLAND_GIVEN_MALE) if male else "H'" + rng.choice(HIGHLAND_GIVEN_FEMALE)
        return f"{rng.choice(GIA_RAI_CLANS)} {given}"
    given = rng.choice(HIGHLAND_GIVEN_MALE if male else HIGHLAND_GIVEN_FEMALE)
    return f"{'A' if male else 'Y'} {given}"
