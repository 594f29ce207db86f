"""The conference report has no API of its own: it is a document (pages and `cchc report`), composed from the other
apps' selectors, each of which has its own API."""

urlpatterns: list = []
