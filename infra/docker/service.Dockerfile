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
RUN apt-get update && apt-get install -y --no-install-recommends curl libjemalloc2 && rm -rf /var/lib/apt/lists/*
# jemalloc keeps RSS flat in long runs (glibc malloc grows it even without leaks).
ENV LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 ASPNETCORE_URLS=http://0.0.0.0:8080 SERVICE=${SERVICE}
COPY --from=build /app .
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=6 CMD curl -fsS http://localhost:8080/health || exit 1
ENTRYPOINT ["sh", "-c", "exec dotnet \"$SERVICE.dll\""]
