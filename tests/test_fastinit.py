"""The cheaper ``__init__`` of :mod:`creditrules._fastinit` behaves as dataclasses' own.

Every class it rebuilds is compared with a plain twin made by dataclasses from the same fields:
the same signature, the same stored values for any mix of positional, keyword and omitted
arguments, the same errors for wrong calls, still frozen, and the same equality, hash and repr.
Shapes it does not reproduce are refused when the class is defined.
"""

from __future__ import annotations

import dataclasses
import inspect
import sys
import typing
from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditrules import decision, learner
from creditrules._fastinit import fast_init, is_fast_init

# the classes built on the hot path of evaluate: each must keep the cheaper __init__
EXPECTED = {
    decision: ("ConditionResult", "SlotCheck", "Tally", "Limit", "Target", "Conflict", "Exclusion", "Eligibility",
               "CandidateTrace", "RuleTrace", "Award", "Unused", "CategoryStatus", "Application", "StandardStamp",
               "SearchStats", "Decision"),
    learner: ("Achievement", "Fact"),
}

DECORATED = [getattr(module, name) for module, names in EXPECTED.items() for name in names]


def test_the_hot_classes_are_rebuilt_and_no_other_is_missed():
    assert all(is_fast_init(cls) for cls in DECORATED)
    found = {obj for module in EXPECTED for obj in vars(module).values()
             if isinstance(obj, type) and is_fast_init(obj)}
    assert found == set(DECORATED)


def _twin(cls: type) -> type:
    """A plain frozen slotted dataclass with the same fields: what dataclasses itself would build."""
    fields = [(f.name, f.type, dataclasses.field(default=f.default, default_factory=f.default_factory))
              for f in dataclasses.fields(cls)]
    twin = dataclasses.make_dataclass(cls.__name__, fields, frozen=True, slots=True)
    twin.__qualname__ = cls.__qualname__
    return twin


def _values(obj: object) -> list[Any]:
    return [getattr(obj, f.name) for f in dataclasses.fields(obj)]  # type: ignore[arg-type]


