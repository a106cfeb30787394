# A team server for the dashboard, with chart export (Debian's Chromium) and CJK fonts.
#
#   docker build -t report-figures .
#   docker run -p 127.0.0.1:8501:8501 -v figures-data:/data \
#       -v /path/to/reports:/reports:ro report-figures serve /reports
#
# The store and uploads live in the /data volume (REPORT_FIGURES_DB, _UPLOADS, _HOME
# below); without `serve /reports` the container serves the bundled demo reports.
# Versions are the lock file's, as on every machine. README: "Serving it to a team".
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    REPORT_FIGURES_DB=/data/figures.duckdb \
    REPORT_FIGURES_UPLOADS=/data/uploads \
    REPORT_FIGURES_HOME=/data \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false

# Chromium draws the PNG/SVG/PDF exports; Noto CJK and Liberation keep Chinese and
# Latin text out of tofu boxes; fontconfig lets the dashboard check for a CJK font.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      chromium fonts-noto-cjk fonts-liberation fontconfig \
 && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 figures \
 && mkdir -p /data /reports && chown figures /data

WORKDIR /app
# the locked versions first, so a code change does not reinstall them
COPY requirements.lock ./
RUN pip install -r requirements.lock
COPY . .
# etl's bytecode written now: with PYTHONDONTWRITEBYTECODE (and /app not the user's) every
# command would compile the sources at its start, about 0.09 s of CPU (bench/RESULTS.md)
RUN pip install --no-deps -e . && python -m compileall -q etl

USER figures
VOLUME ["/data"]
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"
ENTRYPOINT ["report-figures"]
CMD ["serve", "--address", "0.0.0.0", "--no-browser"]
