"""Finding standard files, parsing them strictly and validating them.

Every problem in every file is collected; validation errors from pydantic are
rewritten to ``file:line:col`` with the key path and a hint on how to fix it.
Decision-case files (``*.cases.yaml``) live beside standards and are skipped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import _yaml
from .errors import Diagnostic, Severity, StandardError, did_you_mean
from .hints import comma_split, operator_synonym
from .lookalike import unusual_note
from .model import Standard
from .walk import files_under

CASES_SUFFIXES = (".cases.yaml", ".cases.yml")
MAX_PROBLEMS_PER_FILE = 100  # a file of 150,000 unknown keys gets 100 messages and a count, not 150,000


@dataclass(frozen=True)
class SourceFile:
    """One standard as loaded: the model, where it came from, and its positions."""

    standard: Standard
    path: str
    content_hash: str
    positioned: _yaml.Positioned = field(repr=False, compare=False)

    def locate(self, *keys: str | int) -> tuple[int, int]:
        return self.positioned.locate(tuple(keys))


def is_standard_file(path: Path) -> bool:
    name = path.name
    return name.endswith((".yaml", ".yml")) and not name.endswith(CASES_SUFFIXES)


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Standard files under the given files or folders, sorted; missing paths are problems."""
    found: list[Path] = []
    problems: list[Diagnostic] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files, skipped = files_under(path, lambda name: is_standard_file(Path(name)))
            found.extend(files)
            problems.extend(Diagnostic(s.path, 0, 0, "E004", f"skipped: {s.reason}") for s in skipped)
        elif path.exists():
            found.append(path)  # named on purpose: a device or a pipe is read, up to the size limit
        else:
            problems.append(Diagnostic(str(path), 0, 0, "E001", "no such file or folder"))
    return sorted(set(found)), problems


def _hint(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return ""
    if kind == "string_type" and isinstance(error.get("input"), (int, float)):
        return "; put the value in quotes, e.g. \"2024.1\""
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return "; write the date as YYYY-MM-DD, e.g. 2024-09-01"
    if kind == "missing":
        return ""
    return ""


def _message(error: dict[str, Any], known_keys: Iterable[str]) -> str:
    loc = list(error["loc_path"])
    where = ".".join(str(p) for p in loc) or "(top level)"
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        known_keys = list(known_keys)
        synonym = operator_synonym(key) if "at_least" in known_keys else None
        hint = f" (did you mean '{synonym}'?)" if synonym else did_you_mean(key, known_keys)
        if not hint and (" " in key or key != key.strip()):
            return (f"unknown key '{key}'; if it is part of a value that contains a comma, put the whole "
                    "value in quotes")
        return f"unknown key '{key}'{hint}; remove it or fix its spelling"
    if kind == "missing":
        return f"'{where}' is required but missing"
    text = error["msg"]
    if kind == "string_pattern_mismatch":
        return f"{where}: {_pattern_message(error)}"
    if kind == "bool_type":
        return f"{where}: {text}; write true or false"
    if kind == "int_type":
        return f"{where}: {text}; write a whole number without quotes"
    if text.startswith("Value error, "):
        text = text[len("Value error, "):]
    return f"{where}: {text}{_hint(error)}"


_PATTERN_WORDS = {
    r"^[a-z0-9][a-z0-9._-]*$": "id", r"^[A-Za-z0-9][A-Za-z0-9+._-]*$": "code",
}
_PATTERN_HELP = {
    "id": "use lowercase letters, digits, '.', '_' and '-', starting with a letter or digit",
    "code": "use letters, digits, '+', '.', '_' and '-', starting with a letter or digit",
}


def _pattern_message(error: dict[str, Any]) -> str:
    what = _PATTERN_WORDS.get(str(error.get("ctx", {}).get("pattern")), "value")
    value = str(error.get("input"))
    return (f"'{value}' is not a valid {what}{unusual_note(value)}; "
            f"{_PATTERN_HELP.get(what, error['msg'])}")


def _model_keys(model: Any, loc: tuple[Any, ...]) -> list[str]:
    """Keys the model accepts at the parent of ``loc``, for 'did you mean'."""
    from pydantic import BaseModel

    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int) or current is None:
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        fields = {(f.alias or name): f for name, f in current.model_fields.items()}
        if part not in fields:
            # a dict key (rule slot attributes, catalog codes): stay on the dict's value type
            continue
        current = _inner_model(fields[part].annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [(f.alias or name) for name, f in current.model_fields.items()]
    return []


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    from pydantic import BaseModel

    stack = [annotation]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
        stack.extend(get_args(item))
    return None


def _loc_path(loc: tuple[Any, ...], data: Any) -> tuple[str | int, ...]:
    """The key path of a pydantic error location in the parsed document. pydantic mixes
    its own markers (union members, condition shapes) into locations; walking the
    document tells a real key from a marker, whatever the key looks like."""
    path: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        if (isinstance(current, dict) and part in current) or (
                isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)):
            current = current[part]
            path.append(part)
        elif index == len(loc) - 1 and isinstance(current, dict) and not _is_marker(part):
            path.append(part)  # a missing key: the error is about its absence
    return tuple(path)


def _is_marker(part: Any) -> bool:
    return isinstance(part, str) and (part in ("value", "list", "operators") or part.startswith("function-")
                                      or ("[" in part and part.endswith("]") and part.split("[")[0].isidentifier()))


def load_file(path: Path) -> SourceFile | list[Diagnostic]:
    """Parse and validate one standard file."""
    return _load_file(path)[0]


