import pytest

from caredesk.customers.ids import member_ids_allocate

pytestmark = pytest.mark.django_db


def test_member_ids_are_sequential_and_unique():
    first = member_ids_allocate(3)
    second = member_ids_allocate(1)
    numbers = [int(m[1:]) for m in first + second]
    assert numbers == list(range(numbers[0], numbers[0] + 4))
    assert all(len(m) == 8 and m.startswith("M") for m in first)
