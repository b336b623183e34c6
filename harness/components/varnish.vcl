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
  # The invalidation API, as a deploy pipeline uses a CDN's: PURGE drops the object of one URL, BAN
  # every object whose URL matches the regex in x-ban-url. Only with the topology's token.
  if (req.method == "PURGE" || req.method == "BAN") {
    if (req.http.x-invalidate-token != "{{invalidateToken}}") {
      return (synth(403, "Forbidden"));
    }
    if (req.method == "PURGE") {
      return (purge);
    }
    if (!req.http.x-ban-url) {
      return (synth(400, "BAN needs an x-ban-url regex"));
    }
    ban("obj.http.x-url ~ " + req.http.x-ban-url);
    return (synth(200, "Banned"));
  }
  if (req.url !~ "^{{staticPrefixPattern}}") {
    return (pass);
  }
  unset req.http.Cookie;
}

# One origin: an object is its URL, whichever Host the client named (the harness and the load may differ).
sub vcl_hash {
  hash_data(req.url);
  return (lookup);
}

sub vcl_backend_response {
  set beresp.grace = {{graceSeconds}}s;
  # Bans test the object's own URL, so the ban lurker can apply them without a request.
  set beresp.http.x-url = bereq.url;
}

sub vcl_backend_error {
  # A failed background refresh must not replace the stale copy still being served.
  if (bereq.is_bgfetch) {
    return (abandon);
  }
}

sub vcl_deliver {
  unset resp.http.x-url;
  if (obj.hits > 0) {
    set resp.http.x-cache = "hit";
  } else {
    set resp.http.x-cache = "miss";
  }
}
