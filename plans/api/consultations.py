"""The plans API: consultations and their documents (uploaded and read here only)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from plans import filters, policies, selectors, services
from plans.models import (
    Consultation,
)
from tracker.policies import Actor

from . import serializers as s
from .base import ServiceViewSet
from .docs import ERRORS, writes

# --- consultations ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(description="Signed-in people read the consultations."),
    create=extend_schema(
        request=s.ConsultationInputSerializer,
        responses={201: s.ConsultationSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "A consultation",
                value={
                    "held_on": "2025-02-15",
                    "title": "Validation workshop with civil society",
                    "participants": [4, 9, 12],
                    "recommendations": [101, 102],
                    "summary": "The draft plan was discussed measure by measure.",
                },
                request_only=True,
            )
        ],
    ),
    partial_update=extend_schema(
        request=s.ConsultationInputSerializer, responses={200: s.ConsultationSerializer, **ERRORS}
    ),
    update=extend_schema(
        request=s.ConsultationInputSerializer, responses={200: s.ConsultationSerializer, **ERRORS}
    ),
)
class ConsultationViewSet(ServiceViewSet[Consultation]):
    serializer_class = s.ConsultationSerializer
    input_serializer_class = s.ConsultationInputSerializer
    filterset_class = filters.ConsultationFilter
    write_checks = writes(policies.can_edit_consultation, "documents", "document")
    object_checks = writes(policies.can_edit_consultation, "documents", "document")

    def read_allowed(self, actor: Actor) -> bool:
        return policies.can_view_consultations(actor)

    def selector(self) -> QuerySet[Consultation]:
        return selectors.consultation_queryset(actor=self.actor)

    def service_create(self, data: dict[str, Any]) -> Consultation:
        return services.consultation_create(actor=self.actor, **data)

    def service_update(self, obj: Consultation, data: dict[str, Any]) -> Consultation:
        return services.consultation_update(actor=self.actor, consultation=obj, **data)

    def service_delete(self, obj: Consultation) -> None:
        services.consultation_delete(actor=self.actor, consultation=obj)

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # A file is sent whatever the client accepts; errors are JSON.
        return super().perform_content_negotiation(
            request, force=force or self.action == "document"
        )

    @extend_schema(
        methods=["GET"], request=None, responses={200: s.ConsultationDocumentSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": s.ConsultationDocumentInputSerializer},
        responses={201: s.ConsultationDocumentSerializer, **ERRORS},
        description="Upload a document (multipart: `file`, `title`): PDF, Word, Excel, "
        "OpenDocument text, PNG or JPEG, told from its content; 20 MB at most by default.",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def documents(self, request: Request, pk: str | None = None) -> Response:
        """The consultation's documents; the secretariat uploads one with POST."""
        consultation = self.get_object()
        if request.method == "GET":
            data = s.ConsultationDocumentSerializer(
                consultation.documents.all(), many=True, context=self.get_serializer_context()
            ).data
            return Response(data)
        payload = self.validated(s.ConsultationDocumentInputSerializer)
        document = services.consultation_document_add(
            actor=self.actor, consultation=consultation, **payload
        )
        return Response(
            s.ConsultationDocumentSerializer(document, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        methods=["GET"],
        request=None,
        responses={(200, "*/*"): OpenApiTypes.BINARY, 404: ERRORS[404]},
        description="The file, to those who may read the consultation.",
    )
    @extend_schema(methods=["DELETE"], request=None, responses={204: None, **ERRORS})
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path=r"documents/(?P<document_pk>[0-9]+)",
        url_name="document",
    )
    def document(self, request: Request, pk: str | None = None, document_pk: str = "") -> Any:
        """Read a document's file; the secretariat deletes it with DELETE."""
        consultation = self.get_object()
        document = selectors.consultation_document_get(
            actor=self.actor, consultation=consultation, pk=document_pk
        )
        if request.method == "DELETE":
            services.consultation_document_delete(actor=self.actor, document=document)
            return Response(status=status.HTTP_204_NO_CONTENT)
        try:
            handle = document.file.open("rb")
        except OSError:
            raise NotFound("The file of this document is missing.") from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=document.file.name.rsplit("/", 1)[-1],
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
