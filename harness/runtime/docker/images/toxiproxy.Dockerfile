# Where ghcr.io/shopify/toxiproxy cannot be pulled: faultline's embedded Toxiproxy-compatible server
# behind the same entrypoint (/toxiproxy -host=... -port=...), the same API port and the same name.
ARG BASE
FROM ${BASE}
COPY . /opt/faultline
RUN cp /opt/faultline/harness/runtime/docker/images/toxiproxy-entrypoint.sh /toxiproxy && chmod 755 /toxiproxy
ENTRYPOINT ["/toxiproxy"]
EXPOSE 8474
CMD ["-host=0.0.0.0"]
