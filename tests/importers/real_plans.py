"""The task tables of ../shared/samples, transcribed as a secretary has them in Excel and Word.

Each plan is a list of rows under the header: a group row is ``("I", "Title")``, a task row a
tuple of the header's cells. Texts are exactly the samples' (page breaks joined), including
their quirks: sample 002 numbers area IV "VI", writes "VI. Cải cách tài chính công" in one
cell, leads "Văn phòng" for "Văn phòng Sở", lists "Phòng TCCB, QLCLGD&CNTT, KHTC" in one cell.
"""

from __future__ import annotations

from pathlib import Path

HEADER_002 = ("STT", "Nội dung", "Kết quả", "Thời gian thực hiện", "Cơ quan chủ trì",
              "Cơ quan phối hợp", "Ghi chú")

# Sample 002: Kế hoạch cải thiện Chỉ số CCHC, PAPI, SIPAS (Bến Tre, 2022), its appendix.
PLAN_002: list[tuple[str, ...]] = [
    ("I", "Công tác chỉ đạo, điều hành về CCHC"),
    ("1", "Xây dựng và triển khai Kế hoạch CCHC, Kế hoạch tuyên truyền CCHC", "Kế hoạch",
     "Tháng 01 hằng năm", "Văn phòng Sở", "Phòng TCCB, QLCLGD&CNTT, KHTC", ""),
    ("2", "Thực hiện các nhiệm vụ của UBND tỉnh, Chủ tịch UBND tỉnh, Chính phủ, Thủ tướng "
     "Chính phủ giao", "Văn bản", "Thường xuyên", "Các phòng, Thanh tra Sở",
     "Các phòng có liên quan", ""),
    ("3", "Công tác thông tin, báo cáo", "Báo cáo chấm điểm", "Định kỳ và đột xuất",
     "Văn phòng Sở", "Các phòng có liên quan", ""),
    ("4", "Giải pháp phòng chống tham nhũng, tăng cường công tác thanh tra, kiểm tra",
     "Kế hoạch", "Thường xuyên", "Thanh tra Sở",
     "Các phòng chuyên môn, đơn vị trực thuộc Sở.", ""),
    ("II", "Cải cách thể chế"),
    ("1", "Tham mưu xây dựng văn bản QPPL theo đúng trình tự, thủ tục, thẩm quyền phù hợp với "
     "quy định của pháp luật và tình hình thực tế của địa phương", "Danh mục VBQPPL",
     "Năm 2022", "Văn phòng Sở", "Các phòng, Thanh tra Sở", ""),
    ("2", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật", "Danh mục VBQPPL", "Năm 2022",
     "Văn phòng Sở", "Các phòng, Thanh tra Sở", ""),
    ("III", "Cải cách TTHC"),
    ("1", "Xây dựng các kế hoạch liên quan đến hoạt động kiểm soát TTHC năm 2022", "Kế hoạch",
     "Tháng 01 hằng năm", "Văn phòng Sở", "Các phòng có liên quan", ""),
    ("2", "Rà soát, đánh giá các quy định, thủ tục hành chính", "Báo cáo kết quả rà soát",
     "Quý II, III hằng năm", "Văn phòng Sở", "Các phòng có liên quan",
     "Hằng năm đề xuất tối thiểu 02 TTHC được đơn giản hóa"),
    ("3", "Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính "
     "thuộc thẩm quyền của Sở GD&ĐT", "Báo cáo kết quả xử lý phản ánh, kiến nghị",
     "Thường xuyên trong năm", "Văn phòng Sở", "Các phòng, Thanh tra Sở", ""),
    ("VI", "Cải cách tổ chức bộ máy hành chính nhà nước"),
    ("1", "Xây dựng kế hoạch biên chế hàng năm và trình Sở Nội vụ", "Kế hoạch", "Hàng năm",
     "Phòng TCCB", "Các đơn vị trực thuộc", ""),
    ("2", "Ban hành quyết định phân bổ biên chế", "Quyết định",
     "Sau khi có Quyết định UBND tỉnh", "Phòng TCCB",
     "Các Phòng, Thanh tra Sở, các đơn vị trực thuộc", ""),
    ("3", "Sắp xếp lại tổ chức bộ máy của cơ quan, các đơn vị sự nghiệp trực thuộc Sở.",
     "Kết quả sắp xếp", "Sau khi có Quyết định UBND tỉnh", "Phòng TCCB",
     "Các Phòng, Thanh tra Sở, các đơn vị trực thuộc", ""),
    ("4", "Xây dựng Kế hoạch thực hiện định kỳ chuyển đổi vị trí công tác đối với công chức, "
     "viên chức theo Nghị định số 59/2019/NĐ-CP ngày 01/7/2019 của Chính phủ.", "Kế hoạch",
     "Hàng năm", "Phòng TCCB", "Các Phòng, Thanh tra Sở, các đơn vị trực thuộc", ""),
    ("V", "Cải cách chế độ công vụ"),
    ("1", "Phê duyệt tuyển dụng các đơn vị trực thuộc Sở, Phòng GD&ĐT các huyện, thành phố",
     "Kết quả thi tuyển", "Hàng năm", "Phòng TCCB", "Các cơ quan, đơn vị có liên quan", ""),
    ("2", "Triển khai thực hiện có hiệu quả các quy định của Trung ương về tinh giản biên chế "
     "và cơ cấu lại đội ngũ CBCCVN", "Các văn bản có liên quan", "Hàng năm", "Phòng TCCB",
     "Các cơ quan, đơn vị", ""),
    ("3", "Xây dựng và triển khai Kế hoạch đào tạo, bồi dưỡng Công chức, viên chức", "Kế hoạch",
     "Hàng năm", "Phòng TCCB", "Các cơ quan, đơn vị có liên quan", ""),
    ("4", "Kiểm tra về chấp hành giờ giấc làm việc, văn hóa giao tiếp nơi công sở, việc tuyển "
     "dụng, sử dụng, quản lý viên chức.", "Công văn", "Thường xuyên trong năm 2022",
     "Phòng TCCB", "Các cơ quan, đơn vị có liên quan", ""),
    ("VI. Cải cách tài chính công",),
    ("1", "Báo cáo định kỳ hàng năm về tình hình thực hiện chế độ tự chủ, tự chịu trách nhiệm "
     "về sử dụng biên chế và kinh phí quản lý hành chính đối với cơ quan nhà nước và cơ chế tự "
     "chủ của đơn vị sự nghiệp công lập", "Báo cáo", "Hàng năm", "Phòng Kế hoạch tài chính",
     "", ""),
    ("2", "Thực hiện tốt quy định về quy chế chi tiêu nội bộ, công khai tài chính và phòng "
     "chống tham nhũng, lãng phí", "Quyết định", "Hàng năm", "Phòng Kế hoạch tài chính", "", ""),
    ("VII. Xây dựng và phát triển chính quyền điện tử, chính quyền số",),
    ("1", "Triển khai Kế hoạch tăng cường ứng dụng công nghệ thông tin, thực hiện chuyển đổi số "
     "trong quản lý và trong dạy học góp phần nâng cao chất lượng giáo dục và đào tạo giai đoạn "
     "2021-2025", "Báo cáo", "Thường xuyên", "Phòng Khảo thí, QLCLGD&CNTT",
     "Các phòng có liên quan", ""),
    ("2", "Triển khai ứng dụng phần mềm quản lý văn bản và điều hành VNPT-iOffice và nâng cao "
     "tỷ lệ liên thông văn bản điện tử.", "", "Năm 2022", "Văn phòng Sở",
     "Các phòng, Thanh tra Sở", ""),
    ("3", "Duy trì tỷ lệ 100% CBCC sử dụng thư điện tử công vụ trong trao đổi công việc", "",
     "Năm 2022", "Văn phòng Sở", "Các phòng, Thanh tra Sở", ""),
    ("4", "Áp dụng hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2015 tại "
     "cơ quan hành chính các cấp trên địa bàn tỉnh.", "", "Năm 2022", "Văn phòng Sở",
     "Các phòng, Thanh tra Sở", ""),
    ("VIII", "Chỉ số hiệu quả quản trị và hành chính công"),
    ("1", "Thực hiện các khoản thu, chi và sử dụng có hiệu quả các nguồn thu hợp pháp trong các "
     "cơ sở giáo dục công lập", "Công văn", "", "Phòng KHTC", "Đơn vị trực thuộc Sở; Phòng GD&ĐT",
     ""),
    ("2", "Nâng cao chất lượng giáo dục tiểu học", "Hướng dẫn", "", "Phòng GDMN-GDTH",
     "Phòng GD&ĐT", ""),
    ("IX", "Chỉ số hài lòng"),
    ("1", "Kế hoạch đo lường sự hài lòng", "Kế hoạch", "Quý IV", "Văn phòng",
     "Tổ chức, cá nhân", ""),
    ("2", "Báo cáo đo lường sự hài lòng", "Báo cáo", "Quý IV", "Văn phòng", "Tổ chức, cá nhân",
     ""),
]
# The groups as the plan writes them, and the area each belongs to.
GROUPS_002 = [
    ("I", "Công tác chỉ đạo, điều hành về CCHC", 1),
    ("II", "Cải cách thể chế", 2),
    ("III", "Cải cách TTHC", 3),
    ("VI", "Cải cách tổ chức bộ máy hành chính nhà nước", 4),
    ("V", "Cải cách chế độ công vụ", 5),
    ("VI", "Cải cách tài chính công", 6),
    ("VII", "Xây dựng và phát triển chính quyền điện tử, chính quyền số", 7),
    ("VIII", "Chỉ số hiệu quả quản trị và hành chính công", 8),
    ("IX", "Chỉ số hài lòng", 8),
]

