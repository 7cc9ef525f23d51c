# One image for the web server, the Celery worker and Celery beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=portal.settings \
    PASSAGE_VAR_DIR=/var/lib/passage

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /home/passage passage \
    && mkdir -p /var/lib/passage/media/backups \
    && chown -R passage /var/lib/passage

WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY moodle_client ./moodle_client
COPY portal ./portal
COPY transition ./transition
RUN pip install --constraint constraints.txt .
COPY manage.py ./
COPY templates ./templates
COPY static ./static
COPY locale ./locale
RUN python manage.py compilemessages -v 0 \
    && SECRET_KEY=build-only python manage.py collectstatic --noinput -v 0 \
    && chown -R passage /var/lib/passage

USER passage
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
