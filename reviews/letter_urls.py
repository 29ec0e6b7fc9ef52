"""URLs of the letter pages, added to the reviews namespace by reviews/urls.py."""

urlpatterns: list = []
