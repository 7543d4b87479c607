# Casetracker image: web (gunicorn), worker and beat (Celery) all run from it (docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/static \
    VAR_DIR=/app/var

WORKDIR /app
RUN useradd --create-home --uid 10001 casetracker

# Dependencies first (pinned by constraints.txt), so code changes reuse this layer.
COPY pyproject.toml constraints.txt README.md ./
RUN mkdir casetracker prisoners events alerts publicsite \
    && pip install -c constraints.txt . \
    && pip uninstall -y casetracker

COPY . .
# Static files collected at build, with the production storage (fingerprinted, compressed).
RUN DEBUG=false SECRET_KEY=collectstatic-only ALLOWED_HOSTS=build \
    DATABASE_URL=postgres://build@build/build VAR_DIR=/tmp/build-var \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media && chown -R casetracker:casetracker /app/var

USER casetracker
EXPOSE 8000
CMD ["gunicorn", "casetracker.wsgi:application", "-c", "gunicorn.conf.py"]
