"""The bus contract: message schemas, the CloudEvents binding onto Pub/Sub, the topology,
request-reply and the worker runtime."""
