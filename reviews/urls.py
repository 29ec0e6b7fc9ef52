"""The reviews namespace: the review page, then each stage's own URLs. Every name and
path is the same whichever package holds its view."""

from django.urls import path

from reviews import views
from reviews.escalations import urls as escalations_urls
from reviews.letter import urls as letter_urls
from reviews.reflections import urls as reflections_urls
from reviews.review import urls as review_urls
from reviews.self_assessment import urls as self_assessment_urls
from reviews.workbook import urls as workbook_urls

app_name = "reviews"
urlpatterns = [
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/onsite/", views.onsite, name="onsite"),
]
urlpatterns += (
    review_urls.urlpatterns
    + self_assessment_urls.urlpatterns
    + workbook_urls.urlpatterns
    + letter_urls.urlpatterns
    + escalations_urls.urlpatterns
    + reflections_urls.urlpatterns
)
