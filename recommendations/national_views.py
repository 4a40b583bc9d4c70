"""The secretariat's pages for the national follow-up of recommendations: clusters (and the
clusters suggested by the themes), bulk assignment from the list page, cluster and priority of
one recommendation, related recommendations, taxonomy review, recommendations entered by hand."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tracker.decorators import member_view
from tracker.exceptions import ApplicationError, ConflictError
from tracker.policies import as_actor

from . import policies, selectors, services
from .forms import (
    BulkAssignForm,
    ClusterForm,
    ManualRecommendationForm,
    NationalFieldsForm,
    RelatedForm,
    SuggestionAcceptForm,
    TermActionForm,
)
from .models import AffectedGroup, Mechanism, Theme
from .views import render_detail


def _apply_errors(form: forms.Form, exc: ApplicationError) -> None:
    fields = exc.extra.get("fields")
    if isinstance(fields, dict) and fields:
        for name, errors in fields.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, str(error))
    else:
        form.add_error(None, exc.message)


@member_view
@require_http_methods(["GET", "POST"])
def cluster_list(request: HttpRequest) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_manage_clusters(actor)
    form = ClusterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("is_active")
        try:
            cluster = services.cluster_create(actor=actor, **data)
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The cluster %(name)s was created.") % {"name": cluster})
            return redirect("recommendations:cluster-list")
    context = {"form": form, "clusters": selectors.cluster_list(actor=actor)}
    status = 400 if request.method == "POST" else 200
    return render(request, "recommendations/cluster_list.html", context, status=status)


@member_view
@require_http_methods(["GET", "POST"])
def cluster_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_manage_clusters(actor)
    cluster = get_object_or_404(selectors.cluster_list(actor=actor), pk=pk)
    initial = {
        "code": cluster.code or "",
        "name": cluster.name,
        "description": cluster.description,
        "lead_institution": cluster.lead_institution_id,
        "is_active": cluster.is_active,
    }
    form = ClusterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.cluster_update(actor=actor, cluster=cluster, **form.cleaned_data)
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The cluster was saved."))
            return redirect("recommendations:cluster-list")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "recommendations/cluster_form.html",
        {"form": form, "cluster": cluster},
        status=status,
    )


@member_view
@require_http_methods(["GET", "POST"])
def cluster_suggestions(request: HttpRequest) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_manage_clusters(actor)
    form = SuggestionAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cluster, assigned = services.cluster_suggestion_accept(
                actor=actor, theme=data["theme"], name=data["name"], code=data["code"] or None
            )
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "The cluster %(name)s was created with %(count)d recommendation.",
                    "The cluster %(name)s was created with %(count)d recommendations.",
                    assigned,
                )
                % {"name": cluster.name, "count": assigned},
            )
            return redirect("recommendations:cluster-suggestions")
    context = {"form": form, "suggestions": selectors.cluster_suggestions(actor=actor)}
    status = 400 if request.method == "POST" else 200
    return render(request, "recommendations/cluster_suggestions.html", context, status=status)


@member_view
@require_POST
def recommendation_assign(request: HttpRequest) -> HttpResponse:
    """Bulk assignment from the list page: the checked recommendations, or every one matching
    the list's filter (``scope=all``)."""
    actor = as_actor(request.user)
    policies.ensure_can_manage_clusters(actor)
    form = BulkAssignForm(request.POST)
    query = request.POST.get("query", "").lstrip("?")
    back = reverse("recommendations:recommendation-list") + (f"?{query}" if query else "")
    if not form.is_valid():
        messages.error(request, _("Choose a cluster and the recommendations to assign."))
        return redirect(back)
    data = form.cleaned_data
    if data["scope"] == "all":
        ids = selectors.recommendation_filtered_ids(actor=actor, filters=QueryDict(query))
        if ids is None:
            messages.error(request, _("The filter is not valid: nothing was assigned."))
            return redirect(back)
    else:
        ids = data["ids"]
    if not ids:
        messages.warning(request, _("No recommendation was selected: nothing was assigned."))
        return redirect(back)
    try:
        changed = services.recommendation_cluster_assign(
            actor=actor, cluster=data["cluster"], recommendation_ids=ids
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    target = data["cluster"].name if data["cluster"] else _("no cluster")
    messages.success(
        request,
        ngettext(
            "%(count)d recommendation moved to %(cluster)s (%(total)d selected).",
            "%(count)d recommendations moved to %(cluster)s (%(total)d selected).",
            changed,
        )
        % {"count": changed, "cluster": target, "total": len(ids)},
    )
    return redirect(back)


@member_view
@require_POST
def recommendation_national(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the cluster and priority of one recommendation, from the version the form showed."""
    actor = as_actor(request.user)
    recommendation = selectors.recommendation_get(actor=actor, pk=pk)
    policies.ensure_can_edit_recommendation(actor, recommendation)
    form = NationalFieldsForm(request.POST, current=recommendation.cluster_id)
    status = 400
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.recommendation_set_national_fields(
                actor=actor, recommendation=recommendation, expected_version=version, **data
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
            status = 409
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The cluster and priority were saved."))
            return redirect("recommendations:recommendation-detail", pk=pk)
    return render_detail(request, actor, recommendation, national_form=form, status=status)


@member_view
@require_POST
def recommendation_related(request: HttpRequest, pk: int) -> HttpResponse:
    """Link, unlink, confirm or dismiss a related recommendation."""
    actor = as_actor(request.user)
    recommendation = selectors.recommendation_get(actor=actor, pk=pk)
    policies.ensure_can_edit_recommendation(actor, recommendation)
    form = RelatedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a recommendation."))
        return redirect("recommendations:recommendation-detail", pk=pk)
    other = get_object_or_404(
        policies.visible_recommendations(actor), pk=form.cleaned_data["other"]
    )
    action = form.cleaned_data["action"]
    service: Any = {
        "link": services.related_suggestion_confirm,
        "confirm": services.related_suggestion_confirm,
        "unlink": services.recommendation_unlink_related,
        "dismiss": services.related_suggestion_dismiss,
    }[action]
    try:
        service(actor=actor, recommendation=recommendation, other=other)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            {
                "link": _("The recommendations are linked."),
                "confirm": _("The recommendations are linked."),
                "unlink": _("The link was removed."),
                "dismiss": _("The suggestion was dismissed; it will not be suggested again."),
            }[action],
        )
    return redirect(reverse("recommendations:recommendation-detail", args=[pk]) + "#related")


TERM_KINDS = {
    "theme": (Theme, "name"),
    "affected_group": (AffectedGroup, "name"),
    "mechanism": (Mechanism, "code"),
}


@member_view
@require_http_methods(["GET"])
def taxonomy_review(request: HttpRequest) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_review_taxonomy(actor)
    pending = selectors.unreviewed_terms()
    sections = [
        {
            "kind": kind,
            "title": title,
            "terms": pending[kind],
            "targets": list(
                TERM_KINDS[kind][0]
                ._default_manager.filter(is_reviewed=True)
                .order_by(TERM_KINDS[kind][1])
            )
            if pending[kind]
            else [],
        }
        for kind, title in (
            ("theme", _("Themes")),
            ("affected_group", _("Affected groups")),
            ("mechanism", _("Mechanisms")),
        )
    ]
    return render(request, "recommendations/taxonomy_review.html", {"sections": sections})


@member_view
@require_POST
def taxonomy_term(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept, rename or merge one entry of the review list (its kind in the form)."""
    actor = as_actor(request.user)
    policies.ensure_can_review_taxonomy(actor)
    kind = request.POST.get("kind", "")
    if kind not in TERM_KINDS:
        return HttpResponse(status=400)
    model = TERM_KINDS[kind][0]
    term: Any = get_object_or_404(model._default_manager.all(), pk=pk)
    form = TermActionForm(request.POST)
    back = redirect("recommendations:taxonomy-review")
    if not form.is_valid():
        messages.error(request, _("Choose what to do with this entry."))
        return back
    data = form.cleaned_data
    try:
        if data["action"] == "accept":
            services.taxonomy_term_accept(actor=actor, term=term)
            messages.success(request, _("%(term)s was accepted.") % {"term": term})
        elif data["action"] == "rename":
            renamed = services.taxonomy_term_rename(actor=actor, term=term, name=data["name"])
            messages.success(request, _("Renamed to %(term)s.") % {"term": renamed})
        else:
            into: Any = get_object_or_404(model._default_manager.all(), pk=data["into"] or 0)
            services.taxonomy_term_merge(actor=actor, term=term, into=into)
            messages.success(
                request, _("%(term)s was merged into %(into)s.") % {"term": term, "into": into}
            )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return back


@member_view
@require_http_methods(["GET", "POST"])
def recommendation_create(request: HttpRequest) -> HttpResponse:
    actor = as_actor(request.user)
    policies.ensure_can_enter_recommendations(actor)
    form = ManualRecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recommendation = services.recommendation_create_manual(
                actor=actor,
                entry=services.ManualRecommendation(
                    mechanism_code=data["mechanism"],
                    family=data["family"],
                    document=services.SourceDocument(
                        symbol=data["symbol"],
                        title=data["title"],
                        url=data["url"],
                        publication_date=data["publication_date"],
                    ),
                    text=data["text"],
                    language=data["language"],
                    paragraph=data["paragraph"],
                    annotation_type=data["annotation_type"],
                    position=data["position"],
                    publication_state=data["publication_state"],
                    theme_ids=[theme.pk for theme in data["themes"]],
                ),
            )
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The recommendation was entered."))
            return redirect("recommendations:recommendation-detail", pk=recommendation.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "recommendations/recommendation_form.html", {"form": form}, status=status
    )
