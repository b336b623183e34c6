# Varnish as the CDN edge for the web app's static files (the cdn-edge component). Rendered by
# faultline (placeholders in double braces).
# The origin is the load balancer, reached through the cdn->lb proxy. Objects stay usable for
# {{graceSeconds}} s past their TTL (grace), so cached assets are served stale while the origin is down.
vcl 4.1;

backend origin {
  .host = "{{originHost}}";
  .port = "{{originPort}}";
  .connect_timeout = 1s;
  .first_byte_timeout = 5s;
  .between_bytes_timeout = 2s;
  .probe = {
    .url = "{{healthPath}}";
    .interval = 1s;
    .timeout = 500ms;
    .window = 3;
    .threshold = 2;
  }
}

sub vcl_recv {
  if (req.url !~ "^{{staticPrefixPattern}}") {
    return (pass);
  }
  unset req.http.Cookie;
}

sub vcl_backend_response {
  set beresp.grace = {{graceSeconds}}s;
}

sub vcl_backend_error {
  # A failed background refresh must not replace the stale copy still being served.
  if (bereq.is_bgfetch) {
    return (abandon);
  }
}

sub vcl_deliver {
  if (obj.hits > 0) {
    set resp.http.x-cache = "hit";
  } else {
    set resp.http.x-cache = "miss";
  }
}
