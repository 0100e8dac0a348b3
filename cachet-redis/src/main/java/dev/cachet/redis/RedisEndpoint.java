package dev.cachet.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where the Redis tier connects, parsed from a URI string: the topology, the nodes (seeds for a
 * Cluster, sentinels for Sentinel), credentials, TLS, database, and the Cachet options given as
 * query parameters. Immutable. Parsing is ours rather than Lettuce's so that several hosts mean
 * a Cluster, unknown options are rejected, and every error says what was wrong with an example
 * of a right URI.
 *
 * <pre>
 * redis[s]://[[user]:password@]host[:port][,host2[:port2]...][/database][?option=value&amp;...]
 * redis[s]-cluster://[[user]:password@]host[:port][,host2[:port2]...][?option=value&amp;...]
 * redis[s]-sentinel://[[user]:password@]sentinel1[:port][,sentinel2...][/database]?master=NAME
 * </pre>
 *
 * <p>Several hosts mean a Cluster (seed nodes); a single {@code redis://} host is checked for
 * Cluster mode at the first connection unless {@code cluster=false}.
 *
 * <p>Options: {@code prefix}, {@code timeout} (command timeout), {@code connectTimeout},
 * {@code cluster} ({@code auto}, {@code true}, {@code false}), {@code strict}
 * ({@code true}/{@code false}), {@code verifyPeer} ({@code full}, {@code ca}, {@code none}),
 * {@code clientName}, {@code database}, and for Sentinel {@code master}
 * ({@code sentinelMasterId} or a {@code #name} fragment are accepted too). Durations are
 * {@code 250ms}, {@code 2s}, {@code 1m}, or a number of milliseconds.
 */
final class RedisEndpoint {
  static final int DEFAULT_PORT = 6379;
  static final int DEFAULT_SENTINEL_PORT = 26379;
  private static final String EXAMPLE = "redis://127.0.0.1:6379";
  private static final Set<String> OPTIONS = Set.of("prefix", "timeout", "connecttimeout",
      "cluster", "strict", "verifypeer", "clientname", "database", "db", "master",
      "sentinelmasterid");

  /** How the nodes are reached. */
  enum Kind { STANDALONE, SENTINEL, CLUSTER }

  /** A host and port. */
  record HostPort(String host, int port) {
    @Override
    public String toString() {
      return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
  }

  final String original;
  final Kind kind;
  /** Whether a single-host {@code redis://} URI may turn out to be a Cluster node (cluster=auto). */
  final boolean detectCluster;
  final boolean tls;
  final SslVerifyMode verifyPeer;
  final String user;
  final char[] password;
  final int database;
  final List<HostPort> hosts;
  final String sentinelMaster;
  final String clientName;
  /** Cachet options from the query, lower-cased names; applied by {@link RedisStoreOptions}. */
  final Map<String, String> storeOptions;

  private RedisEndpoint(String original, Kind kind, boolean detectCluster, boolean tls,
      SslVerifyMode verifyPeer, String user, char[] password, int database,
      List<HostPort> hosts, String sentinelMaster, String clientName,
      Map<String, String> storeOptions) {
    this.original = original;
    this.kind = kind;
    this.detectCluster = detectCluster;
    this.tls = tls;
    this.verifyPeer = verifyPeer;
    this.user = user;
    this.password = password;
    this.database = database;
    this.hosts = List.copyOf(hosts);
    this.sentinelMaster = sentinelMaster;
    this.clientName = clientName;
    this.storeOptions = Map.copyOf(storeOptions);
  }

  /**
   * Parses a URI.
   *
   * @throws IllegalArgumentException saying what is wrong, with an example of a right URI
   */
  static RedisEndpoint parse(String uri) {
    if (uri == null || uri.isBlank()) {
      throw bad(uri, "it is empty");
    }
    String text = uri.trim();
    int schemeEnd = text.indexOf("://");
    if (schemeEnd <= 0) {
      throw bad(uri, "it has no scheme; start it with redis://, rediss:// (TLS), "
          + "redis-sentinel:// or rediss-sentinel://");
    }
    String scheme = text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    boolean tls;
    boolean sentinel;
    boolean forceCluster = false;
    switch (scheme) {
      case "redis" -> {
        tls = false;
        sentinel = false;
      }
      case "rediss" -> {
        tls = true;
        sentinel = false;
      }
      case "redis-sentinel" -> {
        tls = false;
        sentinel = true;
      }
      case "rediss-sentinel" -> {
        tls = true;
        sentinel = true;
      }
      case "redis-cluster" -> {
        // The spelling the coherence classes of this module also accept.
        tls = false;
        sentinel = false;
        forceCluster = true;
      }
      case "rediss-cluster" -> {
        tls = true;
        sentinel = false;
        forceCluster = true;
      }
      default -> throw bad(uri, "the scheme '" + scheme + "' is not one of redis, rediss, "
          + "redis-sentinel, rediss-sentinel, redis-cluster, rediss-cluster (redis-socket is not "
          + "supported)");
    }
    String rest = text.substring(schemeEnd + 3);
    String fragment = null;
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      fragment = decode(uri, rest.substring(hash + 1));
      rest = rest.substring(0, hash);
    }
    String query = null;
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    String path = null;
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      path = rest.substring(slash + 1);
      rest = rest.substring(0, slash);
    }
    String user = null;
    char[] password = null;
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = rest.substring(0, at);
      rest = rest.substring(at + 1);
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        // redis://secret@host: a password alone, as redis-cli and Lettuce read it.
        password = decode(uri, userInfo).toCharArray();
      } else {
        String u = decode(uri, userInfo.substring(0, colon));
        user = u.isEmpty() ? null : u;
        password = decode(uri, userInfo.substring(colon + 1)).toCharArray();
      }
      if (password.length == 0) {
        password = null;
      }
    }
    if (rest.isEmpty()) {
      throw bad(uri, "it names no host");
    }
    List<HostPort> hosts = new ArrayList<>();
    int defaultPort = sentinel ? DEFAULT_SENTINEL_PORT : DEFAULT_PORT;
    for (String part : rest.split(",", -1)) {
      hosts.add(hostPort(uri, part, defaultPort));
    }

    Map<String, String> options = new LinkedHashMap<>();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(uri, eq < 0 ? pair : pair.substring(0, eq))
            .toLowerCase(Locale.ROOT);
        String value = eq < 0 ? "" : decode(uri, pair.substring(eq + 1));
        if (!OPTIONS.contains(name)) {
          throw bad(uri, "the option '" + name + "' is unknown; known options are prefix, "
              + "timeout, connectTimeout, cluster, strict, verifyPeer, clientName, database, "
              + "master");
        }
        options.put(name, value);
      }
    }

    int database = 0;
    String dbText = path != null && !path.isEmpty() ? path : null;
    if (options.containsKey("database")) {
      dbText = options.remove("database");
    }
    if (options.containsKey("db")) {
      dbText = options.remove("db");
    }
    if (dbText != null) {
      try {
        database = Integer.parseInt(dbText);
      } catch (NumberFormatException e) {
        throw bad(uri, "the database '" + dbText + "' is not a number (use /0 to /15)");
      }
      if (database < 0) {
        throw bad(uri, "the database " + database + " is negative");
      }
    }

    String master = fragment;
    if (options.containsKey("master")) {
      master = options.remove("master");
    }
    if (options.containsKey("sentinelmasterid")) {
      master = options.remove("sentinelmasterid");
    }
    if (sentinel && (master == null || master.isEmpty())) {
      throw bad(uri, "a Sentinel URI needs the name of the monitored master, for example "
          + "redis-sentinel://127.0.0.1:26379?master=mymaster");
    }
    if (!sentinel && master != null && !master.isEmpty()) {
      throw bad(uri, "'master' is for Sentinel; use redis-sentinel://host:26379?master="
          + master);
    }

    SslVerifyMode verify = SslVerifyMode.FULL;
    String verifyText = options.remove("verifypeer");
    if (verifyText != null) {
      switch (verifyText.toLowerCase(Locale.ROOT)) {
        case "full", "true" -> verify = SslVerifyMode.FULL;
        case "ca" -> verify = SslVerifyMode.CA;
        case "none", "false" -> verify = SslVerifyMode.NONE;
        default -> throw bad(uri, "verifyPeer must be full, ca or none, not '" + verifyText
            + "'");
      }
      if (!tls) {
        throw bad(uri, "verifyPeer needs TLS; use rediss:// instead of redis://");
      }
    }

    String clientName = options.remove("clientname");
    Kind kind;
    boolean detect = false;
    String cluster = options.remove("cluster");
    String clusterMode = cluster == null ? (forceCluster ? "true" : "auto")
        : cluster.toLowerCase(Locale.ROOT);
    if (forceCluster && !clusterMode.equals("true")) {
      throw bad(uri, "the redis-cluster scheme contradicts cluster=" + cluster);
    }
    if (!Set.of("auto", "true", "false").contains(clusterMode)) {
      throw bad(uri, "cluster must be auto, true or false, not '" + cluster + "'");
    }
    if (sentinel) {
      if (clusterMode.equals("true")) {
        throw bad(uri, "cluster=true cannot be combined with Sentinel");
      }
      kind = Kind.SENTINEL;
    } else if (clusterMode.equals("true") || (hosts.size() > 1 && clusterMode.equals("auto"))) {
      kind = Kind.CLUSTER;
    } else if (hosts.size() > 1) {
      throw bad(uri, "several hosts name the seed nodes of a Cluster, but cluster=false was "
          + "given; name one host for a standalone server");
    } else {
      kind = Kind.STANDALONE;
      detect = clusterMode.equals("auto");
    }
    if (kind == Kind.CLUSTER && database != 0) {
      throw bad(uri, "a Redis Cluster has only database 0, not " + database);
    }
    return new RedisEndpoint(uri, kind, detect, tls, verify, user, password, database, hosts,
        master, clientName, options);
  }

  private static HostPort hostPort(String uri, String part, int defaultPort) {
    if (part.isEmpty()) {
      throw bad(uri, "a host is empty (look for a stray comma)");
    }
    String host;
    String portText = null;
    if (part.startsWith("[")) {
      int close = part.indexOf(']');
      if (close < 0) {
        throw bad(uri, "the IPv6 address '" + part + "' lacks its closing ]");
      }
      host = part.substring(1, close);
      String after = part.substring(close + 1);
      if (after.startsWith(":")) {
        portText = after.substring(1);
      } else if (!after.isEmpty()) {
        throw bad(uri, "unexpected '" + after + "' after the IPv6 address");
      }
    } else {
      int colon = part.lastIndexOf(':');
      if (colon >= 0) {
        if (part.indexOf(':') != colon) {
          throw bad(uri, "the host '" + part + "' looks like an IPv6 address; put it in "
              + "brackets: redis://[::1]:6379");
        }
        host = part.substring(0, colon);
        portText = part.substring(colon + 1);
      } else {
        host = part;
      }
    }
    if (host.isEmpty()) {
      throw bad(uri, "a host name is empty in '" + part + "'");
    }
    int port = defaultPort;
    if (portText != null) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw bad(uri, "the port '" + portText + "' of " + host + " is not a number");
      }
      if (port < 1 || port > 65535) {
        throw bad(uri, "the port " + port + " of " + host + " is outside 1-65535");
      }
    }
    return new HostPort(host, port);
  }

  private static String decode(String uri, String s) {
    try {
      // URLDecoder turns '+' into a space, which is wrong in a URI's user info and path.
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw bad(uri, "it has a malformed %-escape in '" + s + "'");
    }
  }

  static IllegalArgumentException bad(String uri, String what) {
    return new IllegalArgumentException("Invalid Redis URI '" + redact(uri) + "': " + what
        + ". Example of a valid URI: " + EXAMPLE + " (TLS: rediss://user:password@host:6380; "
        + "Cluster: redis://host1:7000,host2:7001; Sentinel: "
        + "redis-sentinel://host:26379?master=mymaster)");
  }

  /** The URI with any password replaced by {@code ***}, for messages and logs. */
  static String redact(String uri) {
    if (uri == null) {
      return "null";
    }
    int schemeEnd = uri.indexOf("://");
    int start = schemeEnd < 0 ? 0 : schemeEnd + 3;
    int end = uri.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int i = uri.indexOf(c, start);
      if (i >= 0) {
        end = Math.min(end, i);
      }
    }
    int at = uri.lastIndexOf('@', end - 1);
    if (at < start) {
      return uri;
    }
    String userInfo = uri.substring(start, at);
    int colon = userInfo.indexOf(':');
    String shown = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
    return uri.substring(0, start) + shown + uri.substring(at);
  }

  /** A short form for messages: scheme, hosts, database; never the password. */
  String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append(kind == Kind.SENTINEL ? (tls ? "rediss-sentinel://" : "redis-sentinel://")
        : (tls ? "rediss://" : "redis://"));
    if (user != null) {
      sb.append(user).append('@');
    }
    for (int i = 0; i < hosts.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(hosts.get(i));
    }
    if (database != 0) {
      sb.append('/').append(database);
    }
    if (kind == Kind.SENTINEL) {
      sb.append("?master=").append(sentinelMaster);
    }
    return sb.toString();
  }

  /**
   * Lettuce URIs: one per Cluster seed; one (carrying the sentinels) otherwise.
   *
   * @param timeout the URI's timeout (Lettuce's handshake and synchronous API default)
   */
  List<RedisURI> lettuceUris(Duration timeout) {
    List<RedisURI> out = new ArrayList<>();
    if (kind == Kind.SENTINEL) {
      HostPort first = hosts.get(0);
      RedisURI.Builder b = RedisURI.Builder.sentinel(first.host(), first.port(), sentinelMaster);
      for (int i = 1; i < hosts.size(); i++) {
        b.withSentinel(hosts.get(i).host(), hosts.get(i).port());
      }
      out.add(common(b, timeout).build());
      return out;
    }
    List<HostPort> targets = kind == Kind.CLUSTER ? hosts : hosts.subList(0, 1);
    for (HostPort hp : targets) {
      out.add(common(RedisURI.Builder.redis(hp.host(), hp.port()), timeout).build());
    }
    return out;
  }

  /** A URI for one node this endpoint's credentials and TLS apply to (a Cluster node, a master). */
  RedisURI nodeUri(String host, int port, Duration timeout) {
    return common(RedisURI.Builder.redis(host, port), timeout).build();
  }

  private RedisURI.Builder common(RedisURI.Builder b, Duration timeout) {
    b.withTimeout(timeout).withDatabase(database);
    if (password != null) {
      if (user != null) {
        b.withAuthentication(user, password);
      } else {
        b.withPassword(password);
      }
    }
    if (tls) {
      b.withSsl(true).withVerifyPeer(verifyPeer);
    }
    if (clientName != null && !clientName.isEmpty()) {
      b.withClientName(clientName);
    }
    return b;
  }

  /** Parses {@code 250ms}, {@code 2s}, {@code 1m} or plain milliseconds. */
  static Duration parseDuration(String uri, String name, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
      } else if (t.endsWith("s")) {
        d = Duration.ofMillis(Math.round(
            Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 1000));
      } else if (t.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      } else {
        d = Duration.ofMillis(Long.parseLong(t));
      }
      if (d.isNegative() || d.isZero()) {
        throw bad(uri, name + " must be positive, was '" + text + "'");
      }
      return d;
    } catch (NumberFormatException e) {
      throw bad(uri, name + " '" + text + "' is not a duration such as 250ms, 2s or 1m");
    }
  }
}
