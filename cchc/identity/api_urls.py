urlpatterns: list = []  # identity has pages only (browser redirects); no API endpoints
