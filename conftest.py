"""Shared pytest fixtures (every app's tests may use them)."""

import pytest


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
