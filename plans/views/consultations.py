"""Consultations on the plan: their list and each one's page, for signed-in people (their
minutes name people)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from plans import selectors
from tracker.decorators import member_view
from tracker.policies import as_actor

PAGE_SIZE = 25


@member_view
@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    actor = as_actor(request.user)
    result = selectors.consultation_list(actor=actor, filters=request.GET)
    page = Paginator(result.queryset.order_by("-held_on", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "filterset": result.filterset}
    return render(
        request,
        "plans/consultation_list.html",
        context,
        status=200 if result.is_valid else 400,
    )


@member_view
@require_GET
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    consultation = selectors.consultation_get(actor=actor, pk=pk)
    parts = selectors.consultation_parts(actor=actor, consultation=consultation)
    context = {"consultation": consultation, **vars(parts)}
    return render(request, "plans/consultation_detail.html", context)
