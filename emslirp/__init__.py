"""EMSLIRP: the project package and the region's core (SPEC R1–R4)."""

from emslirp.celery import app as celery_app

__all__ = ["celery_app"]
