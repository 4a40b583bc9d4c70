"""Import runs in the API: the secretariat reads them and may start one."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from recommendations import policies, services
from recommendations.importers.languages import COMMAND_CHOICES
from recommendations.models import FeedLanguage, ImportFormat, ImportIssue, ImportRun
from recommendations.validators import validate_one_source, validate_upload
from tracker.api.permissions import policy_permission
from tracker.models import Country
from tracker.policies import as_actor


class ImportIssueSerializer(serializers.ModelSerializer[ImportIssue]):
    class Meta:
        model = ImportIssue
        fields = ["row", "annotation_id", "field", "reason", "raw_value", "severity"]


class ImportRunSerializer(serializers.ModelSerializer[ImportRun]):
    country: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="iso3", read_only=True, allow_null=True
    )
    triggered_by: serializers.StringRelatedField[Any] = serializers.StringRelatedField()

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "source",
            "format",
            "country",
            "language",
            "dry_run",
            "applies",
            "status",
            "error",
            "triggered_by",
            "created_at",
            "started_at",
            "finished_at",
            "rows_read",
            "created",
            "updated",
            "unchanged",
            "withdrawn",
            "rejected",
            "skipped",
            "dispatched_at",
            "attempts",
            "interruptions",
        ]
        extra_kwargs = {
            "dispatched_at": {
                "help_text": "When the run was handed to the workers; null while it waits for the "
                "message broker (it is sent by itself when the broker is back)."
            }
        }


class ImportRunInputSerializer(serializers.Serializer[Any]):
    source = serializers.URLField(required=False, max_length=1000)  # type: ignore[assignment]
    upload = serializers.FileField(required=False)
    format = serializers.ChoiceField(choices=ImportFormat.choices, required=False)
    country = serializers.SlugRelatedField(
        slug_field="iso3", queryset=Country.objects.all(), required=False, allow_null=True
    )
    language = serializers.ChoiceField(
        choices=sorted({*COMMAND_CHOICES, *FeedLanguage.values}),
        required=False,
        help_text="The language of the feed's texts; by default told by the source's name or texts.",
    )
    dry_run = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        validate_one_source(source=attrs.get("source"), upload=attrs.get("upload"))
        # The size was checked as the body arrived (TRACKER_UPLOAD_MAX_MB, tracker/uploads.py).
        if attrs.get("upload") is not None:
            validate_upload(attrs["upload"], attrs.get("format") or "")
        return attrs


class ImportRunViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[ImportRun]):
    permission_classes = [policy_permission(policies.can_import)]
    serializer_class = ImportRunSerializer

    def get_queryset(self) -> QuerySet[ImportRun]:
        return ImportRun.objects.select_related("country", "triggered_by")

    @extend_schema(request=ImportRunInputSerializer, responses={201: ImportRunSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = ImportRunInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        run = services.import_run_create(
            actor=as_actor(request.user),
            source=data.get("source", ""),
            upload=data.get("upload"),
            format=data.get("format", ""),
            country=data.get("country"),
            dry_run=data["dry_run"],
            language=data.get("language", ""),
        )
        return Response(ImportRunSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: ImportRunSerializer, 200: ImportRunSerializer})
    @action(detail=True, methods=["post"])
    def apply(self, request: Request, pk: str | None = None, format: str | None = None) -> Response:
        """Import for real what this dry run showed (the same source and options). If that was
        asked before, the run it started (unless it failed), with 200."""
        dry_run = self.get_object()
        run, created = services.import_run_apply(actor=as_actor(request.user), dry_run=dry_run)
        return Response(
            ImportRunSerializer(run).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(responses=ImportIssueSerializer(many=True))
    @action(detail=True)
    def issues(
        self, request: Request, pk: str | None = None, format: str | None = None
    ) -> Response:
        run = self.get_object()
        # The view's pagination, over another model than the view's own.
        page = self.paginate_queryset(cast("QuerySet[Any]", run.issues.all()))
        return self.get_paginated_response(ImportIssueSerializer(page, many=True).data)
