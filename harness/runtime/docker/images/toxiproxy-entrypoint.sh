#!/bin/sh
# toxiproxy-server's flags (-host, -port, -config; "-flag value" or "-flag=value") mapped onto
# `faultline proxy`, so this image starts exactly like ghcr.io/shopify/toxiproxy.
set -e
host=localhost
port=8474
config=
while [ $# -gt 0 ]; do
  case "$1" in
  -host=* | --host=*) host="${1#*=}" ;;
  -port=* | --port=*) port="${1#*=}" ;;
  -config=* | --config=*) config="${1#*=}" ;;
  -host | --host) host="$2" && shift ;;
  -port | --port) port="$2" && shift ;;
  -config | --config) config="$2" && shift ;;
  *) ;; # other toxiproxy-server flags (logging, seeds) have no counterpart here
  esac
  shift
done
cd /opt/faultline
if [ -n "$config" ]; then
  exec node bin/faultline.js proxy --host "$host" --port "$port" --config "$config"
fi
# Without a config, only the server's modules load: ready in ~0.2 s instead of ~1.5 s through the CLI.
exec node --import tsx harness/toxiproxy/serve.ts "$port" "$host"
