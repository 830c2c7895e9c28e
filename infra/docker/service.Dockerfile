# One image recipe for every service; SERVICE names the project (Inference, Windowing, Detector, Alerting).
# Build from the repository root: docker build -f infra/docker/service.Dockerfile --build-arg SERVICE=Inference .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN dotnet publish services/${SERVICE}/${SERVICE}.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
ARG SERVICE
WORKDIR /app
# A fixed, unprivileged uid/gid (not the image's default "app" user, whose uid may change between base images),
# so host volumes (models, read-only) and orchestrators' runAsUser can name it.
RUN apt-get update && apt-get install -y --no-install-recommends curl libjemalloc2 && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 streaming \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin streaming
# jemalloc keeps RSS flat in long runs (glibc malloc grows it even without leaks).
# Port 8080 needs no privilege; the app files stay owned by root, so the service cannot rewrite its own code.
ENV LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 ASPNETCORE_URLS=http://0.0.0.0:8080 SERVICE=${SERVICE}
COPY --from=build /app .
USER 10001:10001
EXPOSE 8080
# Ready = every dependency reachable and every consumer making progress (see /health/ready), not only "process up".
HEALTHCHECK --interval=10s --timeout=3s --retries=6 CMD curl -fsS -o /dev/null http://localhost:8080/health/ready || exit 1
ENTRYPOINT ["sh", "-c", "exec dotnet \"$SERVICE.dll\""]
