# PostgreSQL 15 from Debian's packages, laid out like the official postgres image (PATH, PGDATA,
# entrypoint, stop signal) so the docker runtime starts it exactly as it starts postgres:15.
ARG BASE
FROM ${BASE}
ENV PG_MAJOR=15 PGDATA=/var/lib/postgresql/data
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/lib/postgresql/15/bin
RUN mkdir -p /var/run/postgresql "$PGDATA" && chown -R postgres:postgres /var/run/postgresql "$PGDATA" \
  && chmod 1777 "$PGDATA"
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