HEADER_003 = ("STT", "Nội dung", "Thời gian thực hiện", "Cơ quan chủ trì", "Cơ quan phối hợp")
# Sample 003: Kế hoạch 588/KH-SGDĐT tuyên truyền CCHC 2022: its contents and forms of
# propaganda as the two groups of the task table (neither is a CCHC area).
PLAN_003: list[tuple[str, ...]] = [
    ("I", "Nội dung tuyên truyền"),
    ("1", "Kết quả xếp hạng chỉ số CCHC của Sở năm 2022 do Chủ tịch Ủy ban nhân dân Thành phố "
     "công bố.", "Năm 2022", "Văn phòng Sở", "Các phòng thuộc Sở"),
    ("2", "Tiếp tục tuyên truyền về quyền và nghĩa vụ, ý thức tổ chức, kỷ luật, đạo đức trong "
     "thực thi công vụ; tiêu chuẩn công chức, viên chức; chế độ tuyển dụng, khen thưởng, kỷ "
     "luật, đào tạo, bồi dưỡng theo quy định.", "Thường xuyên", "Các phòng thuộc Sở", ""),
    ("3", "Việc công khai, minh bạch và giải quyết TTHC Bộ phận một cửa, một cửa liên thông.",
     "Thường xuyên, liên tục", "Văn phòng Sở", "Các phòng thuộc Sở"),
    ("II", "Hình thức tuyên truyền"),
    ("1", "Thường xuyên đăng tải bản tin CCHC của Trung ương, cập nhật kịp thời các thông tin, "
     "tình hình CCHC quan trọng trên trang web và phần mềm: eNetViet.", "Hằng tháng",
     "Văn phòng Sở", ""),
    ("2", "Lồng ghép các thông tin về CCHC trong các cuộc họp giao ban định kỳ của cơ quan.",
     "Định kỳ hằng quý", "Văn phòng Sở", "Các phòng thuộc Sở"),
    ("3", "Xây dựng các tờ bướm tuyên truyền trực tiếp với tổ chức, cá nhân ngay trong quá trình "
     "thực hiện TTHC tại cơ quan.", "Theo tiến độ của Thành phố", "Văn phòng Sở", ""),
]
GROUPS_003 = [("I", "Nội dung tuyên truyền", None), ("II", "Hình thức tuyên truyền", None)]

