"""Benchmark: importing a 10,000-row task sheet (issue 18 budget: under 2 s).

Builds the sheet with openpyxl (title rows, area group rows, Excel and text dates, units
separated by ";" and line breaks, assigning documents), imports it into a fresh SQLite
database, then imports it again (every row matched: "unchanged"), and prints each time
with the time of each step (read and check the file, match units and documents, compare,
write and commit), then the time a raw ``executemany`` of the same rows takes, and a raw
multi-row INSERT (1,000 rows a statement, as the import writes them).
``--into DB`` imports into a copy of ``DB`` instead (a database made by
``cchc demo --tasks 1000000``: the budget holds for a big database too), and the raw
``executemany`` writes the same rows into another copy of it.
Usage: python bench/bench_import.py [--rows N] [--keep DIR] [--into DB]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
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


class Phases:
    """The import's progress calls, timed: where the seconds go."""

    def __init__(self) -> None:
        self.marks: list[tuple[float, str]] = []

    def __call__(self, _percent: int, text: str) -> None:
        self.marks.append((time.perf_counter(), text))

    def lines(self, end: float) -> list[str]:
        stamps = [*self.marks, (end, "")]
        return [f"    {b[0] - a[0]:5.2f} s  {'(commit)' if a[1] == 'Xong.' else a[1]}"
                for a, b in zip(stamps, stamps[1:], strict=False)]


def _fresh_copy(base: Path | None, target: Path) -> None:
    """``target``: a new empty database, or a copy of ``base``."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    if base is None:
        open_database(str(target)).close()
    else:
        shutil.copyfile(base, target)


def raw_executemany(source: Path, target: Path, base: Path | None = None,
                    first_id: int = 1, per_statement: int = 1) -> tuple[float, float]:
    """Seconds (wall, CPU) to write the task rows (ids from ``first_id``) and supporting-unit
    links of ``source`` into an empty database of the same schema (or a copy of ``base``)
    with plain ``executemany`` (one transaction, no checks, no audit): the floor the import
    is measured against. ``per_statement`` > 1: the tasks go in as multi-row INSERT
    statements of that many rows instead, as the import writes them (the full-text
    index pays per statement)."""
    _fresh_copy(base, target)
    with sqlite3.connect(source) as src:
        names = [r[1] for r in src.execute("PRAGMA table_info(tasks)")]
        tasks = src.execute(f"SELECT {', '.join(names)} FROM tasks WHERE id >= ? ORDER BY id",
                            (first_id,)).fetchall()
        links = src.execute("SELECT * FROM task_supporting_units WHERE task_id >= ?",
                            (first_id,)).fetchall()
        units = src.execute("SELECT * FROM units").fetchall()
        documents = src.execute("SELECT * FROM documents").fetchall()
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")  # as the application's connections
        conn.execute("BEGIN IMMEDIATE")
        for table, rows in (("units", units), ("documents", documents)):
            marks = ", ".join("?" * len(rows[0]))
            conn.executemany(f"INSERT OR IGNORE INTO {table} VALUES ({marks})", rows)
        conn.execute("COMMIT")
        start, cpu = time.perf_counter(), time.process_time()
        conn.execute("BEGIN IMMEDIATE")
        one = f"({', '.join('?' * len(names))})"
        for i in range(0, len(tasks), per_statement):
            chunk = tasks[i : i + per_statement]
            conn.executemany(f"INSERT INTO tasks ({', '.join(names)}) "
                             f"VALUES {', '.join([one] * len(chunk))}",
                             [[value for row in chunk for value in row]])
        conn.executemany("INSERT INTO task_supporting_units VALUES (?, ?, ?)", links)
        conn.execute("COMMIT")
        return time.perf_counter() - start, time.process_time() - cpu
    finally:
        conn.close()


def one_round(sheet: Path, folder: Path, rows: int,
              base: Path | None = None) -> dict[str, tuple[float, list[str]]]:
    """First import and re-import into a fresh database (or a copy of ``base``), then the
    raw executemany."""
    db_file, raw_file = folder / "bench.sqlite3", folder / "raw.sqlite3"
    _fresh_copy(base, db_file)
    with sqlite3.connect(db_file) as conn:
        first_id = (conn.execute("SELECT max(id) FROM tasks").fetchone()[0] or 0) + 1
    times: dict[str, tuple[float, list[str]]] = {}
    db = open_database(str(db_file))
    try:
        for label in ("first import", "re-import"):
            phases = Phases()
            start, cpu = time.perf_counter(), time.process_time()
            with db.session() as session:
                report = import_tasks(session, sheet, year=2022, create_units=True,
                                      progress=phases)
            elapsed = time.perf_counter() - start
            cpu = time.process_time() - cpu
            assert report.ok, report.problem_lines()[:5]
            expected = (rows, 0) if label == "first import" else (0, rows)
            assert (report.added, report.unchanged) == expected, (report.added, report.unchanged)
            times[label] = elapsed, [f"    (CPU time of this process: {cpu:.2f} s)",
                                     *phases.lines(time.perf_counter())]
    finally:
        db.close()
    wall, cpu = raw_executemany(db_file, raw_file, base, first_id)
    times["raw executemany"] = wall, [f"    (CPU time of this process: {cpu:.2f} s)"]
    wall, cpu = raw_executemany(db_file, raw_file, base, first_id, per_statement=1000)
    times["raw INSERT, 1,000 rows a statement"] = wall, [
        f"    (CPU time of this process: {cpu:.2f} s)"]
    for file in (db_file, raw_file):
        if base is not None:  # copies of a big database: not kept
            for suffix in ("", "-wal", "-shm"):
                Path(f"{file}{suffix}").unlink(missing_ok=True)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds; the best of each is printed (the machine is shared)")
    parser.add_argument("--keep", type=Path, help="keep the sheet and database in this folder")
    parser.add_argument("--into", type=Path,
                        help="import into a copy of this database (e.g. 1,000,000 demo tasks)")
    args = parser.parse_args()
    base = None
    if args.into is not None:
        base = args.into.resolve()
        with sqlite3.connect(base) as conn:  # the copies are of the file alone
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            existing = conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
        print(f"into a copy of {base} ({existing:,} tasks)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        sheet = folder / "tasks.xlsx"
        start = time.perf_counter()
        build_sheet(sheet, args.rows)
        print(f"built {args.rows} rows in {time.perf_counter() - start:.1f} s "
              f"({sheet.stat().st_size / 1e6:.1f} MB)")
        rounds = [one_round(sheet, folder, args.rows, base) for _ in range(args.repeat)]
    print(f"best of {args.repeat} rounds, {args.rows} rows:")
    for label in ("first import", "re-import", "raw executemany",
                  "raw INSERT, 1,000 rows a statement"):
        elapsed, lines = min(r[label] for r in rounds)
        budget = "" if label.startswith("raw") else (
            f"  (budget 2 s: {'OK' if elapsed < 2 else 'TOO SLOW'})")
        print(f"  {label}: {elapsed:.2f} s{budget}")
        if lines:
            print("\n".join(lines))
    raw = min(r["raw executemany"][0] for r in rounds)
    first = min(r["first import"][0] for r in rounds)
    multi = min(r["raw INSERT, 1,000 rows a statement"][0] for r in rounds)
    print(f"  first import / raw executemany: {first / raw:.1f}x, / raw multi-row INSERT: "
          f"{first / multi:.1f}x (the import also reads the workbook, matches units and "
          "documents, checks every row and writes the audit log)")


if __name__ == "__main__":
    main()
