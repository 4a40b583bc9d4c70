"""What the plan views share: the answer to a refused change, the safe return address."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from plans.frozen import FrozenError, ensure_not_frozen
from plans.models import ImplementationPlan
from tracker.exceptions import ConflictError


def conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
    """A change the plan refuses as it stands (an adopted plan is frozen; proposals wait): a
    409 page with the services' reason."""
    return render(request, "plans/conflict.html", {"message": exc.message}, status=409)


def next_url(request: HttpRequest, default: str) -> str:
    """Where to go back after a form: ``next`` if it is a path of this site, else ``default``."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


def frozen(request: HttpRequest, plan: ImplementationPlan) -> HttpResponse | None:
    """The 409 page when ``plan`` may no longer change (its form is not offered), else None."""
    try:
        ensure_not_frozen(plan)
    except FrozenError as exc:
        return conflict(request, exc)
    return None
