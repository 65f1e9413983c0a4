"""What an import did (or, in a dry run, would do): the report both front ends show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = ["GroupPreview", "ImportReport", "ImportRow", "UnitChoice", "UnitSuggestion", "UnknownUnit"]


@dataclass
class ImportRow:
    """One task row as the import reads it, for the preview: what will happen to it.

    ``action`` is "thêm", "cập nhật", "không đổi" or "lỗi" (see the report's problems).
    """

    row: int
    action: str
    content: str
    lead: str
    support: str
    timing: str
    due: date | None
    area: int | None
    group: str = ""  # "I. Công tác chỉ đạo ..." as the plan writes it, "" outside any group
    timing_reading: str = ""  # how the timing was read: "hạn 31/01/2022", "chưa hiểu thời hạn"
    timing_understood: bool = True
    lead_units: str = ""  # the units the cells were read as, "; "-separated
    support_units: str = ""


@dataclass
class GroupPreview:
    """A group row of the plan as read: its numbering, title and the area it is given
    (suggested from the title unless the user chose; None = không thuộc lĩnh vực nào)."""

    row: int
    number: str
    title: str
    area: int | None
    chosen: bool = False  # True when the area is the user's choice, not the suggestion
    tasks: int = 0

    def label(self) -> str:
        """"I. Công tác chỉ đạo, điều hành về CCHC" (the title alone without a number)."""
        return f"{self.number}. {self.title}" if self.number else self.title


@dataclass(frozen=True)
class UnitChoice:
    """What to do with a unit name the catalogue does not know: ``action`` "map" (use
    ``unit`` for it and remember it as an alias of ``unit``) or "create" (a new unit)."""

    action: str
    unit: str = ""


@dataclass
class UnknownUnit:
    """A written unit name that matches no unit, name, short name or alias.

    ``choice`` is None until the user (GUI), ``--units-map`` or ``--create-units`` decides;
    the import writes nothing while any name is undecided.
    """

    written: str
    rows: list[int] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    choice: UnitChoice | None = None


@dataclass
class UnitSuggestion:
    """A unit name that matches a known unit only when diacritics are ignored.

    It is never merged silently: ``merged`` is True only when the user confirmed it;
    otherwise the unit is created as written.
    """

    written: str
    existing: str
    rows: list[int] = field(default_factory=list)
    merged: bool = False


@dataclass
class ImportReport:
    """The outcome of reading one sheet.

    ``problems`` holds (sheet row number, Vietnamese reason); when it is not empty nothing
    was written. ``committed`` is True once the changes are in the session.
    """

    kind: str  # "tasks" or "documents"
    file: str
    sheet: str
    header_row: int = 0
    columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rows_read: int = 0
    group_rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    created_units: list[str] = field(default_factory=list)
    suggestions: list[UnitSuggestion] = field(default_factory=list)
    created_documents: list[str] = field(default_factory=list)
    conversions: dict[str, int] = field(default_factory=dict)
    conversion_rows: dict[str, list[int]] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)  # guesses made, rows kept
    groups: list[GroupPreview] = field(default_factory=list)
    unknown_units: list[UnknownUnit] = field(default_factory=list)
    rows: list[ImportRow] = field(default_factory=list)  # task imports: every row read
    created_task_ids: list[int] = field(default_factory=list)  # once committed
    dry_run: bool = False
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not self.undecided_units

    @property
    def undecided_units(self) -> list[UnknownUnit]:
        """Unknown unit names nobody decided about yet: nothing is written while any remain."""
        return [u for u in self.unknown_units if u.choice is None]

    def unit_lines(self) -> list[str]:
        """Every undecided unit name with its rows and suggestions, one a line."""
        lines = []
        for u in self.undecided_units:
            rows = ", ".join(str(r) for r in u.rows[:10]) + (" ..." if len(u.rows) > 10 else "")
            hint = f"; gợi ý: {' | '.join(u.suggestions)}" if u.suggestions else ""
            lines.append(f"'{u.written}' (dòng {rows}){hint}")
        return lines

    def problem_lines(self, word: str = "row") -> list[str]:
        """Every bad row as "row N: reason" (``word`` = "Dòng" in the GUI), in sheet order."""
        return [f"{word} {row}: {reason}" for row, reason in sorted(self.problems)]

    def summary_lines(self) -> list[str]:
        """The report in Vietnamese, one fact a line (the CLI prints it, the GUI shows it)."""
        noun = "nhiệm vụ" if self.kind == "tasks" else "văn bản"
        lines = [
            (f"Tệp: {self.file} (trang '{self.sheet}')" if self.sheet != self.file
             else f"Nguồn: {self.file}") + f", dòng tiêu đề: {self.header_row}",
            f"Số dòng {noun} đọc được: {self.rows_read}"
            + (f"; {self.group_rows} dòng nhóm" if self.group_rows else ""),
        ]
        if self.ignored_columns:
            lines.append("Cột không dùng: " + "; ".join(self.ignored_columns))
        if self.problems:
            lines.append(
                f"Có {len(self.problems)} dòng chưa hợp lệ: chưa nhập dòng nào "
                + ("(sửa tệp rồi nhập lại)." if self.sheet != self.file
                   else "(sửa bảng rồi dán lại).")
            )
        elif self.undecided_units:
            lines.append(
                f"Có {len(self.undecided_units)} tên đơn vị chưa có trong danh mục: chưa nhập "
                "dòng nào (chọn đơn vị tương ứng hoặc cho phép tạo mới)."
            )
        else:
            verb = "Đã thêm" if self.committed else "Sẽ thêm"
            update = "cập nhật" if self.committed else "sẽ cập nhật"
            lines.append(
                f"{verb} {self.added} {noun}, {update} {self.updated}, "
                f"không đổi {self.unchanged}."
            )
        for encoding, cells in self.conversions.items():
            rows = self.conversion_rows.get(encoding, [])
            shown = ", ".join(str(r) for r in rows[:10]) + (" ..." if len(rows) > 10 else "")
            lines.append(
                f"Đã chuyển {cells} ô từ bảng mã {encoding} sang Unicode (dòng {shown})."
            )
        for g in self.groups:
            from cchc_desktop.domain.areas import area_label

            lines.append(f"Nhóm {g.label()} ({g.tasks} nhiệm vụ): lĩnh vực "
                         f"{area_label(g.area)}" + ("" if g.chosen else " (gợi ý)"))
        unread = [r for r in self.rows if not r.timing_understood]
        for r in unread:
            lines.append(f"Dòng {r.row}: chưa hiểu thời hạn '{r.timing}': cần nhập hạn")
        for row, text in sorted(self.warnings):
            lines.append(f"Dòng {row}: {text}")
        if self.created_units:
            lines.append("Đơn vị mới: " + "; ".join(self.created_units))
        for s in self.suggestions:
            row_list = ", ".join(str(r) for r in s.rows[:10])
            action = "gộp vào" if s.merged else "tạo mới, có thể trùng với"
            lines.append(f"Đơn vị '{s.written}' (dòng {row_list}): {action} '{s.existing}'")
        if self.created_documents:
            lines.append("Văn bản mới: " + "; ".join(self.created_documents))
        return lines
