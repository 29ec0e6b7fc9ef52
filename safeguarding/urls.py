"""Critical incidents (R25)."""

app_name = "safeguarding"
urlpatterns: list = []
