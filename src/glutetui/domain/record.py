"""Frozen value classes for the modules that `glutetui status` loads, without `dataclasses`.

A tmux line runs `glutetui status` every 15 seconds. Importing `dataclasses` (which
imports inspect, and with it ast, dis and tokenize) and then making fifteen classes with
it was a third of that command's time (benchmarks/RESULTS.md, "glutetui status"). `@record`
gives those classes what they used of `@dataclass(frozen=True)`: fields from the class's
annotations in order, defaults, positional or keyword construction, `__post_init__`,
`__eq__`, `__hash__`, `__repr__`, and no assignment after construction. Modules that
`status` does not load keep using `dataclasses`; a test keeps the two apart.
"""

from __future__ import annotations

_NO_DEFAULT = object()


class FrozenInstanceError(AttributeError):
    """Raised on assignment to a record, as dataclasses raises its namesake."""


def record(cls: type) -> type:
    """Make `cls` a frozen value class over its annotated fields."""
    names = tuple(cls.__dict__.get("__annotations__", {}))
    if any("ClassVar" in cls.__annotations__[name] for name in names):
        raise TypeError(f"{cls.__qualname__}: a record's annotations are all fields; give a constant no annotation")
    defaults = {name: cls.__dict__.get(name, _NO_DEFAULT) for name in names}
    _check_order(cls, names, defaults)
    cls.__init__ = _init_on_first_use(cls, names, defaults)
    cls.__record_fields__ = {name: cls.__annotations__[name] for name in names}
    cls.__eq__ = _eq
    cls.__hash__ = _hash
    cls.__repr__ = _repr
    cls.__setattr__ = _refuse
    cls.__delattr__ = _refuse
    cls.__match_args__ = names
    return cls


def fields(cls_or_record: object) -> dict[str, str]:
    """Field name to annotation text, in order, like `dataclasses.fields` without Field objects."""
    return dict(cls_or_record.__record_fields__)


def replace(value: object, /, **changes: object) -> object:
    """A copy of `value` with some fields changed, checked by `__init__` as a new record is."""
    current = {name: getattr(value, name) for name in value.__record_fields__}
    return type(value)(**{**current, **changes})


def _check_order(cls: type, names: tuple[str, ...], defaults: dict[str, object]) -> None:
    defaulted = False
    for name in names:
        if defaults[name] is not _NO_DEFAULT:
            defaulted = True
        elif defaulted:
            raise TypeError(f"{cls.__qualname__}: field {name!r} without a default follows one with a default")


def _init_on_first_use(cls: type, names: tuple[str, ...], defaults: dict[str, object]):
    """An `__init__` that compiles the real one, puts it on the class and calls it. Compiling
    is 0.2 ms a class, and most records the app loads are not made before its first paint
    (benchmarks/RESULTS.md, "Start-up")."""

    def __init__(self, *args, **kwargs) -> None:
        init = _make_init(cls, names, defaults)
        cls.__init__ = init
        init(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _make_init(cls: type, names: tuple[str, ...], defaults: dict[str, object]):
    parameters = [name if defaults[name] is _NO_DEFAULT else f"{name}=_defaults[{name!r}]" for name in names]
    lines = [f"    _set(self, {name!r}, {name})" for name in names]
    if hasattr(cls, "__post_init__"):
        lines.append("    self.__post_init__()")
    # Generated once per class, as dataclasses does, so that constructing a record (the
    # tracker makes thousands for a week's chart) costs one plain function call.
    source = f"def __init__(self, {', '.join(parameters)}):\n" + "\n".join(lines or ["    pass"])
    namespace = {"_set": object.__setattr__, "_defaults": defaults}
    exec(source, namespace)  # noqa: S102 - the source is built from the class's own field names
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _values(value: object) -> tuple:
    return tuple(getattr(value, name) for name in value.__record_fields__)


def _eq(self: object, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _values(self) == _values(other)


def _hash(self: object) -> int:
    return hash(_values(self))


def _repr(self: object) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_fields__)
    return f"{type(self).__qualname__}({shown})"


def _refuse(self: object, name: str, *args: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")
