"""Strict, positioned YAML: what domain experts type is what the engine sees.

PyYAML's safe loader follows YAML 1.1, where ``no`` is ``False``, ``0123`` is
octal 83 and ``2024-09-01`` is a date object. None of that is wanted in a
standard: here only ``true``/``false`` are booleans, only ``null``/``~`` is null,
numbers are plain decimal (``1e3`` and ``0123`` stay text), and dates stay
text until a model asks for a date. Duplicate keys, anchors/aliases, tabs in
indentation and documents that are too big or too deep are refused, with the
line and column. Every value's position is kept in a side table keyed by its
path, so later validation errors can point at the file, line and column too.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Diagnostic
from .safe_text import escape_controls, shown_key, surrogate_escape

Path = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000
MAX_DIGITS = 4300  # Python's own limit on int() of text

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)\.[0-9]+\Z")
# what YAML 1.2 readers (editors, yaml-language-server with the JSON Schema) take for a number, true/false or
# null in a plain scalar; creditrules reads the rest of these as text, so in a standard they are ambiguous
_OTHER_INT = re.compile(r"[-+]?[0-9]+\Z|0o[0-7]+\Z|0x[0-9a-fA-F]+\Z")
_OTHER_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z"
                          r"|[-+]?\.(inf|Inf|INF)\Z|\.(nan|NaN|NAN)\Z")
_OTHER_WORDS = {"True": True, "TRUE": True, "False": False, "FALSE": False, "Null": None, "NULL": None}
NOT_OTHER = object()


def other_readers_value(value: str) -> Any:
    """What a YAML 1.2 reader makes of a plain scalar that creditrules reads as text: a number, true/false or
    None; ``NOT_OTHER`` when it is text to them too."""
    if value in _OTHER_WORDS:
        return _OTHER_WORDS[value]
    if _OTHER_INT.match(value):
        return int(value, 8) if value.startswith("0o") else int(value, 16) if value.startswith("0x") else int(value)
    if _OTHER_FLOAT.match(value):
        return float(value.replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf")
                     .replace(".nan", "nan").replace(".NaN", "nan").replace(".NAN", "nan"))
    return NOT_OTHER


@dataclass(frozen=True)
class Positioned:
    """A parsed document and where each of its values stands in the file."""

    data: Any
    positions: dict[Path, tuple[int, int]]

    def locate(self, path: Path) -> tuple[int, int]:
        """Line and column of ``path``, or of its nearest ancestor that has one."""
        for cut in range(len(path), -1, -1):
            found = self.positions.get(tuple(path[:cut]))
            if found is not None:
                return found
        return (1, 1)


class YamlProblem(Exception):
    def __init__(self, line: int, column: int, code: str, message: str):
        super().__init__(message)
        self.line, self.column, self.code, self.message = line, column, code, message


@dataclass(frozen=True, slots=True)
class HugeNumber:
    """A whole number too long to read (over MAX_DIGITS digits), kept as its length so that a
    learner reader can reject the one record holding it instead of the whole file."""

    digits: int


# PyYAML counts NEL, LS and PS as line breaks, where editors and every other tool do not: a name
# holding one would shift every later line number. They are parsed as stand-in noncharacters and
# put back in the values, so they stay data (escaped by every output) and positions stay right.
_UNICODE_BREAKS = "\x85\u2028\u2029"
_STAND_INS = "\ufdd0\ufdd1\ufdd2"
_HIDE = str.maketrans(_UNICODE_BREAKS, _STAND_INS)
_RESTORE = str.maketrans(_STAND_INS, _UNICODE_BREAKS)


def _whole_characters(node: ScalarNode, value: str) -> None:
    """Refuse an escaped lone surrogate (``"\\ud800"``): half of a character, which no output can hold."""
    escape = surrogate_escape(value) if node.style == '"' else None  # only double quotes read escapes
    if escape is not None:
        raise YamlProblem(*_mark(node), "Y011", f"'{shown_key(value)}' holds {escape}, an escaped lone surrogate: "
                                                "half of a character, which no output can hold; write the "
                                                "character itself")


def _scalar(node: ScalarNode, keep_huge: bool, unambiguous: bool = False) -> Any:
    value = node.value.translate(_RESTORE)
    if node.style is not None:  # quoted or block scalar: always text
        _whole_characters(node, value)
        return value
    if value in ("true", "false"):
        return value == "true"
    if value in ("null", "~", ""):
        return None
    if _INT.match(value):
        digits = len(value.lstrip("+-"))
        if digits > MAX_DIGITS:
            if keep_huge:
                return HugeNumber(digits)
            line, column = _mark(node)
            raise YamlProblem(line, column, "Y005", f"a number has {digits} digits, over the limit of {MAX_DIGITS}")
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    if unambiguous:
        other = other_readers_value(value)
        if other is not NOT_OTHER:
            line, column = _mark(node)
            what = "true/false" if isinstance(other, bool) else "nothing (null)" if other is None else "a number"
            fix = (f"write {str(other).lower()} in lower case" if isinstance(other, bool) else "write null"
                   if other is None else f"write it as {_plain_number(other)}")
            raise YamlProblem(line, column, "Y010",
                              f"'{escape_controls(value)}' is text to creditrules but {what} to other YAML readers "
                              f"(editors, the JSON Schema); put it in quotes if it is text "
                              f"(\"{escape_controls(value)}\"), or {fix} if it is meant so")
    return value


def _plain_number(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _mark(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, keep_huge: bool, unambiguous: bool = False) -> None:
        self.positions: dict[Path, tuple[int, int]] = {}
        self.count = 0
        self.keep_huge = keep_huge
        self.unambiguous = unambiguous

    def build(self, node: Node, path: Path, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlProblem(*_mark(node), "Y005",
                              f"the document has more than {MAX_NODES} values; split it into smaller standards")
        if depth > MAX_DEPTH:
            raise YamlProblem(*_mark(node), "Y004", f"nesting is deeper than {MAX_DEPTH} levels")
        self.positions[path] = _mark(node)
        if isinstance(node, ScalarNode):
            return _scalar(node, self.keep_huge, self.unambiguous)
        if isinstance(node, SequenceNode):
            return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise YamlProblem(*_mark(key_node), "Y006", "a key must be plain text, not a list or mapping")
            if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                raise YamlProblem(*_mark(key_node), "Y003", "merge keys ('<<') are not allowed; write the values out")
            key = key_node.value.translate(_RESTORE)
            _whole_characters(key_node, key)
            if key in result:
                first = self.positions[path + (key,)]
                raise YamlProblem(*_mark(key_node), "Y002",
                                  f"duplicate key '{key}' (first defined on line {first[0]}); remove one of them")
            self.positions[path + (key,)] = _mark(key_node)
            result[key] = self.build(value_node, path + (key,), depth + 1)
            self.positions[path + (key,)] = _mark(key_node)
        return result


class _NoAliasComposer(yaml.SafeLoader):
    """Refuses anchors and aliases outright: they are the 'billion laughs' vector
    and nothing in a standard needs them."""

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlProblem(event.start_mark.line + 1, event.start_mark.column + 1, "Y003",
                              "anchors and aliases ('&name', '*name') are not allowed; write the values out")
        event = self.peek_event()
        tag = getattr(event, "tag", None)
        if tag is not None:
            shown = escape_controls("!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag)
            raise YamlProblem(event.start_mark.line + 1, event.start_mark.column + 1, "Y009",
                              f"the YAML tag '{shown}' is not allowed; remove it (write text in quotes "
                              "and numbers as they are)")
        if getattr(event, "anchor", None):
            raise YamlProblem(event.start_mark.line + 1, event.start_mark.column + 1, "Y003",
                              "anchors and aliases ('&name', '*name') are not allowed; write the values out")
        # stop deep nesting here, located, before PyYAML's own recursion runs out
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH + 1:
                raise YamlProblem(event.start_mark.line + 1, event.start_mark.column + 1, "Y004",
                                  f"nesting is deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self._depth -= 1


def _position(exc: yaml.YAMLError, text: str) -> tuple[int, int]:
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        return before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def _reason(exc: yaml.YAMLError) -> str:
    """PyYAML's problem, with its context and where that context started."""
    if isinstance(exc, yaml.reader.ReaderError):
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        return f"the control character U+{code:04X} is not allowed in YAML; remove it"
    if not isinstance(exc, yaml.MarkedYAMLError):
        return str(exc)
    problem = exc.problem or "invalid YAML"
    context = exc.context
    if not context:
        return problem
    mark = exc.context_mark
    if problem.startswith("but "):
        return f"{context}, {problem}"
    if mark is not None and exc.problem_mark is not None and mark.line != exc.problem_mark.line:
        return f"{problem} ({context} at line {mark.line + 1}, column {mark.column + 1})"
    return f"{context}, {problem}"


