"""The bus: the envelope, streams, published contracts and the outbox relay."""
