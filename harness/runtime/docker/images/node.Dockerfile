# Node.js for the shop app: this machine's own node binary on the Debian base (the official node
# image's layout: /usr/local/bin/node).
ARG BASE
FROM ${BASE}
COPY node /usr/local/bin/node
CMD ["node"]
