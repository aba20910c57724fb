"""Vietnamese for every msgid the reports branch adds (reports views, PDF templates, XLSX)."""

VI = {
    # kontum_posts/reports/data.py
    "no chief": "chưa có Trưởng Công an xã",
    "fewer regular officers than the norm": "chưa đủ số Công an chính quy theo định mức",
    "no police Party cell": "chưa thành lập chi bộ Công an xã",
    "cell secretary not a police officer": "Bí thư chi bộ chưa phải là Công an chính quy",
    "Communes with regular officers": "Số xã đã bố trí Công an chính quy",
    "Regular officers in post": "Số Công an chính quy đảm nhiệm",
    # kontum_posts/reports/views.py
    "Invalid date “%(value)s”: give as_of as YYYY-MM-DD, for example 2019-04-23.":
        "Ngày “%(value)s” không hợp lệ: nhập as_of theo dạng YYYY-MM-DD, ví dụ 2019-04-23.",
    "The date %(day)s is in the future: a report describes a day that has passed.":
        "Ngày %(day)s là ngày trong tương lai: báo cáo chỉ phản ánh ngày đã qua.",
    "Invalid %(name)s code “%(value)s”: it is a number.": "Mã %(name)s “%(value)s” không hợp lệ: mã là một số.",
    "Choose a province: add ?province=CODE (Kon Tum is 62).": "Hãy chọn tỉnh: thêm ?province=MÃ (Kon Tum là 62).",
    "Choose a district: add ?district=CODE.": "Hãy chọn huyện: thêm ?district=MÃ.",
    # kontum_posts/reports/xlsx.py
    "Figures": "Số liệu",
    "Figure": "Chỉ tiêu",
    "Value": "Giá trị",
    "Out of": "Trên tổng số",
    "Province": "Tỉnh",
    "As of": "Tính đến ngày",
    "Plan": "Kế hoạch",
    "Regular officers holding commune police positions": "Công an chính quy đảm nhiệm chức danh Công an xã",
    "Commune police Party cells": "Chi bộ Công an xã",
    "Cells whose secretary is a regular officer": "Chi bộ có Bí thư là Công an chính quy",
    "Officers on the commune Party executive committee": "Công an chính quy tham gia BCH Đảng bộ xã",
    "Officers on the commune Party standing committee": "Công an chính quy tham gia BTV Đảng ủy xã",
    "Districts": "Huyện",
    "GSO code": "Mã hành chính",
    "District": "Huyện",
    "Regular officers": "Số CACQ",
    "Communes covered": "Số xã đã bố trí",
    "Communes in the plan": "Số xã thuộc kế hoạch",
    "Party cells": "Chi bộ",
    "Secretary a police officer": "Bí thư là CACQ",
    "Executive committee": "BCH Đảng bộ xã",
    "Standing committee": "BTV Đảng ủy xã",
    "Communes": "Xã",
    "Commune": "Xã",
    "Chief": "Trưởng Công an xã",
    "Party cell": "Chi bộ",
    "Gaps": "Tồn tại",
    "yes": "có",
    "no": "không",
    # templates/reports/pilot_review.html
    "Interim review report": "Báo cáo sơ kết",
    "Interim review of the pilot posting of regular police officers to commune police positions":
        "Sơ kết thực hiện thí điểm bố trí Công an chính quy đảm nhiệm chức danh Công an xã",
    "Carrying out plan %(plan)s of the Ministry of Public Security on the pilot posting of regular police officers to commune police positions, %(issuer)s reports the results as of %(day)s as follows:":
        "Thực hiện Kế hoạch số %(plan)s của Bộ Công an về thí điểm bố trí Công an chính quy đảm nhiệm chức danh Công an xã, %(issuer)s báo cáo kết quả thực hiện tính đến ngày %(day)s như sau:",
    "Results of the posting": "KẾT QUẢ BỐ TRÍ CÔNG AN CHÍNH QUY ĐẢM NHIỆM CHỨC DANH CÔNG AN XÃ",
    "%(n)s regular officers hold commune police positions in %(covered)s/%(total)s communes of the plan (%(pct)s%%).":
        "Đã bố trí %(n)s đồng chí Công an chính quy đảm nhiệm chức danh Công an xã tại %(covered)s/%(total)s xã thuộc Kế hoạch (đạt %(pct)s%%).",
    "No.": "STT",
    "Result": "Kết quả",
    "Communes with regular officers / communes in the plan": "Số xã đã bố trí Công an chính quy / số xã thuộc Kế hoạch",
    "Commune police Party cells set up": "Số chi bộ Công an xã đã thành lập",
    "Officers on the commune Party executive committee (BCH)": "Số đồng chí tham gia Ban Chấp hành Đảng bộ xã",
    "Officers on the commune Party standing committee (BTV)": "Số đồng chí tham gia Ban Thường vụ Đảng ủy xã",
    "By district:": "Kết quả cụ thể theo từng huyện, thành phố:",
    "Communes covered / in the plan": "Xã đã bố trí / thuộc KH",
    "Secretary a regular officer": "Bí thư là CACQ",
    "Whole province": "Toàn tỉnh",
    "Party work": "CÔNG TÁC XÂY DỰNG ĐẢNG",
    "%(cells)s commune police Party cells have been set up; in %(sec)s/%(cells)s cells the secretary is a regular police officer.":
        "Đã thành lập %(cells)s chi bộ Công an xã; %(sec)s/%(cells)s chi bộ có đồng chí Bí thư chi bộ là Công an chính quy.",
    "%(bch)s regular officers have joined the commune Party executive committee (BCH Đảng bộ xã), %(btv)s of them the commune Party standing committee (BTV Đảng ủy xã).":
        "Có %(bch)s đồng chí Công an chính quy được bổ sung vào Ban Chấp hành Đảng bộ xã, trong đó %(btv)s đồng chí tham gia Ban Thường vụ Đảng ủy xã.",
    "Roll-out": "TIẾN ĐỘ TRIỂN KHAI",
    "Communes with regular officers and officers in post at the end of each month:":
        "Số xã đã bố trí và số Công an chính quy đảm nhiệm tại thời điểm cuối mỗi tháng:",
    "The province has no posting plan yet.": "Tỉnh chưa có kế hoạch bố trí.",
    "Remaining gaps": "NHỮNG TỒN TẠI",
    "%(n)s commune of the plan is not yet staffed to the norm (a chief and at least %(norm)s regular officers, a police Party cell led by a regular officer):":
        "Còn %(n)s xã thuộc Kế hoạch chưa bảo đảm định mức (có Trưởng Công an xã và ít nhất %(norm)s Công an chính quy, có chi bộ Công an xã do Công an chính quy làm Bí thư):",
    "%(n)s communes of the plan are not yet staffed to the norm (a chief and at least %(norm)s regular officers, a police Party cell led by a regular officer):":
        "Còn %(n)s xã thuộc Kế hoạch chưa bảo đảm định mức (có Trưởng Công an xã và ít nhất %(norm)s Công an chính quy, có chi bộ Công an xã do Công an chính quy làm Bí thư):",
    "Gap": "Tồn tại",
    "Every commune of the plan is staffed to the norm.": "Tất cả các xã thuộc Kế hoạch đã bảo đảm định mức.",
    "Appendix": "Phụ lục",
    "Communes of the plan": "Danh sách các xã thuộc Kế hoạch",
    "Attached to report No. &emsp;/BC-%(abbr)s of %(day)s of %(issuer)s":
        "Kèm theo Báo cáo số &emsp;/BC-%(abbr)s ngày %(day)s của %(issuer)s",
    "Chief of commune police": "Trưởng Công an xã",
    # templates/reports/district_roster.html
    "Roster": "Danh sách",
    "Regular police officers holding commune police positions in %(district)s":
        "Công an chính quy đảm nhiệm chức danh Công an xã tại %(district)s",
    "as of %(day)s: %(n)s officers": "tính đến ngày %(day)s: %(n)s đồng chí",
    "Full name": "Họ và tên",
    "Position": "Chức danh",
    "Rank": "Cấp bậc",
    "Since": "Từ ngày",
    "%(n)s officer": "%(n)s đồng chí",
    "%(n)s officers": "%(n)s đồng chí",
    "No regular officer in post.": "Chưa bố trí Công an chính quy.",
    "The district had no commune of a plan and no officer in post on that day.": "Vào ngày này, huyện không có xã thuộc Kế hoạch và không có Công an chính quy nào đảm nhiệm.",
    # personnel.choices labels the printed roster shows (foundation msgids; listed here so the PDF is Vietnamese)
    "Sub-lieutenant": "Thiếu úy",
    "Lieutenant": "Trung úy",
    "Senior lieutenant": "Thượng úy",
    "Captain": "Đại úy",
    "Major": "Thiếu tá",
    "Lieutenant colonel": "Trung tá",
    "Senior lieutenant colonel": "Thượng tá",
    "Colonel": "Đại tá",
    "Deputy chief of commune police": "Phó Trưởng Công an xã",
    "Standing officer": "Công an viên thường trực",
}
