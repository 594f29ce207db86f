"""GET /api/v1/me/: the current user, role, unit and scope."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from .selectors import user_me


class MeView(APIView):
    """Người dùng hiện tại."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(user_me(request.user))
