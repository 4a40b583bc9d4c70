from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from tracker.models import Country, Institution, InstitutionKind, Membership, User
from tracker.roles import Role


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Faker("name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class InstitutionFactory(DjangoModelFactory[Institution]):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Ministry {n}")
    kind = InstitutionKind.MINISTRY


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = Role.FOCAL_POINT


class CountryFactory(DjangoModelFactory[Country]):
    class Meta:
        model = Country
        django_get_or_create = ["iso3"]

    iso3 = factory.Sequence(lambda n: f"X{n:02d}"[:3])
    names = factory.LazyAttribute(lambda c: {"en": f"Country {c.iso3}", "ar": f"بلد {c.iso3}"})
    is_un_member = True
