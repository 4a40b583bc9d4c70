"""What is still unplanned in a plan: recommendations no measure addresses, measures with no
indicator, no lead institution or no budget; each a list with its count."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from plans import policies, selectors
from tracker.decorators import public_view
from tracker.policies import as_actor

PAGE_SIZE = 50


@public_view
@require_GET
def plan_unplanned(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    actor = as_actor(request.user)
    plan = selectors.plan_get(actor=actor, pk=pk)
    if kind not in selectors.UNPLANNED_KINDS:
        raise Http404
    rows = selectors.plan_unplanned(actor=actor, plan=plan, kind=kind)
    context = {
        "plan": plan,
        "kind": kind,
        "counts": selectors.plan_unplanned_counts(actor=actor, plan=plan),
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_edit": policies.can_create_measure(actor, plan) and not plan.is_frozen,
    }
    return render(request, "plans/plan_unplanned.html", context)
