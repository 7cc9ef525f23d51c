"""Each Moodle platform's concurrency limit, held across every worker on every machine.

A slot is a lease: a holder takes one of `MoodleInstance.concurrency_limit` slots until an
expiry it renews while it works (`Heartbeat` does). A worker that dies stops renewing, and its
slot is free again once the lease runs out; nothing has to clean up after it.

With Redis (production, tests, benchmark) the leases are a sorted set per platform, changed by
one Lua script so that counting and taking a slot is atomic. Without Redis (the demo) the same
contract is kept by `InstanceLease` rows claimed with `SELECT ... FOR UPDATE SKIP LOCKED`.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from functools import cache
from typing import Protocol

import redis
from django.conf import settings
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from transition.models import InstanceLease, MoodleInstance

logger = logging.getLogger(__name__)


class Semaphore(Protocol):
    def acquire(self, *, instance_id: int, limit: int, holder: str, lease: float) -> bool:
        """Take (or renew) a slot for `holder`; False when all `limit` slots are taken."""

    def release(self, *, instance_id: int, holder: str) -> None: ...

    def holders(self, *, instance_id: int) -> list[str]:
        """The holders of unexpired leases."""

    def wait_for_release(self, *, instance_id: int, timeout: float) -> None:
        """Return when a slot of the platform was given back, or after `timeout` seconds."""


# KEYS[1] the platform's sorted set; ARGV: now, limit, holder, expiry. Expired leases are
# dropped; a holder already in renews; a new holder gets in only under the limit.
_ACQUIRE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[4], ARGV[3])
  return 1
end
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[4], ARGV[3])
  return 1
end
return 0
"""


# How many release notices a platform keeps for workers not yet waiting.
_RELEASED_KEPT = 64


class RedisSemaphore:
    def __init__(self, url: str) -> None:
        self._redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._acquire = self._redis.register_script(_ACQUIRE)

    @staticmethod
    def _key(instance_id: int) -> str:
        return f"passage:moodle-slots:{instance_id}"

    @staticmethod
    def _released_key(instance_id: int) -> str:
        return f"passage:moodle-slots-released:{instance_id}"

    def acquire(self, *, instance_id: int, limit: int, holder: str, lease: float) -> bool:
        now = time.time()
        taken = self._acquire(keys=[self._key(instance_id)], args=[now, limit, holder, now + lease])
        return bool(taken)

    def release(self, *, instance_id: int, holder: str) -> None:
        if self._redis.zrem(self._key(instance_id), holder):
            # Wakes one waiting worker at once: a slot left idle until the next poll is time
            # the platform could have worked. The list is kept short and expires, so notices
            # nobody waited for only cost a spare look later.
            released = self._released_key(instance_id)
            pipe = self._redis.pipeline()
            pipe.lpush(released, holder)
            pipe.ltrim(released, 0, _RELEASED_KEPT - 1)
            pipe.expire(released, 60)
            pipe.execute()

    def holders(self, *, instance_id: int) -> list[str]:
        members = self._redis.zrangebyscore(self._key(instance_id), time.time(), "+inf")
        return [member.decode() for member in members]

    def wait_for_release(self, *, instance_id: int, timeout: float) -> None:
        # Below the connection's socket timeout (a wait cut short only means one more look),
        # and at least Redis's millisecond: a timeout it rounds to 0 would block for ever.
        wait = min(max(timeout, 0.01), 1.0)
        self._redis.blpop([self._released_key(instance_id)], timeout=wait)


class DatabaseSemaphore:
    def acquire(self, *, instance_id: int, limit: int, holder: str, lease: float) -> bool:
        now = timezone.now()
        InstanceLease.objects.bulk_create(
            [InstanceLease(instance_id=instance_id, slot=slot) for slot in range(limit)],
            ignore_conflicts=True,
        )
        with transaction.atomic():
            free = (
                InstanceLease.objects.select_for_update(skip_locked=True)
                .filter(instance_id=instance_id, slot__lt=limit)
                .filter(Q(holder=holder) | Q(holder="") | Q(expires_at__lt=now))
                .order_by(
                    Case(
                        When(holder=holder, then=Value(0)),
                        default=Value(1),
                        output_field=IntegerField(),
                    ),
                    "slot",
                )
                .first()
            )
            if free is None:
                return False
            free.holder = holder
            free.expires_at = now + timedelta(seconds=lease)
            free.save(update_fields=["holder", "expires_at"])
        return True

    def release(self, *, instance_id: int, holder: str) -> None:
        InstanceLease.objects.filter(instance_id=instance_id, holder=holder).update(
            holder="", expires_at=None
        )

    def holders(self, *, instance_id: int) -> list[str]:
        return list(
            InstanceLease.objects.filter(instance_id=instance_id, expires_at__gte=timezone.now())
            .exclude(holder="")
            .values_list("holder", flat=True)
        )

    def wait_for_release(self, *, instance_id: int, timeout: float) -> None:
        time.sleep(timeout)


@cache
def _semaphore_for(broker_url: str) -> Semaphore:
    if broker_url.startswith(("redis://", "rediss://")):
        return RedisSemaphore(broker_url)
    return DatabaseSemaphore()


def instance_semaphore() -> Semaphore:
    """Redis where Celery's broker is Redis, the database otherwise (the demo)."""
    return _semaphore_for(str(getattr(settings, "CELERY_BROKER_URL", "") or ""))


def slot_acquire(
    *, instance: MoodleInstance, holder: str, lease: float, wait: float, poll: float
) -> bool:
    """Wait up to `wait` seconds for a slot of `instance`; False if none came free (or the
    semaphore's store cannot be reached: the job then waits in the queue, nothing is lost).
    Between looks it waits for a slot to be given back, at most `poll` seconds."""
    semaphore = instance_semaphore()
    deadline = time.monotonic() + wait
    while True:
        try:
            if semaphore.acquire(
                instance_id=instance.pk,
                limit=instance.concurrency_limit,
                holder=holder,
                lease=lease,
            ):
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            semaphore.wait_for_release(instance_id=instance.pk, timeout=min(poll, left))
        except redis.RedisError as error:
            logger.warning("Moodle slot store unreachable: %s", error)
            return False


def slot_renew(*, instance: MoodleInstance, holder: str, lease: float) -> bool:
    try:
        return instance_semaphore().acquire(
            instance_id=instance.pk,
            limit=instance.concurrency_limit,
            holder=holder,
            lease=lease,
        )
    except redis.RedisError as error:
        logger.warning("Moodle slot store unreachable: %s", error)
        return False


def slot_release(*, instance: MoodleInstance, holder: str) -> None:
    try:
        instance_semaphore().release(instance_id=instance.pk, holder=holder)
    except redis.RedisError as error:
        # The lease expires by itself.
        logger.warning("Moodle slot store unreachable: %s", error)