def max_file_bytes() -> int:
    """The size limit for one file: 2 MiB, or $CREDITRULES_MAX_FILE_BYTES when that is a positive number."""
    configured = os.environ.get("CREDITRULES_MAX_FILE_BYTES", "")
    return int(configured) if configured.isdigit() and int(configured) > 0 else MAX_FILE_BYTES


def read(path: os.PathLike[str] | str) -> bytes | Diagnostic:
    """A file's bytes, refusing one over the size limit before reading it into memory."""
    source = str(path)
    limit = max_file_bytes()
    try:
        with open(path, "rb") as handle:
            raw = handle.read(limit + 1)
    except OSError as exc:
        return Diagnostic(source, 0, 0, "E001", f"cannot read the file: {exc.strerror or exc}")
    if len(raw) > limit:
        try:
            size = os.stat(path).st_size if stat.S_ISREG(os.stat(path).st_mode) else 0
        except OSError:
            size = 0
        if not size:  # a device or a pipe (/dev/zero, a FIFO) that gives bytes without end
            return Diagnostic(source, 1, 1, "Y005", f"this is not a regular file, and it gives more than {limit} "
                                                    "bytes, the limit for one file; reading stopped there")
        return Diagnostic(source, 1, 1, "Y005", f"the file is {size} bytes, over the limit of {limit}; split it "
                                                "or raise CREDITRULES_MAX_FILE_BYTES")
    return raw


