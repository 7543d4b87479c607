# Casetracker image: web (gunicorn), worker and beat (Celery) all run from it (docker-compose.yml).
# PYTHON_IMAGE: any image with Python 3.11 whose `python` and `pip` are on the PATH; CI builds on one made from
# Debian's packages (bin/build-images), as no image registry is reachable there.
ARG PYTHON_IMAGE=python:3.11-slim
FROM ${PYTHON_IMAGE}

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
    DATABASE_URL=postgres://build@build/build REDIS_URL=redis://build:6379/0 VAR_DIR=/tmp/build-var \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media && chown -R casetracker:casetracker /app/var

USER casetracker
EXPOSE 8000
CMD ["gunicorn", "casetracker.wsgi:application", "-c", "gunicorn.conf.py"]
