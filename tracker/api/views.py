"""Institutions in the API: the directory of who takes part in follow-up."""

from __future__ import annotations

from rest_framework import permissions, serializers, viewsets

from tracker.models import Institution


class InstitutionSerializer(serializers.ModelSerializer[Institution]):
    class Meta:
        model = Institution
        fields = ["id", "name", "acronym", "kind", "parent", "website", "is_active"]


class InstitutionViewSet(viewsets.ReadOnlyModelViewSet[Institution]):
    """The institutions are public: the portal names who is responsible for what."""

    permission_classes = [permissions.AllowAny]
    queryset = Institution.objects.filter(is_active=True)
    serializer_class = InstitutionSerializer
    filterset_fields = ["kind"]
