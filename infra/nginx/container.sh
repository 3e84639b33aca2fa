#!/bin/sh
# The site image's entrypoint (infra/nginx/Dockerfile): renders prod.conf.template, the same
# file `grindstone up --prod` renders for processes (grindstone_cli/gateway.py), for a
# container, then runs nginx with this script's arguments (none: in the foreground; `-t`: only
# test the configuration).
#
# GRINDSTONE_COMMAND_API, GRINDSTONE_QUERY_API and GRINDSTONE_PUSH name each service's
# replicas as comma-separated host:port. nginx resolves a name once, at start, to every
# address it has: a compose service's replicas, or a Kubernetes Service's cluster IP.
set -eu

template=${GRINDSTONE_NGINX_TEMPLATE:-/etc/grindstone/prod.conf.template}
nginx_dir=${GRINDSTONE_NGINX_DIR:-/etc/grindstone}  # json_errors.conf
prefix=${GRINDSTONE_NGINX_PREFIX:-/var/cache/nginx/grindstone}
web_root=${GRINDSTONE_WEB_ROOT:-/usr/share/grindstone/site}
mime_types=${GRINDSTONE_MIME_TYPES:-/etc/nginx/mime.types}
port=${GRINDSTONE_PORT:-8080}

servers() {  # "a:1,b:2" -> "server a:1; server b:2;"
    printf '%s' "$1" | tr ',' '\n' | sed -e '/^ *$/d' -e 's/^ *\(.*[^ ]\) *$/server \1;/' \
        | tr '\n' ' '
}

mkdir -p "$prefix"
# nginx's error log, written under the prefix by the template, goes to the container's log
[ -e "$prefix/error.log" ] || ln -s /dev/stderr "$prefix/error.log"
conf="$prefix/nginx.conf"
# every address of the pod or container, not loopback only; no `user` line: the image's
# nginx drops its workers to its own unprivileged user
sed -e "s|listen 127\.0\.0\.1:@PORT@;|listen @PORT@;|" \
    -e "s|@USER_DIRECTIVE@||" \
    -e "s|@PREFIX@|$prefix|g" \
    -e "s|@MIME_TYPES@|$mime_types|g" \
    -e "s|@NGINX_DIR@|$nginx_dir|g" \
    -e "s|@WEB_ROOT@|$web_root|g" \
    -e "s|@PORT@|$port|g" \
    -e "s|@COMMAND_API_SERVERS@|$(servers "$GRINDSTONE_COMMAND_API")|" \
    -e "s|@QUERY_API_SERVERS@|$(servers "$GRINDSTONE_QUERY_API")|" \
    -e "s|@PUSH_SERVERS@|$(servers "$GRINDSTONE_PUSH")|" \
    "$template" >"$conf"
if grep -q '@[A-Z_]*@' "$conf"; then
    echo "$template names a value $0 does not fill in:" >&2
    grep -o '@[A-Z_]*@' "$conf" | sort -u >&2
    exit 1
fi
if ! grep -q "listen $port;" "$conf"; then
    echo "$template no longer has the listen line $0 opens to every address" >&2
    exit 1
fi

[ $# -gt 0 ] || set -- -g "daemon off;"
# (not $NGINX: nginx reads that variable itself, as inherited listening sockets)
exec "${GRINDSTONE_NGINX_BINARY:-nginx}" -p "$prefix" -c "$conf" -e stderr "$@"