HEADER_004 = ("STT", "Nội dung", "Thời gian thực hiện", "Chủ trì thực hiện",
              "Phối hợp thực hiện")
# Sample 004: Kế hoạch tuyên truyền CCHC 2022 of a Sở KH&CN (Sơn La): items 2.1-2.5 and the
# report rule, a plan without groups; "Văn phòng Sở; Trung tâm ..." names two leads.
PLAN_004: list[tuple[str, ...]] = [
    ("1", "Tuyên truyền các nội dung cải cách hành chính bằng nhiều hình thức phù hợp",
     "Thường xuyên trong năm 2022", "Văn phòng Sở; Trung tâm Thông tin và UDKHCN",
     "Các phòng, đơn vị thuộc Sở"),
    ("2", "Thường xuyên đăng tải những bài viết tuyên truyền chủ trương, chính sách của Đảng, "
     "pháp luật của Nhà nước và việc tổ chức triển khai thực hiện công tác cải cách hành chính "
     "nhà nước trên địa bàn tỉnh năm 2022", "Thường xuyên trong năm 2022",
     "Trung tâm Thông tin và UDKHCN", "Các phòng, đơn vị thuộc Sở"),
    ("3", "Cử công chức, viên chức tham gia tập huấn, bồi dưỡng nâng cao nhận thức, kỹ năng về "
     "công tác cải cách hành chính; nâng cao hiệu quả Quản trị và Hành chính công.",
     "Trong năm 2022", "Văn phòng Sở", "Các phòng, đơn vị thuộc Sở"),
    ("4", "Duy trì nâng cao chất lượng chuyên mục CCHC trên trang TTĐT của Sở.",
     "Thường xuyên trong năm 2022", "Trung tâm Thông tin và UDKHCN",
     "Các phòng, đơn vị thuộc Sở"),
    ("5", "Báo cáo kết quả triển khai thực hiện công tác tuyên truyền cải cách hành chính về "
     "Văn phòng Sở", "Quý, 6 tháng và năm trước ngày 12 của tháng cuối kỳ báo cáo",
     "Các phòng, đơn vị thuộc Sở", "Văn phòng Sở"),
]

