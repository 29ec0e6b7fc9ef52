"""URLs of the letter pages, added to the reviews namespace by reviews/urls.py."""

from django.urls import path

from reviews import letter_views

urlpatterns: list = [
    path("<int:pk>/letter/", letter_views.letter, name="letter"),
    path("<int:pk>/letter/pdfs/", letter_views.letter_pdfs, name="letter_pdfs"),
    path("<int:pk>/letter/pdf/<int:pdf_pk>/", letter_views.letter_pdf, name="letter_pdf"),
]
