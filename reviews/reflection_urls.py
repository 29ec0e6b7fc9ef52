"""URLs of the reflection pages, added to the reviews namespace by reviews/urls.py."""

urlpatterns: list = []
