package dev.cachet.llm;

import java.util.Objects;

/**
 * Per-call settings: the tenant, and exceptions to the cache's defaults. Immutable; start from
 * {@link #defaults()} or {@link #tenant(String)} and chain the {@code with}-style methods.
 *
 * <pre>{@code
 * CallOptions.tenant("acme").serveSampled(true)
 * }</pre>
 */
public final class CallOptions {
  /** The tenant of calls that name none. */
  public static final String DEFAULT_TENANT = "default";
  private static final CallOptions DEFAULTS = new CallOptions(DEFAULT_TENANT, null, null, true,
      true);

  private final String tenant;
  private final Boolean serveSampled;
  private final Boolean semantic;
  private final boolean read;
  private final boolean write;

  private CallOptions(String tenant, Boolean serveSampled, Boolean semantic, boolean read,
      boolean write) {
    this.tenant = tenant;
    this.serveSampled = serveSampled;
    this.semantic = semantic;
    this.read = read;
    this.write = write;
  }

  /**
   * The default tenant, and the cache's defaults for everything else.
   *
   * @return the options
   */
  public static CallOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Options for a tenant. The tenant is part of every key and semantic partition: no tenant
   * ever receives an answer stored for another. A proxy passes a hash of the API key.
   *
   * @param tenant a non-empty id
   * @return the options
   */
  public static CallOptions tenant(String tenant) {
    return DEFAULTS.withTenant(tenant);
  }

  /**
   * The same options for another tenant.
   *
   * @param tenant a non-empty id
   * @return new options
   */
  public CallOptions withTenant(String tenant) {
    Objects.requireNonNull(tenant, "tenant");
    if (tenant.isEmpty()) {
      throw new IllegalArgumentException("A tenant id must not be empty");
    }
    return new CallOptions(tenant, serveSampled, semantic, read, write);
  }

  /**
   * Whether to serve cached answers to a sampled request (temperature above 0 without a seed)
   * in this call, overriding {@link LlmCache.Builder#serveSampled(boolean)}.
   *
   * @param serve true to serve them
   * @return new options
   */
  public CallOptions serveSampled(boolean serve) {
    return new CallOptions(tenant, serve, semantic, read, write);
  }

  /**
   * Whether this call may use the semantic cache, overriding the cache's setting (it can only
   * turn it off when the cache has no semantic layer).
   *
   * @param semantic false for exact matches only
   * @return new options
   */
  public CallOptions semantic(boolean semantic) {
    return new CallOptions(tenant, serveSampled, semantic, read, write);
  }

  /**
   * Skips the lookup: the upstream is called and its answer overwrites the stored one. Use it
   * to refresh a wrong or stale entry.
   *
   * @return new options
   */
  public CallOptions refresh() {
    return new CallOptions(tenant, serveSampled, semantic, false, write);
  }

  /**
   * Does not store this call's answer.
   *
   * @return new options
   */
  public CallOptions noStore() {
    return new CallOptions(tenant, serveSampled, semantic, read, false);
  }

  /**
   * The tenant.
   *
   * @return the tenant id
   */
  public String tenantId() {
    return tenant;
  }

  /**
   * Whether answers of calls with these options are stored ({@link #noStore()} not given).
   *
   * @return true unless storing was turned off
   */
  public boolean storesAnswers() {
    return write;
  }

  Boolean serveSampledOverride() {
    return serveSampled;
  }

  Boolean semanticOverride() {
    return semantic;
  }

  boolean read() {
    return read;
  }

  boolean write() {
    return write;
  }

  /**
   * Describes this object for logs.
   *
   * @return a short description
   */
  @Override
  public String toString() {
    return "CallOptions[tenant=" + tenant + ", serveSampled=" + serveSampled + ", semantic="
        + semantic + ", read=" + read + ", write=" + write + "]";
  }
}
