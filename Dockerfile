# Gradscape for a class: gunicorn serving the Dash app on port 8050.
# The server keeps no state between requests, so N containers behind any
# load balancer serve the same scenes.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    GUNICORN_WORKERS=2 \
    GUNICORN_THREADS=4 \
    PORT=8050 \
    NUMBA_CACHE_DIR=/app/numba-cache

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY app.py ./
COPY landscapes/ landscapes/
COPY optimizers/ optimizers/
COPY ui/ ui/
COPY assets/ assets/

RUN useradd --create-home --uid 10001 gradscape \
    && mkdir -p /app/numba-cache && chown 10001 /app/numba-cache
USER 10001
# Compile every numba kernel now, as the user the container runs as, into NUMBA_CACHE_DIR:
# the container starts warm and gunicorn's workers load the compiled code instead of compiling it.
RUN python -m optimizers.warm

EXPOSE 8050
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8050'), timeout=2)"]

CMD ["sh", "-c", "exec gunicorn app:server --bind 0.0.0.0:${PORT} --workers ${GUNICORN_WORKERS} --threads ${GUNICORN_THREADS}"]
