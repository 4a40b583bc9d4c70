from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from recommendations.models import (
    Cluster,
    Document,
    Mechanism,
    MechanismFamily,
    PublicationState,
    Recommendation,
    RecommendationText,
    Theme,
)

from .tracker import InstitutionFactory


class MechanismFactory(DjangoModelFactory[Mechanism]):
    class Meta:
        model = Mechanism
        django_get_or_create = ["code"]

    code = "UPR"
    family = MechanismFamily.UPR
    names = factory.LazyAttribute(lambda m: {"en": m.code})


class DocumentFactory(DjangoModelFactory[Document]):
    class Meta:
        model = Document

    symbol = factory.Sequence(lambda n: f"A/HRC/49/{n}")
    mechanism = factory.SubFactory(MechanismFactory)


class ThemeFactory(DjangoModelFactory[Theme]):
    class Meta:
        model = Theme
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Theme {n}")


class ClusterFactory(DjangoModelFactory[Cluster]):
    class Meta:
        model = Cluster

    name = factory.Sequence(lambda n: f"Cluster {n}")
    lead_institution = factory.SubFactory(InstitutionFactory)


class RecommendationFactory(DjangoModelFactory[Recommendation]):
    class Meta:
        model = Recommendation

    document = factory.SubFactory(DocumentFactory)
    paragraph = factory.Sequence(lambda n: f"136.{n + 1}")
    publication_state = PublicationState.PUBLISHED
    text = "Ratify the Optional Protocol to the Convention against Torture."

    class Params:
        draft = factory.Trait(publication_state=PublicationState.DRAFT)
        archived = factory.Trait(publication_state=PublicationState.ARCHIVED)

    @classmethod
    def _create(
        cls, model_class: type[Recommendation], *args: object, **kwargs: object
    ) -> Recommendation:
        text = str(kwargs.pop("text"))
        obj = super()._create(model_class, *args, **kwargs)
        RecommendationText.objects.create(recommendation=obj, language="en", text=text)
        return obj
