"""Unit cells of an imported task table resolved to the catalogue (see services/imports.py).

Known names (names, short names, aliases) resolve at once; a name the catalogue does not know
gets a provisional negative id and an :class:`UnknownUnit` entry, decided by the user's
choices, ``create_units`` or nobody (then the import writes nothing).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path

from sqlalchemy.orm import Session

from cchc_desktop.domain.text import fold, nfc
from cchc_desktop.errors import ValidationError
from cchc_desktop.importers.tasks_xlsx import ParsedTask
from cchc_desktop.importers.unit_cells import read_unit_cell
from cchc_desktop.services.import_report import UnitChoice, UnitSuggestion, UnknownUnit
from cchc_desktop.services.unit_matching import UnitMatcher, match_key
from cchc_desktop.store.file_errors import os_reason

__all__ = ["ImportUnits", "read_units_map", "units_of_row"]


class ImportUnits:
    """Resolves unit cells to ids; names new to the database get negative ids until written."""

    def __init__(self, session: Session, merge: bool | Collection[str], create: bool,
                 choices: Mapping[str, UnitChoice]) -> None:
        self.matcher = UnitMatcher(session)
        self.merge_all = merge is True
        self.merge_names = (
            {match_key(n) for n in merge} if not isinstance(merge, bool) else set()
        )
        self.create = create
        self.choices = {match_key(k): v for k, v in choices.items()}
        self.new: dict[int, str] = {}
        self.provisional: dict[str, int] = {}
        # match key -> (written name, unit name): aliases recorded when the import writes
        self.aliases: dict[str, tuple[str, str]] = {}
        self.suggestions: dict[str, UnitSuggestion] = {}
        self.unknown: dict[str, UnknownUnit] = {}
        self.cells: dict[str, list[str]] = {}
        # name -> (catalogue id or None, match key, same-but-diacritics unit): what
        # :meth:`resolve` reads of the catalogue, asked once per distinct name, not per row.
        self._seen: dict[str, tuple[int | None, str, tuple[int, str] | None]] = {}

    def cell(self, text: str | None, row: int, warnings: list[tuple[int, str]]) -> list[int]:
        """The ids of the units a cell names, in the order written."""
        names = self.cells.get(text or "")
        if names is None:  # plans repeat the same few cells: read each once
            names = self.cells[text or ""] = read_unit_cell(text, self.matcher.known)
        if len(names) > 1 and "," in (text or "") and not any(c in (text or "") for c in ";\n"):
            warnings.append((row, f"Đã tách '{' '.join((text or '').split())}' thành: "
                                  + "; ".join(names)))
        return list(dict.fromkeys(self.resolve(name, row) for name in names))

    def resolve(self, name: str, row: int) -> int:
        """The id of the unit ``name`` stands for: a known unit, the unit a choice maps it
        to, or a provisional negative id (a unit to create, or an undecided name)."""
        known, key, similar = self._catalogue(name)
        if known is not None:
            return known
        choice = self.choices.get(key)
        if choice is not None and choice.action == "map":
            unit_id = self.matcher.lookup(choice.unit)
            if unit_id is None:
                raise ValidationError(
                    f"Tên '{name}' được gán cho đơn vị '{choice.unit}', nhưng đơn vị này "
                    "không có trong danh mục.")
            self.aliases.setdefault(key, (name, choice.unit))
            self._unknown(name, row).choice = choice
            return unit_id
        if similar is not None:
            suggestion = self.suggestions.setdefault(key, UnitSuggestion(name, similar[1]))
            suggestion.rows.append(row)
            if self.merge_all or key in self.merge_names:
                suggestion.merged = True
                return similar[0]
        entry = self._unknown(name, row)
        if choice is not None or self.create:
            entry.choice = choice or UnitChoice("create")
        if key not in self.provisional:
            unit_id = -(len(self.new) + 1)
            self.new[unit_id] = name
            self.provisional[key] = unit_id
        return self.provisional[key]

    def _catalogue(self, name: str) -> tuple[int | None, str, tuple[int, str] | None]:
        """(id of the known unit, match key, unit equal but for diacritics) of ``name``."""
        found = self._seen.get(name)
        if found is None:
            known = self.matcher.lookup(name)
            similar = self.matcher.same_but_diacritics(name) if known is None else None
            found = self._seen[name] = (known, match_key(name), similar)
        return found

    def _unknown(self, name: str, row: int) -> UnknownUnit:
        key = self._catalogue(name)[1]
        entry = self.unknown.get(key)
        if entry is None:
            entry = self.unknown[key] = UnknownUnit(name, suggestions=self.matcher.suggestions(name))
        if not entry.rows or entry.rows[-1] != row:  # rows come in order: no list search
            entry.rows.append(row)
        return entry


def read_units_map(path: str | Path) -> dict[str, UnitChoice]:
    """A two-column file (name in the plan, unit) as choices: UTF-8 text with a tab, ";" or
    "," between the columns, or a workbook; a second column "+" or "mới" creates the unit."""
    from cchc_desktop.errors import UserError

    path = Path(path)
    rows: list[tuple[str, str]] = []
    if path.suffix.lower() in (".xlsx", ".xls", ".ods"):
        from cchc_desktop.importers.cells import cell_text
        from cchc_desktop.importers.sheet import read_sheet

        for _n, values in read_sheet(path).rows:
            cells = [cell_text(v) for v in values[:2]] + ["", ""]
            rows.append((cells[0], cells[1]))
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise UserError(f"Không đọc được tệp ánh xạ đơn vị {path}: {os_reason(exc)}.") from exc
        except UnicodeDecodeError as exc:
            raise UserError(f"Không đọc được tệp ánh xạ đơn vị {path}: tệp không phải văn bản "
                            "UTF-8 (hãy lưu lại dưới dạng UTF-8).") from exc
        for line in text.splitlines():
            for sep in ("\t", ";", ","):
                if sep in line:
                    written, unit = line.split(sep, 1)
                    rows.append((written, unit))
                    break
    choices: dict[str, UnitChoice] = {}
    for written, unit in rows:
        written, unit = " ".join(nfc(written).split()), " ".join(nfc(unit).split())
        if not written:
            continue
        if fold(unit) in ("+", "moi", "tao moi", "new"):
            choices[written] = UnitChoice("create")
        elif unit:
            choices[written] = UnitChoice("map", unit)
    return choices


def units_of_row(p: ParsedTask, units: ImportUnits, warnings: list[tuple[int, str]]
                  ) -> tuple[int | None, list[int] | None]:
    """(lead, supporting) of a row: two leads in one cell make the others supporting; a lead
    also listed as supporting is dropped from supporting; both with a warning."""
    leads = units.cell(p.lead_text, p.row, warnings) if p.lead_text.strip() else []
    support = None if p.support_text is None else units.cell(p.support_text, p.row, warnings)
    if not leads:
        return None, support
    lead, extra = leads[0], leads[1:]
    if extra:
        names = units.cells.get(p.lead_text) or read_unit_cell(p.lead_text, units.matcher.known)
        warnings.append((p.row, f"Nhiều đơn vị chủ trì: '{names[0]}' chủ trì, "
                                f"{', '.join(repr(n) for n in names[1:])} chuyển sang phối hợp"))
        support = list(dict.fromkeys([*extra, *(support or [])]))
    if support and lead in support:
        warnings.append((p.row, "Đơn vị chủ trì cũng có trong cột phối hợp: đã bỏ khỏi phối hợp"))
        support = [u for u in support if u != lead]
    return lead, support