def _call(cls: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[str, Any]:
    try:
        obj = cls(*args, **kwargs)
    except TypeError as exc:
        return "error", str(exc)
    return "ok", _values(obj)


@pytest.mark.parametrize("cls", DECORATED, ids=lambda c: c.__name__)
def test_the_signature_and_fields_are_dataclasses_own(cls):
    twin = _twin(cls)
    assert str(inspect.signature(cls)) == str(inspect.signature(twin))
    assert [(f.name, f.default, f.default_factory) for f in dataclasses.fields(cls)] == [
        (f.name, f.default, f.default_factory) for f in dataclasses.fields(twin)]
    assert cls.__init__.__qualname__ == f"{cls.__qualname__}.__init__"
    assert cls.__init__.__annotations__ == twin.__init__.__annotations__
    # the annotations resolve in the class's module, as the generated __init__'s did
    assert cls.__init__.__globals__ is vars(sys.modules[cls.__module__])
    assert typing.get_type_hints(cls.__init__)


_VALUE = st.one_of(st.none(), st.integers(), st.text(max_size=3), st.tuples(st.integers()))


@pytest.mark.parametrize("cls", DECORATED, ids=lambda c: c.__name__)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_call_does_what_the_plain_dataclass_does(cls, data):
    twin = _twin(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    positional = data.draw(st.integers(0, len(names) + 1), label="positional")
    args = tuple(data.draw(_VALUE) for _ in range(positional))
    kwargs: dict[str, Any] = {}
    for name in names[max(0, positional - 1):]:  # sometimes one given twice, some left out
        if data.draw(st.booleans()):
            kwargs[name] = data.draw(_VALUE)
    if data.draw(st.booleans()):
        kwargs["not_a_field"] = 1
    assert _call(cls, args, kwargs) == _call(twin, args, kwargs)


@pytest.mark.parametrize("cls", DECORATED, ids=lambda c: c.__name__)
def test_still_frozen_and_replace_round_trips(cls):
    fields = dataclasses.fields(cls)
    values = {f.name: (f"v{i}",) for i, f in enumerate(fields)}
    obj = cls(**values)
    for f in fields:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, f.name, None)
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(obj, f.name)
    with pytest.raises((AttributeError, TypeError)):
        obj.not_a_field = 1  # type: ignore[attr-defined]
    assert dataclasses.replace(obj) is not obj
    assert _values(dataclasses.replace(obj)) == _values(obj)
    first = fields[0].name
    assert getattr(dataclasses.replace(obj, **{first: ("new",)}), first) == ("new",)
    assert dataclasses.astuple(obj) == dataclasses.astuple(_twin(cls)(**values))


def _shape(name: str) -> type:
    """A frozen slotted dataclass with a default, a default factory and a ClassVar, named `name`."""

    class Shape:
        a: int
        b: tuple[int, ...] = ()
        c: dict[str, int] = dataclasses.field(default_factory=dict, compare=False)
        d: ClassVar[int] = 7

    Shape.__name__ = Shape.__qualname__ = name
    return dataclasses.dataclass(frozen=True, slots=True)(Shape)


def test_defaults_factories_equality_hash_and_repr_are_unchanged():
    Plain: Any = _shape("Plain")
    Fast: Any = fast_init(_shape("Fast"))
    assert str(inspect.signature(Fast)) == str(inspect.signature(Plain)) == "(a: 'int', b: 'tuple[int, ...]' = (), " \
        "c: 'dict[str, int]' = <factory>) -> None"
    one, two = Fast(1), Fast(1)
    assert one.c == {} and one.c is not two.c  # a fresh value from the factory each time
    assert Fast(1, c={"x": 1}).c == {"x": 1} and Fast(a=1, b=(2,)).b == (2,)
    assert repr(Fast(1, (2,))) == repr(Plain(1, (2,))).replace("Plain", "Fast")
    assert Fast(1, (2,)) == Fast(1, (2,)) and Fast(1) != Fast(2)
    assert hash(Fast(1, (2,), {"x": 1})) == hash(Plain(1, (2,)))  # c is left out of eq and hash
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.a = 2


def test_post_init_is_called():
    seen = []

    @fast_init
    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        a: int

        def __post_init__(self) -> None:
            seen.append(self.a)
            if self.a < 0:
                raise ValueError("negative")

    Checked(3)
    with pytest.raises(ValueError, match="negative"):
        Checked(-1)
    assert seen == [3, -1]


PLAIN = "@dataclasses.dataclass(frozen=True, slots=True)"


def _declare(body: str, decorator: str) -> None:
    code = f"@fast_init\n{decorator}\nclass Shape:\n" + "".join(f"    {line}\n" for line in body.splitlines())
    # compiled apart from this module's `from __future__ import annotations`, so that dataclasses
    # sees InitVar and KW_ONLY as objects rather than as text it cannot resolve here
    exec(compile(code, "<shape>", "exec", dont_inherit=True), {"fast_init": fast_init, "dataclasses": dataclasses, "InitVar": dataclasses.InitVar,
                "KW_ONLY": dataclasses.KW_ONLY})


@pytest.mark.parametrize(("body", "decorator", "reason"), [
    ("a: InitVar[int]", PLAIN, "InitVar"),
    ("a: int = dataclasses.field(init=False, default=0)", PLAIN, "init=False"),
    ("_: KW_ONLY\na: int", PLAIN, "keyword-only"),
    ("a: int = dataclasses.field(kw_only=True)", PLAIN, "keyword-only"),
    ("a: int", "@dataclasses.dataclass(frozen=True)", "slotted"),
    ("a: int", "@dataclasses.dataclass(slots=True)", "frozen"),
    ("a: int", "@dataclasses.dataclass(frozen=True, slots=True, init=False)", "init=False"),
    ("a: int\ndef __init__(self, a): object.__setattr__(self, 'a', a)", PLAIN, "its own __init__"),
    ("self: int", PLAIN, "clash"),
    ("a: int", "", "above @dataclass"),
])
def test_shapes_it_does_not_reproduce_are_refused_when_declared(body, decorator, reason):
    with pytest.raises(TypeError, match=reason):
        _declare(body, decorator)
