# ceasefire-watch: the bot as one container. Not built on the machine this was written on (no container engine
# ran there); it follows the usual slim-Python pattern. Migrations run on start (`run` migrates before it serves).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LOG_FORMAT=json

WORKDIR /app
COPY pyproject.toml README.md ./
COPY sources ./sources
COPY articles ./articles
COPY tracking ./tracking
COPY storage ./storage
COPY schedules ./schedules
COPY bot ./bot
COPY app ./app
RUN pip install . \
    && useradd --system --uid 10001 --no-create-home --home-dir /app bot \
    && mkdir -p /app/data \
    && chown bot /app/data

USER bot
# 8443: the webhook (behind TLS at a proxy or load balancer); 9100: /healthz and /metrics.
EXPOSE 8443 9100
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:9100/healthz', timeout=4).status != 200)"
ENTRYPOINT ["ceasefire-watch"]
CMD ["run", "--metrics-port", "9100", "--metrics-listen", "0.0.0.0"]
