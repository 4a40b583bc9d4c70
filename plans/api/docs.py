"""What the plans API's documentation shares: the error responses, and the writes a policy
covers."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample, OpenApiResponse

WRITES = ("create", "update", "partial_update", "destroy")

ERRORS = {
    400: OpenApiResponse(
        description='Invalid input: {"message": ..., "extra": {"fields": {...}}}',
        examples=[
            OpenApiExample(
                "Invalid input",
                value={
                    "message": "Some values are not valid.",
                    "extra": {"fields": {"ends_on": ["The end comes before the start."]}},
                },
            )
        ],
    ),
    403: OpenApiResponse(description="Not allowed to do this."),
    404: OpenApiResponse(description="No such row, or not one you may see."),
}
FROZEN = OpenApiResponse(
    description="The plan is adopted or closed: its content no longer changes.",
    examples=[
        OpenApiExample(
            "Frozen plan",
            value={
                "message": "The plan “National plan 2025-2029” is adopted: it can no longer be "
                "changed. Make a new version of it to change it.",
                "extra": {"code": "frozen", "plan": 3, "state": "adopted"},
            },
        )
    ],
)


def writes(check: Any, *extra: str) -> dict[str, Any]:
    return dict.fromkeys((*WRITES, *extra), check)
