#!/usr/bin/env bash
# Creates the pipeline's topics on a real Kafka cluster (docker-compose runs it in the kafka-init service).
# Topics and partition counts match shared/Streaming.Contracts/TopicCatalog.cs (checked by
# tests/Streaming.UnitTests/Contracts/TopicCatalogTests.cs).
set -euo pipefail
BOOTSTRAP="${1:-kafka:9092}"
create() { kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --create --if-not-exists --topic "$1" --partitions "$2" --replication-factor 1; }
create activations 12
create windows 4
create detections 4
create alerts 4
create activations.deadletter 1
create windows.deadletter 1
create alerts.deadletter 1
