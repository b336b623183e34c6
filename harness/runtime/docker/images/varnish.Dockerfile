# Varnish from Debian's packages, laid out like the official varnish image: runs as varnish with its
# VCL at /etc/varnish/default.vcl.
ARG BASE
FROM ${BASE}
RUN mkdir -p /var/lib/varnish && chown varnish:varnish /var/lib/varnish /etc/varnish
USER varnish
WORKDIR /etc/varnish
EXPOSE 80
CMD ["varnishd", "-F", "-f", "/etc/varnish/default.vcl", "-a", ":80", "-s", "malloc,100M"]
