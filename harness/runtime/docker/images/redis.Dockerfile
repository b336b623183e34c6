# redis-server from Debian's packages, started like the official redis image (CMD redis-server, /data).
ARG BASE
FROM ${BASE}
RUN mkdir -p /data && chown redis:redis /data
WORKDIR /data
USER redis
EXPOSE 6379
CMD ["redis-server"]
