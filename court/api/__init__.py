"""HTTP handlers of /api/v1, one module per resource; each exposes `routes`."""
