"""URLs of the letter pages, added to the reviews namespace by reviews/urls.py."""

from django.urls import path

from reviews.letter import views

urlpatterns: list = [
    path("<int:pk>/letter/", views.letter, name="letter"),
    path("<int:pk>/letter/pdfs/", views.letter_pdfs, name="letter_pdfs"),
    path("<int:pk>/letter/pdf/<int:pdf_pk>/", views.letter_pdf, name="letter_pdf"),
]
