"""Vietnamese for every msgid the production-readiness branch adds (templates 403/404/500/503,
registration/locked_out.html, kontum_posts/lib/clean.py). Plural msgids carry the same Vietnamese,
which has no plural form; {{ var }} in a blocktranslate becomes %(var)s in the msgid."""

VI = {
    # templates/500.html
    "Something went wrong": "Đã xảy ra lỗi",
    "The server could not complete your request. Nothing was saved by this request.":
        "Máy chủ không thể hoàn tất yêu cầu của bạn. Yêu cầu này chưa lưu bất kỳ dữ liệu nào.",
    "The error has been logged. Please try again; if it happens again, tell your administrator the time it happened.":
        "Lỗi đã được ghi lại. Vui lòng thử lại; nếu lỗi lặp lại, hãy báo cho quản trị viên thời điểm xảy ra lỗi.",
    "Back to the start page": "Về trang đầu",
    "Commune police posts": "Công an xã chính quy",
    # templates/503.html
    "Temporarily unavailable": "Tạm thời không truy cập được",
    "The database is not answering right now. Nothing was saved by this request.":
        "Cơ sở dữ liệu hiện không phản hồi. Yêu cầu này chưa lưu bất kỳ dữ liệu nào.",
    "Please try again in a minute.": "Vui lòng thử lại sau một phút.",
    # templates/403.html, templates/404.html
    "Access denied": "Không có quyền truy cập",
    "Your account does not have the right to open this page or make this change.":
        "Tài khoản của bạn không có quyền mở trang này hoặc thực hiện thay đổi này.",
    "Page not found": "Không tìm thấy trang",
    "There is no such page, or it is outside the area your account covers.":
        "Không có trang này, hoặc trang nằm ngoài phạm vi tài khoản của bạn được xem.",
    # templates/registration/locked_out.html
    "Too many failed logins": "Đăng nhập sai quá nhiều lần",
    "Logging in as this user from this address failed %(limit)s time in a row.":
        "Đăng nhập bằng tài khoản này từ địa chỉ này đã sai %(limit)s lần liên tiếp.",
    "Logging in as this user from this address failed %(limit)s times in a row.":
        "Đăng nhập bằng tài khoản này từ địa chỉ này đã sai %(limit)s lần liên tiếp.",
    "Please wait %(minutes)s minute before trying again. Other users, and this user from other addresses, are not affected.":
        "Vui lòng chờ %(minutes)s phút rồi thử lại. Người dùng khác, và tài khoản này từ địa chỉ khác, không bị ảnh hưởng.",
    "Please wait %(minutes)s minutes before trying again. Other users, and this user from other addresses, are not affected.":
        "Vui lòng chờ %(minutes)s phút rồi thử lại. Người dùng khác, và tài khoản này từ địa chỉ khác, không bị ảnh hưởng.",
    "Back to the login page": "Về trang đăng nhập",
    # kontum_posts/lib/clean.py
    "Remove the invisible control characters (such as tabs, line breaks or NUL) from this field.":
        "Hãy xóa các ký tự điều khiển không nhìn thấy (như tab, xuống dòng hoặc NUL) khỏi ô này.",
    "Remove the invisible control characters (such as NUL) from this field.":
        "Hãy xóa các ký tự điều khiển không nhìn thấy (như NUL) khỏi ô này.",
    "This field cannot start with =, +, - or @ (a spreadsheet would run it as a formula).":
        "Ô này không được bắt đầu bằng =, +, - hoặc @ (bảng tính sẽ chạy nó như một công thức).",
    "Remove the HTML tags (text between < and >) from this field.":
        "Hãy xóa các thẻ HTML (phần nằm giữa < và >) khỏi ô này.",
    "Enter a date between %(first)s and %(last)s.": "Hãy nhập ngày trong khoảng từ %(first)s đến %(last)s.",
    # personnel/importing.py (hostile input)
    "The CSV file cannot be read as a table (for example, a cell is far too long).":
        "Không đọc được tệp CSV thành bảng (ví dụ: có ô quá dài).",
}
