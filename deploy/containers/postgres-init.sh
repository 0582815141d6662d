#!/bin/sh
# First start of the PostgreSQL container (/docker-entrypoint-initdb.d): the two databases of the
# production profile, as deploy/profiles.py creates them on one machine — Rasa's tracker store
# (RASA_DB_NAME) and the court's (COURT_DB_NAME), both owned by POSTGRES_USER.
set -eu
for db in "$RASA_DB_NAME" "$COURT_DB_NAME"; do
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1 \
        || psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -c "CREATE DATABASE \"$db\""
done
