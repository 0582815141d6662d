"""Business logic: what the court does with filings, cases, payments and conversations.

Services take an `AsyncSession` (or a sessionmaker) and plain values, raise the domain errors of
`court.services.errors`, and know nothing of HTTP: the handlers in `court.api` call them, and so do
the jobs in `court.jobs` and the staff CLI.
"""
