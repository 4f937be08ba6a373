"""The JSON REST API (/api): routes in giftwatch.api.routes, bodies and responses in giftwatch.api.models."""
