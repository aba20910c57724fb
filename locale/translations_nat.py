"""Vietnamese for every msgid the national-scale branch adds (national dashboard page and view)."""

VI = {
    "National dashboard": "Bảng tổng hợp toàn quốc",
    "As of": "Tính đến ngày",
    "Show": "Xem",
    "Figures as of %(day)s": "Số liệu tính đến ngày %(day)s",
    "“%(value)s” is not a date; showing today.": "“%(value)s” không phải là ngày hợp lệ; đang hiển thị số liệu hôm nay.",
    "Open a province's dashboard": "Mở bảng tổng hợp của tỉnh",
    "Open": "Mở",
    "Province": "Tỉnh, thành phố",
    "Officers in post": "Cán bộ đang đảm nhiệm",
    "Communes covered / in the plan": "Số xã đã bố trí / trong kế hoạch",
    "Coverage": "Tỷ lệ",
    "Party cells": "Chi bộ Công an xã",
    "Cells with a police secretary": "Chi bộ có bí thư là Công an",
    "Executive committee members": "Ủy viên BCH Đảng bộ xã",
    "Standing committee members": "Ủy viên BTV Đảng ủy xã",
    "no plan": "chưa có kế hoạch",
    "No provinces are loaded yet.": "Chưa nạp dữ liệu tỉnh, thành phố nào.",
    "Whole country": "Toàn quốc",
}
