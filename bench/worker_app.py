"""The Celery app the benchmark's workers run: Passage's, plus counters of the CPU time and
SQL queries each task costs, added up in Redis (`bench:*`)."""

from __future__ import annotations

import resource
import threading
from functools import cache
from typing import Any

import redis
from celery.signals import task_postrun, task_prerun, worker_process_init
from django.conf import settings
from django.db.backends.signals import connection_created
from django.dispatch import receiver

from portal.celery import app

__all__ = ["app"]

_lock = threading.Lock()
_queries = 0
_started: dict[str, tuple[float, int]] = {}


def _count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    global _queries
    with _lock:
        _queries += 1
    return execute(sql, params, many, context)


@receiver(connection_created)
def _wrap(sender: Any, connection: Any, **kwargs: Any) -> None:
    if _count not in connection.execute_wrappers:
        connection.execute_wrappers.append(_count)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@cache
def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


@worker_process_init.connect
def _ready(**kwargs: Any) -> None:
    _redis().incr("bench:ready")


@task_prerun.connect
def _before(task_id: str, **kwargs: Any) -> None:
    _started[task_id] = (_cpu(), _queries)


@task_postrun.connect
def _after(task_id: str, task: Any = None, retval: Any = None, **kwargs: Any) -> None:
    cpu, queries = _started.pop(task_id, (_cpu(), _queries))
    name = task.name if task is not None else "unknown"
    pipe = _redis().pipeline()
    pipe.incrbyfloat(f"bench:cpu_seconds:{name}", _cpu() - cpu)
    pipe.incrby(f"bench:queries:{name}", _queries - queries)
    pipe.incr(f"bench:tasks:{name}")
    if name == "transition.engine.run_job":
        pipe.incr(f"bench:outcome:{retval}")
    pipe.execute()