def _comma_message(error: dict[str, Any], path: tuple[str | int, ...], data: Any, text: str, line: int,
                   column: int) -> str | None:
    """An unknown key that is the rest of a value an unquoted comma cut off inside ``{…}``: say which value,
    and how to quote it."""
    if error["type"] != "extra_forbidden" or error.get("input") is not None or not path:
        return None
    key = path[-1]
    lines = text.split("\n")
    if not isinstance(key, str) or not 0 < line <= len(lines) or not comma_split(lines[line - 1], column, key):
        return None
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    keys = list(parent)
    place = keys.index(key)
    pieces = [key]
    for later in keys[place + 1:]:  # 'a, b, c': the pieces after this one belong to the value too
        if parent[later] is not None:
            break
        pieces.insert(0, later)
    for earlier in reversed(keys[:place]):
        if parent[earlier] is not None:
            whole = ", ".join([str(parent[earlier]), *reversed(pieces)])
            return (f"unknown key '{key}': the comma before it ends the value of '{earlier}' (in {{…}}, a comma "
                    f"separates keys); quote this value: {earlier}: \"{whole}\"")
        pieces.append(earlier)
    return None


def _load_file(path: Path) -> tuple[SourceFile | list[Diagnostic], str | None]:
    """The file or its problems, and the id it declares (so dependents can be skipped quietly)."""
    source = str(path)
    raw = _yaml.read(path)
    if isinstance(raw, Diagnostic):
        return [raw], None
    text = _yaml.decode(raw, source)
    if isinstance(text, Diagnostic):
        return [text], None
    positioned = _yaml.parse(text, source, unambiguous=True)
    if isinstance(positioned, Diagnostic):
        return [positioned], None
    if not isinstance(positioned.data, dict):
        found = type(positioned.data).__name__
        kinds = {"list": "a list", "str": "plain text", "int": "a number", "float": "a number", "bool": "true/false",
                 "NoneType": "nothing"}
        shown = kinds.get(found, found)
        return [Diagnostic(source, 1, 1, "E002",
                           f"a standard file must be a mapping of keys (id, version, rules…), not {shown}")], None
    try:
        standard = Standard.model_validate(positioned.data)
    except ValidationError as exc:
        problems = []
        seen = set()
        errors = exc.errors()
        for error in errors[:MAX_PROBLEMS_PER_FILE]:
            path_ = _loc_path(error["loc"], positioned.data)
            error["loc_path"] = path_
            line, column = positioned.locate(path_)
            message = _comma_message(error, path_, positioned.data, text, line, column) or \
                _message(error, _model_keys(Standard, path_))
            if (line, column, message) in seen:
                continue
            seen.add((line, column, message))
            problems.append(Diagnostic(source, line, column, "E100", message))
        if len(errors) > MAX_PROBLEMS_PER_FILE:
            rest = errors[MAX_PROBLEMS_PER_FILE]
            line, column = positioned.locate(_loc_path(rest["loc"], positioned.data))
            problems.append(Diagnostic(source, line, column, "E100",
                                       f"{len(errors) - MAX_PROBLEMS_PER_FILE} more problem(s) in this file are not "
                                       f"shown; fix the first {MAX_PROBLEMS_PER_FILE}, then validate again"))
        declared = positioned.data.get("id")
        return problems, declared if isinstance(declared, str) else None
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return SourceFile(standard, source, digest, positioned), standard.id




@dataclass(frozen=True)
class StandardLibrary:
    """Every loaded standard file, grouped by standard id."""

    files: tuple[SourceFile, ...]

    def versions(self, standard_id: str) -> list[SourceFile]:
        return sorted((f for f in self.files if f.standard.id == standard_id),
                      key=lambda f: (f.standard.effective.from_, f.standard.version))

    @property
    def ids(self) -> list[str]:
        return sorted({f.standard.id for f in self.files})


def load_partial(paths: Iterable[str | Path] | str | Path
                 ) -> tuple[StandardLibrary, list[Diagnostic], frozenset[str]]:
    """Load what can be loaded: the library of good files, every problem, and the ids
    declared by files that failed (so that their dependents are skipped, not reported)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = list(paths)
    files, problems = discover(paths)
    if not files and not problems:
        problems.append(Diagnostic(", ".join(str(p) for p in paths) or ".", 0, 0, "E001",
                                   "no standard files (*.yaml) found"))
    loaded: list[SourceFile] = []
    failed: set[str] = set()
    for path in files:
        result, declared = _load_file(path)
        if isinstance(result, list):
            problems.extend(result)
            if declared:
                failed.add(declared)
        else:
            loaded.append(result)
    problems.extend(_duplicate_versions(loaded))
    return StandardLibrary(tuple(loaded)), problems, frozenset(failed)


def load(paths: Iterable[str | Path] | str | Path) -> StandardLibrary:
    """Load every standard under ``paths``; raise StandardError listing all problems."""
    library, problems, _ = load_partial(paths)
    if any(p.severity is Severity.ERROR for p in problems):
        raise StandardError(problems)
    return library


def _duplicate_versions(files: list[SourceFile]) -> list[Diagnostic]:
    seen: dict[tuple[str, str], SourceFile] = {}
    problems = []
    for file in files:
        key = (file.standard.id, file.standard.version)
        if key in seen:
            line, col = file.locate("version")
            problems.append(Diagnostic(file.path, line, col, "E003",
                                       f"standard '{key[0]}' version '{key[1]}' is also defined in {seen[key].path}; "
                                       "give this one a new version"))
        else:
            seen[key] = file
    return problems
