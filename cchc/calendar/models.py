"""Models of cchc.calendar."""

from django.db import models  # noqa: F401
