# One image for the whole project: every service, relay and projector runs from it.
#   docker build -t pingan .
#   docker run --rm pingan serve hazards --host 0.0.0.0 --port 8000
#   docker run --rm pingan relay hazards
#   docker run --rm pingan project hazards

# --- build: install the distribution and its dependencies into a venv -------------------
FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
COPY pyproject.toml README.md ./
COPY libs/ libs/
COPY services/ services/
COPY contracts/ contracts/
# A regular (non-editable) install: the runtime stage needs only /opt/venv.
RUN pip install .

# --- runtime -----------------------------------------------------------------------------
FROM python:3.11-slim

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN groupadd --system --gid 10001 pingan \
 && useradd --system --uid 10001 --gid pingan --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin pingan

COPY --from=build /opt/venv /opt/venv
# The event-contract snapshots and AsyncAPI document, for anything that serves them.
COPY contracts/ /app/contracts/

WORKDIR /app
USER 10001:10001
EXPOSE 8000

ENTRYPOINT ["pingan"]
