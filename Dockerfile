# syntax=docker/dockerfile:1
# One Dockerfile with a target per deployable service: frontend, stats, playerops, transfer.
#   docker build --target stats -t league-stats .
# One file rather than four, because the four images are built the same way from the same tree
# and differ only in which service they stage; the targets share the base and the installed
# worker requirements as cached layers. What goes in each image is decided by shipping/images.py.

# Docker Hub's python:3.11.14-slim-bookworm, pinned by the digest of its multi-architecture index
# (as several public projects pin it; `docker buildx imagetools inspect` shows the current one).
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm@sha256:65a93d69fa75478d554f4ad27c85c1e69fa184956261b4301ebaf6dbb0a3543d

FROM ${PYTHON_IMAGE} AS python
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Each image's own project: the modules its command imports, its data, its pyproject.toml.
FROM python AS staged
WORKDIR /src
COPY . .
RUN for image in frontend stats playerops transfer; do \
        python -m shipping stage "$image" "/staged/$image"; \
    done

# The virtual environments hold no pip: pip installs into them from outside (--python). Their
# bytecode is compiled here, since the root file system is read-only where they run.
FROM python AS frontend-packages
COPY services/frontend/requirements.txt /tmp/requirements.txt
RUN python -m venv --without-pip /opt/league \
    && pip install --python /opt/league/bin/python -r /tmp/requirements.txt

FROM python AS worker-packages
COPY services/workers/requirements.txt /tmp/requirements.txt
RUN python -m venv --without-pip /opt/league \
    && pip install --python /opt/league/bin/python -r /tmp/requirements.txt

FROM frontend-packages AS frontend-build
COPY --from=staged /staged/frontend /tmp/frontend
RUN pip install --no-deps --python /opt/league/bin/python /tmp/frontend

FROM worker-packages AS stats-build
COPY --from=staged /staged/stats /tmp/stats
RUN pip install --no-deps --python /opt/league/bin/python /tmp/stats

FROM worker-packages AS playerops-build
COPY --from=staged /staged/playerops /tmp/playerops
RUN pip install --no-deps --python /opt/league/bin/python /tmp/playerops

FROM worker-packages AS transfer-build
COPY --from=staged /staged/transfer /tmp/transfer
RUN pip install --no-deps --python /opt/league/bin/python /tmp/transfer

# What every image runs as: a user of no account (UID and GID 10001), a read-only root file system
# in Kubernetes (so HOME is the /tmp emptyDir), and the HTTP port every service has in a container.
FROM python AS runtime
ENV PATH=/opt/league/bin:$PATH \
    HOME=/tmp \
    LEAGUE_HTTP_ADDRESS=0.0.0.0:8080
EXPOSE 8080
USER 10001:10001

FROM runtime AS frontend
COPY --from=frontend-build /opt/league /opt/league
CMD ["league-frontend"]

FROM runtime AS stats
COPY --from=stats-build /opt/league /opt/league
CMD ["league-stats"]

FROM runtime AS playerops
COPY --from=playerops-build /opt/league /opt/league
CMD ["league-playerops"]

FROM runtime AS transfer
COPY --from=transfer-build /opt/league /opt/league
CMD ["league-transfer"]
