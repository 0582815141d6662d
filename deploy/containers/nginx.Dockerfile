# syntax=docker/dockerfile:1
# The load balancer in front of the Rasa replicas, with deploy/nginx/rasa-replicas.conf — the same file
# the production profile renders on one machine (deploy/profiles.py) — filled in here at build time:
# it listens on 5005 and names one upstream server, RASA_UPSTREAM. Compose's DNS answers the
# service name `rasa` with every replica's address, and nginx makes each one a server of both
# upstreams (least_conn for REST and the API, ip_hash for socket.io).
#   docker build -f deploy/containers/nginx.Dockerfile -t court/nginx .
FROM nginx:1.26.2-bookworm

ARG RASA_UPSTREAM=rasa:5005
ENV NGINX_PREFIX=/var/cache/nginx/court
COPY deploy/nginx/rasa-replicas.conf /tmp/rasa-replicas.conf
RUN mkdir -p "$NGINX_PREFIX/temp" \
    && sed -e "s|{{LISTEN}}|0.0.0.0:5005|" \
           -e "s|{{REPLICAS}}|        server ${RASA_UPSTREAM} max_fails=1 fail_timeout=5s;|" \
           /tmp/rasa-replicas.conf > "$NGINX_PREFIX/nginx.conf" \
    && ! grep -q '{{' "$NGINX_PREFIX/nginx.conf" \
    && ln -sf /dev/stdout "$NGINX_PREFIX/access.log" \
    && chown -R nginx:nginx "$NGINX_PREFIX" && rm /tmp/rasa-replicas.conf

USER nginx
EXPOSE 5005
# The config says `daemon off` and logs errors to stderr; relative paths are under the prefix.
CMD ["sh", "-c", "exec nginx -p \"$NGINX_PREFIX\" -c \"$NGINX_PREFIX/nginx.conf\""]
