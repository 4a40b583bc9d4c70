"""Template helpers for the pages: the user's roles, query-string links, form fields, pagination."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.core.paginator import Page
from django.http import HttpRequest, QueryDict
from django.utils import translation
from django.utils.safestring import SafeString

from tracker.languages import localized as _localized
from tracker.roles import Role

register = template.Library()


@register.simple_tag(takes_context=True)
def user_roles(context: template.Context) -> set[str]:
    """The role values the signed-in user holds; superusers count as secretariat."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    roles = set(user.roles())
    if user.is_superuser:
        roles.add(Role.SECRETARIAT.value)
    return roles


@register.filter
def localized(values: dict[str, str] | None) -> str:
    """``{language: text}`` → the text in the active language, else English."""
    return _localized(values)


def _query(context: template.Context) -> QueryDict:
    request: HttpRequest | None = context.get("request")
    query = request.GET.copy() if request is not None else QueryDict(mutable=True)
    query.pop("page", None)
    return query


@dataclass
class FacetLink:
    href: str
    selected: bool


@register.simple_tag(takes_context=True)
def facet_link(context: template.Context, key: str, value: object) -> FacetLink:
    """A link that adds ``key=value`` to the current filters, or removes it when already there.

    The page number is dropped: a new filter starts at the first page.
    """
    query = _query(context)
    value = str(value)
    values = query.getlist(key)
    selected = value in values
    query.setlist(key, [v for v in values if v != value] if selected else [*values, value])
    encoded = query.urlencode()
    return FacetLink(href=f"?{encoded}" if encoded else "?", selected=selected)


@dataclass
class ActiveFilter:
    key: str
    field_label: str
    label: str
    href: str


@register.simple_tag(takes_context=True)
def active_filters(context: template.Context, filterset: Any, facets: Any) -> list[ActiveFilter]:
    """The filters in the query string, named for people, each with a link that removes it.

    Labels come from the facets already computed for the page and from the fields' fixed choices,
    so that naming the filters costs no query; a value found in neither is shown as given.
    """
    request: HttpRequest | None = context.get("request")
    if request is None:
        return []
    fields = filterset.form.fields
    facet_labels: dict[str, dict[str, str]] = {
        key: {f.value: f.label for f in values} for key, values in (facets or {}).items()
    }
    chips = []
    for key in request.GET:
        if key == "page" or key not in fields:
            continue
        field = fields[key]
        choices: dict[str, str] = {}
        if not isinstance(field, forms.ModelMultipleChoiceField):
            choices = {str(k): str(v) for k, v in getattr(field, "choices", [])}
        for value in request.GET.getlist(key):
            if not value.strip():
                continue
            label = facet_labels.get(key, {}).get(value) or choices.get(value) or value
            chips.append(
                ActiveFilter(
                    key=key,
                    field_label=str(field.label),
                    label=label,
                    href=facet_link(context, key, value).href,
                )
            )
    return chips


@dataclass
class PageLink:
    number: int | None  # None stands for the gap (…) between page numbers
    href: str
    current: bool


@register.simple_tag(takes_context=True)
def page_links(context: template.Context, page: Page) -> list[PageLink]:
    """Page numbers around the current one, with gaps: 1 … 4 5 6 … 20."""
    query = _query(context)
    links = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if not isinstance(number, int):
            links.append(PageLink(number=None, href="", current=False))
            continue
        query["page"] = str(number)
        links.append(
            PageLink(number=number, href=f"?{query.urlencode()}", current=number == page.number)
        )
    return links


@register.simple_tag
def field_widget(field: forms.BoundField, css_class: str = "") -> SafeString:
    """Render a form field's widget with Bootstrap's class and the ARIA links to its help and errors."""
    widget = field.field.widget
    if not css_class:
        if isinstance(widget, forms.CheckboxInput):
            css_class = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css_class = "form-select"
        else:
            css_class = "form-control"
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_help")
    if field.errors:
        css_class += " is-invalid"
        described_by.append(f"{field.auto_id}_errors")
    attrs: dict[str, str | bool] = {"class": css_class}
    if field.errors:
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def text_dir(language: str) -> str:
    """Writing direction of a language code: "rtl" for Arabic, "ltr" otherwise."""
    try:
        return "rtl" if translation.get_language_info(language)["bidi"] else "ltr"
    except KeyError:
        return "ltr"


@register.filter
def language_label(language: str) -> str:
    """The name of a language in the language of the page: "Arabic", « arabe »…"""
    try:
        return str(translation.get_language_info(language)["name_translated"])
    except KeyError:
        return language
