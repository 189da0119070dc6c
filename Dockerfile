# syntax=docker/dockerfile:1
# Build: a static binary (pure-Go SQLite, zone data embedded with time/tzdata).
# go.mod says go 1.26.8; the 1.26 tag is the newest 1.26 release.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The build context has no .git (.dockerignore), so `talkbot version` gets
# its version, revision and date from build arguments (see README, Docker):
#   docker build --build-arg VERSION=$(git describe --tags --always --dirty) \
#     --build-arg REVISION=$(git rev-parse HEAD) \
#     --build-arg BUILD_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ) -t talkbot .
ARG VERSION=
ARG REVISION=
ARG BUILD_DATE=
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION} -X main.revision=${REVISION} -X main.buildDate=${BUILD_DATE}" -o /out/talkbot . \
 && mkdir -p /out/data

# Run: distroless static has CA certificates and a non-root user, nothing
# else (no shell, curl or wget: healthchecks run `talkbot healthcheck`).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/talkbot /usr/local/bin/talkbot
COPY --from=build --chown=65532:65532 /out/data /data
WORKDIR /data
VOLUME /data
ENV DATABASE_URL=sqlite:/data/talkbot.db \
    HTTP_ADDR=:8080
EXPOSE 8080
USER 65532:65532
HEALTHCHECK --interval=10s --timeout=6s --start-period=20s --retries=3 CMD ["/usr/local/bin/talkbot", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/talkbot"]
CMD ["run"]
