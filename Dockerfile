# Production image: gunicorn for the web, the same image for the Celery worker and beat.
FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static ./static
RUN npm run build

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production EMSLIRP_VAR_DIR=/var/lib/emslirp
WORKDIR /app
# WeasyPrint lays out the PDFs with Pango; DejaVu is the font their stylesheet names.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
COPY --from=assets /app/var/assets /var/lib/emslirp/assets
RUN useradd --system --home /app emslirp && mkdir -p /var/lib/emslirp/media \
    && chown -R emslirp /var/lib/emslirp
USER emslirp
EXPOSE 8000
CMD ["gunicorn", "emslirp.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
