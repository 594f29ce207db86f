"""Models of cchc.indices."""

from django.db import models  # noqa: F401
