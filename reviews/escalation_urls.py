"""URLs of the escalation pages, added to the reviews namespace by reviews/urls.py."""

urlpatterns: list = []
