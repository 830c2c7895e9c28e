#!/usr/bin/env bash
# Creates the pipeline's topics on a real Kafka cluster (docker-compose runs it in the kafka-init service).
# Partition counts match tools/Streaming.LocalStack/Kafka/KafkaTopology.cs.
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
