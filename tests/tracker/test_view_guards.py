"""Every view of ours carries a policy guard; every API view names its permission classes."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

OUR_APPS = ("tracker", "recommendations", "plans", "reporting")


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_view_of_ours_has_a_policy_guard():
    unguarded = []
    checked = 0
    for route, callback in _walk(get_resolver().url_patterns):
        module = getattr(callback, "__module__", "")
        if not module.startswith(OUR_APPS):
            continue
        checked += 1
        cls = getattr(callback, "cls", None)
        if cls is not None:
            if "permission_classes" not in vars(cls) and not any(
                "permission_classes" in vars(base)
                for base in cls.__mro__[1:]
                if base.__module__.startswith(OUR_APPS)
            ):
                unguarded.append(route)
        elif not hasattr(callback, "policy_guard"):
            unguarded.append(route)
    assert checked > 10
    assert unguarded == []
