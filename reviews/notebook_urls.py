"""URLs of the notebook pages, added to the reviews namespace by reviews/urls.py."""

urlpatterns: list = []
