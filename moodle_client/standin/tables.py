"""The stand-in site's tables: records by id that also find records by the value of a field.

Moodle answers "the rows of course 42" from a database index; the stand-in's `Table` does the
same for the fields it is told to index, so a course's work does not grow with the number of
courses on the site. A `Table` is a dict of records by id (code reads and writes it as one) that
keeps, per indexed field, the ids of the records holding each value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Generic, Self, TypeVar

Record = TypeVar("Record")


class Table(dict[int, Record], Generic[Record]):
    """Records by id, indexed by the fields named in `by`.

    `having(field, value)` gives the records holding `value` in `field`, in the order they were
    stored, which is the order iterating the table gives them. An indexed field changed in place
    is seen once the record is stored again (`table[id] = record`); the record then comes last
    among those holding its new value.
    """

    def __init__(self, by: tuple[str, ...] = (), rows: Iterable[tuple[int, Record]] = ()) -> None:
        super().__init__()
        self.by = by
        # field -> value -> the ids holding it (a dict used as an ordered set).
        self._ids_by_value: dict[str, dict[Any, dict[int, None]]] = {name: {} for name in by}
        # id -> the indexed values as last stored, so a record leaves the groups it was filed in.
        self._filed: dict[int, tuple[Any, ...]] = {}
        self.update(rows)

    def having(self, field: str, value: Any) -> list[Record]:
        """The records whose `field` is `value`; `field` must be one the table indexes."""
        return [self[i] for i in self._ids_by_value[field].get(value, ())]

    # ---------------------------------------------------------------- writes keep the index

    def __setitem__(self, key: int, record: Record) -> None:
        super().__setitem__(key, record)
        values = tuple(getattr(record, name) for name in self.by)
        filed = self._filed.get(key)
        if filed == values:
            return
        for position, name in enumerate(self.by):
            if filed is not None and filed[position] == values[position]:
                continue
            groups = self._ids_by_value[name]
            if filed is not None:
                self._leave(groups, filed[position], key)
            groups.setdefault(values[position], {})[key] = None
        self._filed[key] = values

    def __delitem__(self, key: int) -> None:
        super().__delitem__(key)
        self._unfile(key)

    def pop(self, key: int, *default: Any) -> Any:
        if key not in self:
            return super().pop(key, *default)  # the default, or KeyError
        record = super().pop(key)
        self._unfile(key)
        return record

    def popitem(self) -> tuple[int, Record]:
        key, record = super().popitem()
        self._unfile(key)
        return key, record

    def clear(self) -> None:
        super().clear()
        self._filed.clear()
        for groups in self._ids_by_value.values():
            groups.clear()

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, record in dict(*args, **kwargs).items():
            self[key] = record

    def setdefault(self, key: int, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    # dict's own |= would store the items without indexing them; typeshed types dict's `|`
    # as giving a plain dict, which mypy will not let `|=` differ from.
    def __ior__(self, other: Any) -> Self:  # type: ignore[misc,override]
        self.update(other)
        return self

    def _unfile(self, key: int) -> None:
        filed = self._filed.pop(key)
        for position, name in enumerate(self.by):
            self._leave(self._ids_by_value[name], filed[position], key)

    @staticmethod
    def _leave(groups: dict[Any, dict[int, None]], value: Any, key: int) -> None:
        group = groups[value]
        del group[key]
        if not group:
            del groups[value]

    # ---------------------------------------------------------------- copies

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle and deepcopy store the items through __setitem__ after calling Table(by),
        # so the index is rebuilt rather than stored.
        return (type(self), (self.by,), None, None, iter(self.items()))
