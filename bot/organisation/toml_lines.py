"""Where each key and list entry of a TOML file is written: tomllib gives values, not positions.

Only ever run on text tomllib has already accepted, so it can read TOML simply: headers, keys
(bare, quoted, dotted), arrays and inline tables over several lines, strings of every kind and
comments. Paths count array entries from 0, like pydantic's error locations:
("departments", 1, "rules", 0, "contributors", 2)."""

from __future__ import annotations

import bisect
import json
import re

Path = tuple[str | int, ...]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_SPACE = " \t"


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.found: dict[Path, int] = {}
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, pos: int | None = None) -> int:
        return bisect.bisect_right(self._line_starts, self.pos if pos is None else pos)

    def peek(self, n: int = 1) -> str:
        return self.text[self.pos : self.pos + n]

    def skip_space(self, *, newlines: bool = False) -> None:
        """Blanks (and, inside arrays, newlines and comments)."""
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in _SPACE or (newlines and ch in "\r\n"):
                self.pos += 1
            elif newlines and ch == "#":
                self.skip_line()
            else:
                return

    def skip_line(self) -> None:
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end < 0 else end + 1

    def key(self) -> list[str]:
        """A key, dotted or not: ['a', 'b'] for a."b"."""
        parts: list[str] = []
        while True:
            self.skip_space()
            ch = self.peek()
            if ch in {'"', "'"}:
                start = self.pos
                self.string()
                raw = self.text[start + 1 : self.pos - 1]
                parts.append(_unescape(raw) if ch == '"' else raw)
            else:
                match = _BARE.match(self.text, self.pos)
                if match is None:
                    return parts
                parts.append(match.group())
                self.pos = match.end()
            self.skip_space()
            if self.peek() != ".":
                return parts
            self.pos += 1

    def string(self) -> None:
        quote = self.peek()
        triple = self.peek(3) == quote * 3
        self.pos += 3 if triple else 1
        close = quote * 3 if triple else quote
        while self.pos < len(self.text):
            if quote == '"' and self.text[self.pos] == "\\":
                self.pos += 2
                continue
            if self.text.startswith(close, self.pos):
                self.pos += len(close)
                while triple and self.peek() == quote:  # up to two quotes may end the string
                    self.pos += 1
                return
            self.pos += 1

    def value(self, path: Path) -> None:
        self.skip_space()
        ch = self.peek()
        if ch == "[":
            self.pos += 1
            index = 0
            while True:
                self.skip_space(newlines=True)
                if self.peek() in {"]", ""}:
                    self.pos += 1
                    return
                self.found[(*path, index)] = self.line()
                self.value((*path, index))
                self.skip_space(newlines=True)
                if self.peek() == ",":
                    self.pos += 1
                    index += 1
        elif ch == "{":
            self.pos += 1
            while True:
                self.skip_space(newlines=True)
                if self.peek() in {"}", ""}:
                    self.pos += 1
                    return
                line = self.line()
                key = (*path, *self.key())
                self.found[key] = line
                self.skip_space()
                self.pos += 1  # "="
                self.value(key)
                self.skip_space(newlines=True)
                if self.peek() == ",":
                    self.pos += 1
        elif ch in {'"', "'"}:
            self.string()
        else:
            while self.pos < len(self.text) and self.text[self.pos] not in ",]}\n#":
                self.pos += 1


def key_lines(text: str) -> dict[Path, int]:
    """Each table, key and array entry of the file → the line (from 1) it starts on."""
    reader = _Reader(text)
    arrays: dict[Path, int] = {}  # array of tables → how many items so far
    table: Path = ()
    while reader.pos < len(text):
        reader.skip_space()
        ch = reader.peek()
        if ch in {"\r", "\n", "#", ""}:
            reader.skip_line()
            continue
        line = reader.line()
        if ch == "[":
            is_array = reader.peek(2) == "[["
            reader.pos += 2 if is_array else 1
            parts = reader.key()
            if is_array:
                parent = _resolve(parts[:-1], arrays)
                name = (*parent, parts[-1])
                index = arrays.get(name, 0)
                arrays[name] = index + 1
                reader.found.setdefault(name, line)
                table = (*name, index)
            else:
                table = _resolve(parts, arrays)
            reader.found.setdefault(table, line)
            reader.skip_line()
            continue
        path = (*table, *reader.key())
        reader.found[path] = line
        reader.skip_space()
        reader.pos += 1  # "="
        reader.value(path)
        reader.skip_line()
    return reader.found


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    try:
        return str(json.loads(f'"{raw}"'))
    except ValueError:
        return raw


def _resolve(parts: list[str], arrays: dict[Path, int]) -> Path:
    """A header's key as a path: each array of tables on the way means its latest item."""
    path: Path = ()
    for part in parts:
        path = (*path, part)
        if path in arrays:
            path = (*path, arrays[path] - 1)
    return path


def line_of(found: dict[Path, int], loc: Path) -> int | None:
    """The line of loc, or of the nearest enclosing thing written in the file (a missing key:
    its table's header)."""
    for end in range(len(loc), 0, -1):
        if loc[:end] in found:
            return found[loc[:end]]
    return None