def decode(raw: bytes, source: str) -> str | Diagnostic:
    """Bytes to text: UTF-8 only (a BOM is accepted and dropped), CRLF folded."""
    limit = max_file_bytes()
    if len(raw) > limit:
        return Diagnostic(source, 1, 1, "Y005", f"the file is {len(raw)} bytes, over the limit of {limit}; split it "
                                                "or raise CREDITRULES_MAX_FILE_BYTES")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return Diagnostic(source, line, column, "Y001", "the file is not valid UTF-8; save it as UTF-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse(text: str, source: str, keep_huge: bool = False, unambiguous: bool = False) -> Positioned | Diagnostic:
    """Parse one YAML document strictly; a problem comes back as a Diagnostic. With ``keep_huge``,
    a number too long to read becomes a :class:`HugeNumber` instead of a problem (learner records). With
    ``unambiguous`` (standards), a plain value that other YAML readers take for a number, true/false or null
    but creditrules would read as text (``0123``, ``1e3``, ``True``) is a problem (Y010): the editor's JSON
    Schema and creditrules would disagree about it."""
    if not text.strip():
        return Diagnostic(source, 1, 1, "Y007", "the file is empty")
    for number, line in enumerate(text.split("\n"), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        if "\t" in line[:indent]:
            return Diagnostic(source, number, line.index("\t") + 1, "Y008",
                              "a tab is used for indentation; indent with spaces")
    if any(ch in text for ch in _UNICODE_BREAKS) and not any(ch in text for ch in _STAND_INS):
        text = text.translate(_HIDE)
    try:
        loader = _NoAliasComposer(text)
    except yaml.YAMLError as exc:  # the reader refuses control characters up front
        return Diagnostic(source, *_position(exc, text), "Y001", f"YAML syntax error: {_reason(exc)}")
    try:
        node = loader.get_single_node()
        if node is None or (isinstance(node, ScalarNode) and node.value == "" and node.style is None):
            return Diagnostic(source, 1, 1, "Y007", "the file is empty")
        builder = _Builder(keep_huge, unambiguous)
        data = builder.build(node, (), 0)
        return Positioned(data, builder.positions)
    except YamlProblem as problem:
        return Diagnostic(source, problem.line, problem.column, problem.code, problem.message)
    except yaml.YAMLError as exc:
        return Diagnostic(source, *_position(exc, text), "Y001", f"YAML syntax error: {_reason(exc)}")
    except RecursionError:
        return Diagnostic(source, 1, 1, "Y004", f"nesting is deeper than {MAX_DEPTH} levels")
    finally:
        loader.dispose()
