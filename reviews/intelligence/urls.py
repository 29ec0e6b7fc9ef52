"""Regional intelligence's URLs, under /intelligence/ (namespace "intelligence")."""

app_name = "intelligence"
urlpatterns: list = []
