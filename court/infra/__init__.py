"""Plumbing that holds no court rule: configuration, the database, app keys, the error middleware,
signed links, outbound clients (Rasa, SMS)."""
