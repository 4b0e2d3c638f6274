"""Open an export as sheets of rows, whatever it is on disk: CSV (UTF-8, with or without a BOM),
.xlsx (openpyxl, read-only and streamed) or .xls (xlrd). The kind is told by the file's first
bytes, never by its name. Rows are produced lazily, so memory does not follow the file's size."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Row = list[Any]

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
csv.field_size_limit(10 * 1024 * 1024)  # a caption may be long; a 10 MB cell is not a caption


class UnreadableFile(Exception):
    """The file is not a spreadsheet or CSV we can open (corrupt, encrypted, not UTF-8…)."""


@dataclass
class Workbook:
    """A file's sheets. CSV files have one sheet, named ""."""

    path: Path
    kind: str  # csv | xlsx | xls
    sheet_names: list[str]
    _book: Any = None
    _raw: Any = None  # the open binary file of a CSV, for progress
    _rows_read: int = 0
    size: int = field(default=0)

    def rows(self, sheet: str) -> Iterator[Row]:
        """Every row of `sheet`, from row 1. Each call starts again from the top."""
        if self.kind == "csv":
            return self._csv_rows()
        if self.kind == "xlsx":
            return self._xlsx_rows(sheet)
        return self._xls_rows(sheet)

    def head(self, sheet: str, count: int) -> list[Row]:
        rows: list[Row] = []
        for row in self.rows(sheet):
            rows.append(row)
            if len(rows) >= count:
                break
        if self.kind == "csv" and self._raw is not None:
            self._raw.close()
            self._raw = None
        return rows

    def progress(self) -> tuple[int, int | None]:
        """(done, total): bytes of a CSV file, rows of a workbook (total unknown)."""
        if self.kind == "csv":
            raw = self._raw
            try:
                return (raw.tell() if raw is not None and not raw.closed else self.size), self.size
            except (OSError, ValueError):
                return self.size, self.size
        return self._rows_read, None

    def close(self) -> None:
        if self._raw is not None:
            self._raw.close()
            self._raw = None
        if self.kind == "xlsx" and self._book is not None:
            self._book.close()
        elif self.kind == "xls" and self._book is not None:
            self._book.release_resources()
        self._book = None

    def _csv_rows(self) -> Iterator[Row]:
        if self._raw is not None:
            self._raw.close()
        raw = self._raw = self.path.open("rb")
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        try:
            yield from csv.reader(text)
        except UnicodeDecodeError:
            raise UnreadableFile(
                "it is not UTF-8 text (save it as CSV UTF-8 and try again)"
            ) from None
        except csv.Error as exc:
            raise UnreadableFile(f"it is not readable as CSV ({exc})") from None

    def _xlsx_rows(self, sheet: str) -> Iterator[Row]:
        try:
            for row in self._book[sheet].iter_rows(values_only=True):
                self._rows_read += 1
                yield list(row)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
            raise UnreadableFile(f"the spreadsheet is damaged ({type(exc).__name__})") from None

    def _xls_rows(self, sheet: str) -> Iterator[Row]:
        import xlrd

        try:
            book_sheet = self._book.sheet_by_name(sheet)
            for index in range(book_sheet.nrows):
                self._rows_read += 1
                yield [self._xls_value(cell) for cell in book_sheet.row(index)]
        except (xlrd.XLRDError, IndexError, ValueError) as exc:
            raise UnreadableFile(f"the spreadsheet is damaged ({exc})") from None

    def _xls_value(self, cell: Any) -> Any:
        import xlrd

        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                return xlrd.xldate_as_datetime(cell.value, self._book.datemode)
            except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                return cell.value
        if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return None
        return cell.value


def open_workbook(path: Path) -> Workbook:
    try:
        with path.open("rb") as handle:
            magic = handle.read(8)
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFile(f"it cannot be read ({exc.strerror})") from None
    if size == 0:
        raise UnreadableFile("it is empty")
    if magic.startswith(_XLSX_MAGIC):
        return _open_xlsx(path, size)
    if magic.startswith(_XLS_MAGIC):
        return _open_xls(path, size)
    if b"\x00" in magic:
        raise UnreadableFile("it is neither CSV text nor a spreadsheet")
    return Workbook(path=path, kind="csv", sheet_names=[""], size=size)


def _open_xlsx(path: Path, size: int) -> Workbook:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        OSError,
        ValueError,
        EOFError,
    ) as exc:
        raise UnreadableFile(
            f"it is not a readable .xlsx spreadsheet ({type(exc).__name__})"
        ) from None
    return Workbook(
        path=path, kind="xlsx", sheet_names=list(book.sheetnames), _book=book, size=size
    )


def _open_xls(path: Path, size: int) -> Workbook:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as exc:  # a damaged file can fail the reader in any way (CompDocError…)
        raise UnreadableFile(f"it is not a readable .xls spreadsheet ({exc})") from None
    return Workbook(
        path=path, kind="xls", sheet_names=list(book.sheet_names()), _book=book, size=size
    )
