"""Pagination that refuses a malformed ``limit`` or ``offset`` instead of ignoring it."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.pagination import LimitOffsetPagination


class StrictLimitOffsetPagination(LimitOffsetPagination):
    max_limit = 500

    def _checked(self, request: Any, name: str, minimum: int) -> None:
        raw = request.query_params.get(name)
        if raw is None:
            return
        try:
            value = int(raw)
        except ValueError:
            raise exceptions.ValidationError({name: ["Must be a whole number."]}) from None
        if value < minimum:
            raise exceptions.ValidationError({name: [f"Must be at least {minimum}."]})

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        self._checked(request, self.limit_query_param, 1)
        self._checked(request, self.offset_query_param, 0)
        return super().paginate_queryset(queryset, request, view)
