"""A Redis cache that a Redis outage does not turn into server errors: while Redis is away, reads
miss and writes are dropped (logged once a minute), and pages keep serving. Nothing this app keeps
in the cache is needed for correctness (rate-limit counters, at worst, restart from zero)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = 0.0


def _warn(exc: BaseException) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning("cache unavailable, served without it: %s", exc)


def _tolerant(method: Callable[..., Any], fallback: Callable[..., Any]) -> Callable[..., Any]:
    def call(self: RedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except UNAVAILABLE as exc:
            _warn(exc)
            return fallback(*args, **kwargs)

    call.__name__ = method.__name__
    call.__doc__ = method.__doc__
    return call


def _default(key: Any, default: Any = None, *args: Any, **kwargs: Any) -> Any:
    return default


class TolerantRedisCache(RedisCache):
    get = _tolerant(RedisCache.get, _default)
    get_many = _tolerant(RedisCache.get_many, lambda *a, **k: {})
    has_key = _tolerant(RedisCache.has_key, lambda *a, **k: False)
    add = _tolerant(RedisCache.add, lambda *a, **k: False)
    set = _tolerant(RedisCache.set, lambda *a, **k: None)
    set_many = _tolerant(RedisCache.set_many, lambda data, *a, **k: list(data))
    touch = _tolerant(RedisCache.touch, lambda *a, **k: False)
    delete = _tolerant(RedisCache.delete, lambda *a, **k: False)
    delete_many = _tolerant(RedisCache.delete_many, lambda *a, **k: None)
    incr = _tolerant(RedisCache.incr, lambda key, delta=1, *a, **k: delta)
    clear = _tolerant(RedisCache.clear, lambda *a, **k: None)
