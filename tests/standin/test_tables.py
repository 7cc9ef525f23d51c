"""The site's indexed tables: what `having` finds stays right through every way a table is
written, copied and pickled."""

from __future__ import annotations

import copy
import pickle
from dataclasses import dataclass

import pytest

from moodle_client.standin.passage.operations import (
    PassageState,
    create_operation,
    find_by_key,
    passage_state,
)
from moodle_client.standin.site import Site, UserEnrolment
from moodle_client.standin.tables import Table


@dataclass
class Row:
    id: int
    courseid: int
    userid: int = 0


def table_of(*rows: Row) -> Table[Row]:
    return Table(by=("courseid", "userid"), rows=((r.id, r) for r in rows))


def ids_having(table: Table[Row], field: str, value: int) -> list[int]:
    return [r.id for r in table.having(field, value)]


def test_having_finds_rows_in_the_order_they_were_stored() -> None:
    table = table_of(Row(3, 10), Row(1, 20), Row(2, 10, userid=7))
    assert ids_having(table, "courseid", 10) == [3, 2]
    assert ids_having(table, "userid", 7) == [2]
    assert ids_having(table, "courseid", 99) == []
    with pytest.raises(KeyError):
        table.having("shortname", "x")


def test_replacing_a_row_files_it_under_its_new_value() -> None:
    table = table_of(Row(1, 10), Row(2, 10))
    table[1] = Row(1, 10, userid=5)  # same course: keeps its place there
    assert ids_having(table, "courseid", 10) == [1, 2]
    table[1] = Row(1, 20)
    assert ids_having(table, "courseid", 10) == [2]
    assert ids_having(table, "courseid", 20) == [1]
    assert ids_having(table, "userid", 5) == []


def test_a_row_changed_in_place_is_refiled_when_stored_again() -> None:
    row = Row(1, 10)
    table = table_of(row, Row(2, 20))
    row.courseid = 20
    del table[2]  # deleting another row does not disturb the stale entry's bookkeeping
    table[1] = row
    assert ids_having(table, "courseid", 10) == []
    assert ids_having(table, "courseid", 20) == [1]
    del table[1]  # removed from the group it is filed in now
    assert ids_having(table, "courseid", 20) == []


def test_deleting_popping_and_clearing_empty_the_index() -> None:
    table = table_of(Row(1, 10), Row(2, 10), Row(3, 20), Row(4, 20))
    del table[1]
    assert table.pop(2).id == 2
    assert table.pop(2, None) is None
    with pytest.raises(KeyError):
        table.pop(2)
    assert ids_having(table, "courseid", 10) == []
    assert table.popitem()[0] == 4
    assert ids_having(table, "courseid", 20) == [3]
    table.clear()
    assert not table and ids_having(table, "courseid", 20) == []


def test_update_setdefault_and_in_place_union_index_what_they_store() -> None:
    table = table_of()
    table.update({1: Row(1, 10)})
    table.update([(2, Row(2, 10))])
    assert table.setdefault(3, Row(3, 10)).id == 3
    assert table.setdefault(3, Row(3, 99)).courseid == 10
    table |= {4: Row(4, 10)}
    assert isinstance(table, Table)
    assert ids_having(table, "courseid", 10) == [1, 2, 3, 4]


def test_pickle_and_deepcopy_rebuild_the_index() -> None:
    table = table_of(Row(2, 10), Row(1, 10), Row(3, 20))
    for copied in (pickle.loads(pickle.dumps(table)), copy.deepcopy(table)):
        assert isinstance(copied, Table) and copied == table
        assert ids_having(copied, "courseid", 10) == [2, 1]
        copied[3] = Row(3, 10)
        assert ids_having(copied, "courseid", 10) == [2, 1, 3]
        assert ids_having(table, "courseid", 10) == [2, 1]


def test_writes_straight_into_a_site_table_are_indexed() -> None:
    # As the benchmark's seed writes its enrolments, bypassing the site's helpers.
    site = Site()
    category = site.add_category("Category 1")
    course = site.add_course("C1", "Course one", category=category.id)
    instance = site.add_enrol_instance(course.id, "manual")
    user = site.add_user("etu", "Eve", "Student")
    site.user_enrolments[50] = UserEnrolment(id=50, enrolid=instance.id, userid=user.id)
    assert site.users_enrolled(course.id) == {user.id: ["manual"]}


def test_moving_a_context_refiles_it_under_its_new_parent() -> None:
    site = Site()
    first = site.add_category("First")
    second = site.add_category("Second")
    course = site.add_course("C1", "Course one", category=first.id)
    below_course = site.child_context_ids(course.contextid)
    site.move_context(course.contextid, second.contextid)
    assert site.child_context_ids(first.contextid) == []
    assert site.child_context_ids(second.contextid) == [course.contextid, *below_course]


def test_a_state_file_saved_with_plain_dicts_loads_indexed() -> None:
    site = Site()
    category = site.add_category("Category 1")
    course = site.add_course("C1", "Course one", category=category.id)
    site.add_user_data("notes", courseid=course.id, userid=2)
    state = passage_state(site)
    create_operation(site, key="k", operation_type="reset", courseid=course.id, userid=2, params={})
    # What the tables were before they were indexed.
    for name, table in list(vars(site).items()):
        if isinstance(table, Table):
            setattr(site, name, dict(table))
    state.operations = dict(state.operations)  # type: ignore[assignment]

    loaded = pickle.loads(pickle.dumps(site))
    assert isinstance(loaded.user_data, Table)
    assert [r.kind for r in loaded.user_data_of(courseid=course.id)] == ["notes"]
    assert loaded.child_context_ids(category.contextid)[0] == course.contextid
    assert isinstance(loaded.extra["local_passage"], PassageState)
    found = find_by_key(loaded, "k", "reset", course.id)
    assert found is not None and found.key == "k"
