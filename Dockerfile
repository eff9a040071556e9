# The helpsite webhook server: a static binary on a minimal base, run as a
# non-root user, with its state (snapshot, journal, published site) on a
# volume.
#
#   docker build -t helpsite .
#   docker run -p 8080:8080 -v helpsite-data:/data \
#     -e INTERCOM_ACCESS_TOKEN=... -e INTERCOM_CLIENT_SECRET=... helpsite

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/webhook ./cmd/webhook \
 && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/sitegen ./cmd/sitegen \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/webhook /out/sitegen /usr/local/bin/
COPY --from=build --chown=nonroot:nonroot /out/data /data
USER nonroot:nonroot
VOLUME ["/data"]
EXPOSE 8080
ENV HELPSITE_DATA=/data HELPSITE_LISTEN=:8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["/usr/local/bin/webhook", "healthcheck", "--url", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/usr/local/bin/webhook"]
