"""Models of cchc.surveys."""

from django.db import models  # noqa: F401
