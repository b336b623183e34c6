# HAProxy from Debian's packages, laid out like the official haproxy image: runs as haproxy, reads
# /usr/local/etc/haproxy/haproxy.cfg, stops gracefully on SIGUSR1.
ARG BASE
FROM ${BASE}
RUN mkdir -p /usr/local/etc/haproxy /var/lib/haproxy && chown haproxy:haproxy /var/lib/haproxy
USER haproxy
STOPSIGNAL SIGUSR1
CMD ["haproxy", "-W", "-db", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]
