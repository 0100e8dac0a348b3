package dev.cachet.codec;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Chooses the codec for a declared type when storing, and finds the codec named in a stored
 * entry's header when reading. Immutable: build a variant with {@link #builder()} or
 * {@link #toBuilder()}.
 *
 * <p>The default registry ({@link #defaults()}) sends {@code String} to {@link Utf8Codec},
 * {@code byte[]} to {@link BytesCodec} and everything else to {@link JsonCodec}. Codecs
 * registered for a type take precedence; a codec registered for a raw class also serves its
 * parameterizations ({@code List<User>} when registered for {@code List.class}), unless one is
 * registered for the exact parameterized type.
 *
 * <p>The built-in codecs are always found by id, even when a registry no longer chooses them
 * for any type, so entries written before a configuration change still decode.
 */
public final class CodecRegistry {
  private static final System.Logger LOG = System.getLogger(CodecRegistry.class.getName());
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final CodecRegistry DEFAULTS = builder().build();

  private final Map<Type, Codec> byType;
  private final Map<String, Codec> byId;
  private final Codec fallback;
  /** Function and type pairs already warned about, so a failing function logs once, not per call. */
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  private CodecRegistry(Builder builder) {
    this.byType = Map.copyOf(builder.byType);
    this.fallback = builder.fallback;
    Map<String, Codec> ids = new LinkedHashMap<>();
    for (Codec builtIn : new Codec[] {JsonCodec.INSTANCE, Utf8Codec.INSTANCE,
        BytesCodec.INSTANCE}) {
      ids.put(builtIn.id(), builtIn);
    }
    for (Codec codec : builder.byType.values()) {
      addId(ids, codec);
    }
    addId(ids, fallback);
    this.byId = Map.copyOf(ids);
  }

  private static void addId(Map<String, Codec> ids, Codec codec) {
    String id = codec.id();
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("Codec " + codec + " has id '" + id + "'; an id is 1 "
          + "to 64 ASCII letters, digits or . _ : - and never changes once entries exist.");
    }
    Codec previous = ids.putIfAbsent(id, codec);
    if (previous != null && previous != codec) {
      throw new IllegalArgumentException("Two codecs share the id '" + id + "': " + previous
          + " and " + codec + ". Stored entries name their codec by id, so each id must belong "
          + "to one codec; give the custom codec its own id.");
    }
  }

  /**
   * The default registry: {@code String} to UTF-8, {@code byte[]} as is, the rest to JSON.
   *
   * @return the shared default registry
   */
  public static CodecRegistry defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a registry from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts a registry from this one's registrations.
   *
   * @return a new builder holding this registry's codecs
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.byType.clear();
    b.byType.putAll(byType);
    b.fallback = fallback;
    return b;
  }

  /**
   * The codec that stores values of a declared type.
   *
   * @param declaredType the declared return type
   * @return the codec registered for the exact type, else for its raw class, else the fallback
   *     (JSON unless changed with {@link Builder#fallback})
   */
  public Codec forType(Type declaredType) {
    Objects.requireNonNull(declaredType, "declaredType");
    Codec codec = byType.get(declaredType);
    if (codec == null && declaredType instanceof ParameterizedType) {
      codec = byType.get(((ParameterizedType) declaredType).getRawType());
    }
    return codec != null ? codec : fallback;
  }

  /**
   * The codec that stores one value: {@link #forType}, except that a null value goes to JSON
   * when the chosen codec is a fast path, which cannot represent null.
   *
   * @param value the value to store
   * @param declaredType the declared return type
   * @return the codec to encode the value with
   */
  public Codec codecFor(Object value, Type declaredType) {
    Codec codec = forType(declaredType);
    if (value == null && (codec == Utf8Codec.INSTANCE || codec == BytesCodec.INSTANCE)) {
      return JsonCodec.INSTANCE;
    }
    return codec;
  }

  /**
   * The codec named by a stored entry's header.
   *
   * @param id the codec id read from the entry
   * @return the codec, or empty when no codec with that id is registered here (the entry was
   *     written with a custom codec this registry lacks; treat it as a miss)
   */
  public Optional<Codec> byId(String id) {
    return Optional.ofNullable(id == null ? null : byId.get(id));
  }

  /**
   * The codec named by a stored entry's header, or a clear failure.
   *
   * @param id the codec id read from the entry
   * @return the codec
   * @throws CodecException if no codec with that id is registered
   */
  public Codec requireById(String id) {
    return byId(id).orElseThrow(() -> new CodecException(id, null, "No codec with id '" + id
        + "' is registered (known: " + new java.util.TreeSet<>(byId.keySet()) + "). The entry "
        + "was written with a custom codec; register it with "
        + "CodecRegistry.builder().register(type, codec) to read such entries.", null));
  }

  /**
   * Encodes a value for storage, never throwing: a value that cannot be encoded gives an empty
   * result and one warning per function and type (naming both and the cause), so the caller can
   * return the value uncached.
   *
   * @param functionName the memoized function's name, for the warning
   * @param value the value to store
   * @param declaredType the declared return type
   * @return the codec id and payload, or empty if the value cannot be encoded
   */
  public Optional<Encoded> tryEncode(String functionName, Object value, Type declaredType) {
    Codec codec = codecFor(value, declaredType);
    try {
      return Optional.of(new Encoded(codec.id(), codec.encode(value, declaredType)));
    } catch (RuntimeException | StackOverflowError e) {
      String typeName = declaredType.getTypeName();
      if (warned.size() < 10_000 && warned.add(functionName + '\u0000' + typeName)) {
        LOG.log(System.Logger.Level.WARNING, "Results of " + functionName + " (type " + typeName
            + ") are not cached below memory: " + e.getMessage()
            + (declaredType == Object.class ? " A lambda's generic result type is erased by"
                + " the compiler: declare it with .resultType(type) on the function's spec, or"
                + " pass a method reference." : "")
            + " (further failures of this function and type are not logged)");
      }
      return Optional.empty();
    }
  }

  /**
   * An encoded value: the id of the codec that wrote it (for the entry header) and its bytes.
   *
   * @param codecId the codec id
   * @param payload the encoded bytes
   */
  public record Encoded(String codecId, byte[] payload) {
    /**
     * Checks the components.
     *
     * @param codecId the codec id
     * @param payload the encoded bytes
     */
    public Encoded {
      Objects.requireNonNull(codecId, "codecId");
      Objects.requireNonNull(payload, "payload");
    }
  }

  /** Collects registrations for an immutable {@link CodecRegistry}. Not thread-safe. */
  public static final class Builder {
    private final Map<Type, Codec> byType = new LinkedHashMap<>();
    private Codec fallback = JsonCodec.INSTANCE;

    private Builder() {
      byType.put(String.class, Utf8Codec.INSTANCE);
      byType.put(byte[].class, BytesCodec.INSTANCE);
    }

    /**
     * Stores values of a declared type with a codec, replacing any earlier choice for it (the
     * {@code String} and {@code byte[]} fast paths included).
     *
     * @param declaredType an exact type, or a raw class to cover all its parameterizations
     * @param codec the codec; its id must be unique in the registry
     * @return this builder
     */
    public Builder register(Type declaredType, Codec codec) {
      byType.put(Objects.requireNonNull(declaredType, "declaredType"),
          Objects.requireNonNull(codec, "codec"));
      return this;
    }

    /**
     * Sets the codec for types with no registration (JSON by default).
     *
     * @param codec the fallback codec
     * @return this builder
     */
    public Builder fallback(Codec codec) {
      this.fallback = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /**
     * Builds the registry.
     *
     * @return an immutable registry
     * @throws IllegalArgumentException if a codec id is malformed or two codecs share an id
     */
    public CodecRegistry build() {
      return new CodecRegistry(this);
    }
  }
}
