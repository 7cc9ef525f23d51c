"""A platform's concurrency limit is a lease semaphore shared by every worker: never more
holders than the limit, and a dead holder's slot comes back when its lease runs out."""

from __future__ import annotations

import time

import pytest
from django.conf import settings

from tests.factories import MoodleInstanceFactory
from transition.engine.concurrency import DatabaseSemaphore, RedisSemaphore

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["redis", "database"])
def semaphore(request):
    if request.param == "redis":
        return RedisSemaphore(settings.CELERY_BROKER_URL)
    return DatabaseSemaphore()


def test_never_more_holders_than_the_limit(semaphore) -> None:
    instance = MoodleInstanceFactory(concurrency_limit=2)
    taken = [
        semaphore.acquire(instance_id=instance.pk, limit=2, holder=f"job-{n}", lease=10)
        for n in range(4)
    ]
    assert taken == [True, True, False, False]
    assert sorted(semaphore.holders(instance_id=instance.pk)) == ["job-0", "job-1"]
    # Renewing a held slot is not taking a new one.
    assert semaphore.acquire(instance_id=instance.pk, limit=2, holder="job-0", lease=10)
    semaphore.release(instance_id=instance.pk, holder="job-0")
    assert semaphore.acquire(instance_id=instance.pk, limit=2, holder="job-3", lease=10)
    assert not semaphore.acquire(instance_id=instance.pk, limit=2, holder="job-4", lease=10)


def test_a_slot_whose_lease_ran_out_is_free_again(semaphore) -> None:
    instance = MoodleInstanceFactory(concurrency_limit=1)
    assert semaphore.acquire(instance_id=instance.pk, limit=1, holder="dead-worker", lease=0.2)
    assert not semaphore.acquire(instance_id=instance.pk, limit=1, holder="job-2", lease=10)
    time.sleep(0.3)
    assert semaphore.acquire(instance_id=instance.pk, limit=1, holder="job-2", lease=10)
    assert semaphore.holders(instance_id=instance.pk) == ["job-2"]