PLANS = {
    "002": (HEADER_002, PLAN_002, GROUPS_002),
    "003": (HEADER_003, PLAN_003, GROUPS_003),
    "004": (HEADER_004, PLAN_004, []),
}

# The department's unit catalogue before the import, with the aliases a secretary records.
CATALOGUE: list[tuple[str, str, list[str]]] = [
    ("Văn phòng Sở", "VP", ["Văn phòng"]),
    ("Phòng Tổ chức cán bộ", "TCCB", ["Phòng TCCB"]),
    ("Phòng Kế hoạch - Tài chính", "KHTC", ["Phòng KHTC", "Phòng Kế hoạch tài chính"]),
    ("Phòng Khảo thí, Quản lý chất lượng giáo dục và Công nghệ thông tin", "QLCLGD&CNTT",
     ["Phòng QLCLGD&CNTT", "Phòng Khảo thí, QLCLGD&CNTT"]),
    ("Thanh tra Sở", "TTr", []),
]


def write_xlsx(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> Path:
    """The table as a secretary keeps it in Excel: a title, the header, group rows whose
    title sits in "Nội dung" (or in one cell "VI. ..." from the first column)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["PHỤ LỤC"])
    ws.append(list(header))
    for row in rows:
        ws.append([value or None for value in row])
    wb.save(path)
    return path


def write_docx(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> Path:
    """The table as a Word plan has it: a header table before it (a decoy), the appendix
    with group rows merged across the table after their number."""
    from docx import Document

    doc = Document()
    top = doc.add_table(rows=2, cols=2)
    top.cell(0, 0).text, top.cell(0, 1).text = "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "CỘNG HÒA XÃ HỘI"
    top.cell(1, 0).text, top.cell(1, 1).text = "Số: /KH-SGD&ĐT", "Độc lập - Tự do - Hạnh phúc"
    doc.add_paragraph("KẾ HOẠCH")
    table = doc.add_table(rows=1, cols=len(header))
    for i, label in enumerate(header):
        table.rows[0].cells[i].text = label
    for row in rows:
        cells = table.add_row().cells
        if len(row) == 1:  # "VI. Cải cách tài chính công" across the whole row
            merged = cells[0].merge(cells[-1])
            merged.text = row[0]
        elif len(row) == 2:
            cells[0].text = row[0]
            merged = cells[1].merge(cells[-1])
            merged.text = row[1]
        else:
            for i, value in enumerate(row):
                if value:
                    # Word keeps a line break inside a cell as a paragraph of its own.
                    parts = value.split("\n")
                    cells[i].text = parts[0]
                    for extra in parts[1:]:
                        cells[i].add_paragraph(extra)
    doc.save(str(path))
    return path
