# syntax=docker/dockerfile:1
# Build: a static binary (pure-Go SQLite, zone data embedded with time/tzdata).
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/talkbot . \
 && mkdir -p /out/data

# Run: distroless static has CA certificates and a non-root user, nothing else.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/talkbot /usr/local/bin/talkbot
COPY --from=build --chown=65532:65532 /out/data /data
WORKDIR /data
VOLUME /data
ENV DATABASE_URL=sqlite:/data/talkbot.db \
    HTTP_ADDR=:8080
EXPOSE 8080
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/talkbot"]
CMD ["run"]
