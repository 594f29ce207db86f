urlpatterns: list = []  # the reconciliation is a page and a CLI command (cchc portalsync reconcile --json)
