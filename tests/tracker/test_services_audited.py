"""Every service runs inside an audit context, so that every history event says who and why."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType

import pytest
from pghistory.models import Events

from tests.factories.recommendations import RecommendationFactory
from tracker.audit import audited

APPS = ("tracker", "recommendations", "plans", "reporting")


def _services_modules() -> list[ModuleType]:
    """Each app's ``services`` module, or every module of its ``services`` package."""
    modules = []
    for app in APPS:
        try:
            module = importlib.import_module(f"{app}.services")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.services":
                raise
            continue
        modules.append(module)
        package = getattr(module, "__path__", [])
        modules.extend(
            importlib.import_module(info.name)
            for info in pkgutil.walk_packages(package, f"{module.__name__}.")
        )
    return modules


def test_every_public_function_of_every_services_module_is_audited():
    checked, unaudited = [], []
    for module in _services_modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            checked.append(f"{module.__name__}.{name}")
            if getattr(function, "audit_action", None) != name:
                unaudited.append(f"{module.__name__}.{name}")
    assert "recommendations.services.imports.import_run_create" in checked
    assert unaudited == []


@audited
def recommendation_prioritise(*, actor, recommendation, priority):
    recommendation.priority = priority
    recommendation.save()


@pytest.mark.django_db
def test_an_audited_service_names_its_actor_and_itself_on_the_events(secretariat):
    recommendation = RecommendationFactory()
    recommendation_prioritise(actor=secretariat, recommendation=recommendation, priority="high")

    event = Events.objects.references(recommendation).get(pgh_label="update")
    assert event.pgh_context["action"] == "recommendation_prioritise"
    assert event.pgh_context["username"] == "secretariat"


@pytest.mark.django_db
def test_a_service_without_an_actor_is_recorded_as_the_system():
    recommendation = RecommendationFactory()
    recommendation_prioritise(actor=None, recommendation=recommendation, priority="low")

    event = Events.objects.references(recommendation).get(pgh_label="update")
    assert event.pgh_context["action"] == "recommendation_prioritise"
    assert event.pgh_context["user"] is None
