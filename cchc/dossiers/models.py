"""Models of cchc.dossiers."""

from django.db import models  # noqa: F401
