"""Benchmark: importing a 10,000-row task sheet (issue 3 budget: under 10 s).

Builds the sheet with openpyxl (title rows, area group rows, Excel and text dates, units
separated by ";" and line breaks, assigning documents), imports it into a fresh SQLite
database, then imports it again (every row matched: "unchanged"), and prints each time.
Usage: python bench/bench_import.py [--rows N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from cchc_desktop.domain.areas import REFORM_AREAS
from cchc_desktop.domain.text import to_roman
from cchc_desktop.services.imports import import_tasks
from cchc_desktop.store.db import open_database

HEADER = ["STT", "Nội dung", "Kết quả", "Thời gian thực hiện", "Hạn hoàn thành",
          "Ngày hoàn thành", "Cơ quan chủ trì", "Cơ quan phối hợp", "Văn bản giao",
          "Nguồn giao", "Ghi chú"]
UNITS = ["Văn phòng Sở", "Phòng Tổ chức cán bộ", "Phòng Kế hoạch - Tài chính", "Thanh tra Sở",
         "Phòng Giáo dục Trung học", "Phòng Giáo dục Mầm non - Tiểu học",
         "Phòng Quản lý chất lượng giáo dục và Công nghệ thông tin"]
TIMINGS = ["Tháng 01 hằng năm", "Quý II", "Quý IV", "Thường xuyên", "Năm 2022", "Hằng năm"]
DOCUMENTS = [f"{n}/KH-UBND ngày {d:%d/%m/%Y}" for n, d in
             ((36, date(2021, 1, 26)), (120, date(2021, 3, 2)), (315, date(2021, 8, 15)))]


def build_sheet(path: Path, rows: int, seed: int = 1) -> None:
    """A plan appendix of ``rows`` tasks spread over the eight areas."""
    rng = random.Random(seed)
    wb = Workbook()
    ws = wb.active
    ws.append(["PHỤ LỤC"])
    ws.append(["CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2022"])
    ws.append([])
    ws.append(HEADER)
    per_area = rows // len(REFORM_AREAS) + 1
    written = 0
    for area in REFORM_AREAS:
        ws.append([to_roman(area.code), area.name])
        for n in range(1, per_area + 1):
            if written == rows:
                break
            written += 1
            due = date(2022, 1, 1) + timedelta(days=rng.randrange(365))
            done = due - timedelta(days=rng.randrange(-20, 40)) if rng.random() < 0.6 else None
            lead, *support = rng.sample(UNITS, 3)
            ws.append([
                n, f"Nhiệm vụ số {written}: {area.short} — triển khai nội dung {rng.randrange(10**6)}",
                rng.choice(["Kế hoạch", "Báo cáo", "Văn bản"]), rng.choice(TIMINGS),
                due if rng.random() < 0.5 else f"{due.day}/{due.month}/{due.year}",
                done if done and done <= date(2022, 12, 31) else None,
                lead, f"{support[0]};\n{support[1]}",
                rng.choice(DOCUMENTS), "UBND tỉnh", "",
            ])
    wb.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="keep the sheet and database in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        sheet, db_file = folder / "tasks.xlsx", folder / "bench.sqlite3"
        db_file.unlink(missing_ok=True)
        start = time.perf_counter()
        build_sheet(sheet, args.rows)
        print(f"built {args.rows} rows in {time.perf_counter() - start:.1f} s "
              f"({sheet.stat().st_size / 1e6:.1f} MB)")
        db = open_database(str(db_file))
        try:
            for label in ("first import", "re-import"):
                start = time.perf_counter()
                with db.session() as session:
                    report = import_tasks(session, sheet, year=2022, create_units=True)
                elapsed = time.perf_counter() - start
                assert report.ok, report.problem_lines()[:5]
                print(f"{label}: {elapsed:.2f} s  added {report.added}, updated "
                      f"{report.updated}, unchanged {report.unchanged} "
                      f"(budget 10 s: {'OK' if elapsed < 10 else 'TOO SLOW'})")
        finally:
            db.close()


if __name__ == "__main__":
    main()
