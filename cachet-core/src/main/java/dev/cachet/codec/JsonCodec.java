package dev.cachet.codec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import com.fasterxml.jackson.databind.ser.DefaultSerializerProvider;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The default codec: JSON written by Jackson and read back into the declared (generic) return
 * type, the way Pydantic's {@code model_validate_json} validates into a model.
 *
 * <p>It handles records (nested or not), POJOs with getters and setters or a
 * {@code @JsonCreator}, collections and maps of those ({@code List<User>},
 * {@code Map<String, Optional<Instant>>}), {@code Optional}, {@code java.time} (as ISO-8601
 * strings, zone ids kept), {@code BigDecimal}, enums (by name), primitives and their boxes, and
 * {@code null} (as JSON {@code null}).
 *
 * <p>Reading is strict, because a stored entry that no longer fits the type must become a miss
 * rather than a silently wrong value: unknown properties, missing record components, trailing
 * data, floats into integers, strings into numbers and nulls into primitives all fail with a
 * {@link CodecException}.
 *
 * <p>Safety: no default typing is enabled, and decoding is driven only by the declared type,
 * never by a class name found in the payload; a payload such as
 * {@code {"@class":"java.lang.ProcessBuilder"}} decodes into {@code Object} as a plain map. Class
 * names are honoured only where a <em>user</em> type asks for them with
 * {@code @JsonTypeInfo(use = CLASS)}, and then only for subtypes of that user type: base types
 * from the JDK ({@code Object}, {@code Serializable}, ...) are refused, which closes the
 * classic gadget-chain attacks.
 *
 * <p>When the declared type leaves part of the value untyped ({@code Object}, a type variable,
 * {@code List<Object>}, a raw {@code Map}), JSON alone cannot say what to rebuild, so each such
 * value is decoded back and compared with {@code equals} before it is accepted: a
 * {@code Long} that would come back as an {@code Integer}, or a record that would come back as
 * a map, fails to encode (and stays in memory only) instead of being cached wrongly. For typed
 * declarations, the first value of each declared type is decoded back once, so a type Jackson
 * can write but not read (an interface, a class without a usable constructor) is reported when
 * it is first stored, not as a silent miss on every later read.
 *
 * <p>Thread-safe: the mapper is configured once and shared.
 */
public final class JsonCodec implements Codec {
  /** The id stored in entry headers. */
  public static final String ID = "json";

  /** The shared instance. */
  static final JsonCodec INSTANCE = new JsonCodec();

  /** Bounds the per-type caches, since declared types come from user code and are few. */
  static final int MAX_CACHED_TYPES = 4096;

  private final JsonMapper mapper;
  private final ConcurrentMap<Type, TypePlan> plans = new ConcurrentHashMap<>();
  // Mutation testing only (docs/TESTING.md): with the cache, PIT would credit each class's
  // computation to the first test that asked for a type's plan and judge later mutants on cached results.
  private static final boolean UNCACHED = Boolean.getBoolean("cachet.pit.uncached");


  /** What this codec knows about one declared type, computed once. */
  static final class TypePlan {
    final JavaType javaType;
    final ObjectReader reader;
    /** Whether some part of the type is Object, so decoding cannot rebuild the runtime class. */
    final boolean untyped;
    /** Whether one value of this type has been decoded back successfully. */
    volatile boolean verified;

    TypePlan(JavaType javaType, ObjectReader reader, boolean untyped) {
      this.javaType = javaType;
      this.reader = reader;
      this.untyped = untyped;
    }
  }

  // Package-private: tests take a fresh instance to see its cache from empty.
  JsonCodec() {
    // Jackson caps strings at 20 million characters to protect parsers of untrusted input; a
    // cached LLM answer or document may be longer, and a value that could be written but never
    // read back would be recomputed on every call. The frame already bounds the payload size.
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(Integer.MAX_VALUE)
            .build())
        .build();
    this.mapper = JsonMapper.builder(factory)
        .addModule(new JavaTimeModule())
        .addModule(new Jdk8Module())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        // ZonedDateTime keeps its region (Europe/Paris), not only its offset, and is not moved
        // to UTC on reading: the cached value must equal the returned one.
        .enable(SerializationFeature.WRITE_DATES_WITH_ZONE_ID)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        // A changed shape must be a miss, not a silently different value.
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        // BigDecimal keeps its scale and never switches to exponent notation.
        .enable(com.fasterxml.jackson.core.StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
        .polymorphicTypeValidator(new UserTypesOnly())
        .build();
  }

  /**
   * The codec's instance.
   *
   * @return the shared, thread-safe instance
   */
  public static JsonCodec instance() {
    return INSTANCE;
  }

  /**
   * {@inheritDoc}
   *
   * @return {@value #ID}
   */
  @Override
  public String id() {
    return ID;
  }

  /**
   * Writes the value as JSON (its runtime class decides which properties are written, so a
   * subclass loses nothing), after checking it can be read back as the declared type.
   *
   * @param value the value; null is written as {@code null}
   * @param declaredType the declared return type
   * @return UTF-8 JSON
   * @throws CodecException if Jackson cannot write the value, or it would not come back as an
   *     equal instance of the declared type
   */
  @Override
  public byte[] encode(Object value, Type declaredType) {
    TypePlan plan = plan(declaredType);
    byte[] bytes;
    try {
      bytes = write(value, plan);
    } catch (IOException | RuntimeException e) {
      throw encodeFailure(value, declaredType, e);
    } catch (StackOverflowError e) {
      // Only reachable through a custom serializer that recurses without Jackson's depth
      // checks; the caller must still get its value back, uncached.
      throw new CodecException(ID, declaredType, "Cannot encode a value of type "
          + declaredType.getTypeName() + " as JSON: it is nested too deeply or contains a "
          + "cycle. Return an acyclic value or register a custom Codec for this type. The "
          + "value is returned uncached.", null);
    }
    if (value == null) {
      return bytes;
    }
    if (plan.untyped) {
      Object back = decode(bytes, plan);
      if (!value.equals(back)) {
        throw new CodecException(ID, declaredType, "Cannot cache a value of runtime class "
            + value.getClass().getName() + " declared as " + declaredType.getTypeName()
            + ": the declared type does not say what to rebuild, and JSON reads it back as "
            + (back == null ? "null" : back.getClass().getName()) + " with a different value. "
            + "Declare the concrete return type (e.g. List<User> rather than List<Object>) or "
            + "register a custom Codec. The result is still returned and kept in memory, but not stored below it.", null);
      }
    } else if (!plan.verified) {
      try {
        decode(bytes, plan);
      } catch (CodecException e) {
        throw new CodecException(ID, declaredType, "Cannot cache a value of runtime class "
            + value.getClass().getName() + " declared as " + declaredType.getTypeName()
            + ": Jackson writes it but cannot read it back. " + e.getMessage()
            + " The result is still returned and kept in memory, but not stored below it.", e);
      }
      plan.verified = true;
    }
    return bytes;
  }

  /**
   * Writes with the runtime class at the root, but with the declared type for containers and
   * references ({@code List<Shape>}, {@code Optional<Shape>}), because erasure hides their
   * element types from Jackson and elements of an annotated polymorphic type would otherwise be
   * written without their type ids. Elements are still written by their runtime class (not
   * statically typed, unlike {@code ObjectMapper.writerFor}), so a subclass with extra fields
   * fails to read back instead of silently losing them.
   */
  private byte[] write(Object value, TypePlan plan) throws IOException {
    if (value == null || !(plan.javaType.isContainerType() || plan.javaType.isReferenceType())) {
      return mapper.writeValueAsBytes(value);
    }
    SerializationConfig config = mapper.getSerializationConfig();
    DefaultSerializerProvider provider = ((DefaultSerializerProvider) mapper
        .getSerializerProvider()).createInstance(config, mapper.getSerializerFactory());
    try (ByteArrayBuilder out = new ByteArrayBuilder()) {
      try (JsonGenerator gen = mapper.getFactory().createGenerator(out)) {
        config.initialize(gen);
        provider.serializeValue(gen, value, plan.javaType);
      }
      return out.toByteArray();
    }
  }

  /**
   * Reads JSON into the declared type.
   *
   * @param bytes UTF-8 JSON written by {@link #encode}
   * @param declaredType the declared return type
   * @return an instance of the declared type (boxed for primitives), or null
   * @throws CodecException if the JSON does not fit the declared type
   */
  @Override
  public Object decode(byte[] bytes, Type declaredType) {
    return decode(bytes, plan(declaredType));
  }

  private Object decode(byte[] bytes, TypePlan plan) {
    try {
      return plan.reader.readValue(bytes);
    } catch (IOException | RuntimeException e) {
      throw decodeFailure(plan.javaType, e);
    } catch (StackOverflowError e) {
      throw new CodecException(ID, plan.javaType, "Cannot decode a cached value of type "
          + plan.javaType.toCanonical() + ": it is nested too deeply. The entry is treated as "
          + "a miss.", null);
    }
  }

  private TypePlan plan(Type declaredType) {
    Objects.requireNonNull(declaredType, "declaredType");
    return UNCACHED ? newPlan(declaredType) : cachedPlan(declaredType);
  }

  // Package-private so that tests reach the cache even in runs that switch it off.
  TypePlan cachedPlan(Type declaredType) {
    TypePlan plan = plans.get(declaredType);
    if (plan != null) {
      return plan;
    }
    plan = newPlan(declaredType);
    if (plans.size() < MAX_CACHED_TYPES) {
      TypePlan raced = plans.putIfAbsent(declaredType, plan);
      if (raced != null) {
        return raced;
      }
    }
    return plan;
  }

  private TypePlan newPlan(Type declaredType) {
    JavaType javaType;
    try {
      javaType = mapper.getTypeFactory().constructType(declaredType);
    } catch (RuntimeException e) {
      throw new CodecException(ID, declaredType, "Cannot use declared type "
          + declaredType.getTypeName() + " with the json codec: " + e.getMessage()
          + ". Declare a concrete return type or register a custom Codec.", e);
    }
    boolean untyped = declaredType instanceof TypeVariable<?> || mentionsObject(javaType);
    return new TypePlan(javaType, mapper.readerFor(javaType), untyped);
  }

  /** Whether the type, or any type argument inside it, erases to Object. */
  private static boolean mentionsObject(JavaType type) {
    if (type.isJavaLangObject()) {
      return true;
    }
    for (int i = 0; i < type.containedTypeCount(); i++) {
      if (mentionsObject(type.containedType(i))) {
        return true;
      }
    }
    return false;
  }

  private static CodecException encodeFailure(Object value, Type declaredType, Exception e) {
    String cause = causeText(e);
    String advice;
    if (e instanceof InvalidDefinitionException) {
      advice = "Give the type public getters or make it a record, annotate it for Jackson, or "
          + "register a custom Codec for it with CodecRegistry.builder().register(type, codec).";
    } else {
      advice = "Make the value a plain data type (a record, a POJO with getters and setters, "
          + "collections of those) or register a custom Codec for it with "
          + "CodecRegistry.builder().register(type, codec).";
    }
    return new CodecException(ID, declaredType, "Cannot encode a value of type "
        + declaredType.getTypeName()
        + (value == null ? "" : " (runtime class " + value.getClass().getName() + ")")
        + " as JSON: " + cause + ". " + advice + " The result is still returned and kept in memory, but not stored below it.", e);
  }

  private static CodecException decodeFailure(JavaType type, Exception e) {
    String cause = causeText(e);
    String advice;
    if (e instanceof UnrecognizedPropertyException
        || (e instanceof MismatchedInputException && cause.contains("Missing"))) {
      advice = "The type's shape changed since the value was stored; the entry is treated as a "
          + "miss and replaced by the next call.";
    } else if (cause.contains("PolymorphicTypeValidator")) {
      advice = "Class names in a payload are honoured only for subtypes of your own annotated "
          + "types, never for Object, Serializable or other JDK base types: put "
          + "@JsonTypeInfo on your own base type (preferably with use = NAME and "
          + "@JsonSubTypes), or register a custom Codec.";
    } else if (e instanceof InvalidDefinitionException) {
      advice = "Jackson cannot create this type: give a record or class a constructor Jackson "
          + "can use (records work as they are; a class needs a no-argument constructor with "
          + "setters, or a @JsonCreator constructor), declare a concrete type instead of an "
          + "interface or abstract class (or annotate it with @JsonTypeInfo and "
          + "@JsonSubTypes), or register a custom Codec with "
          + "CodecRegistry.builder().register(type, codec).";
    } else {
      advice = "The stored bytes do not fit the declared type (a changed shape or a damaged "
          + "entry); the entry is treated as a miss.";
    }
    return new CodecException(ID, type, "Cannot decode a cached value of type "
        + type.toCanonical() + " with codec 'json': " + cause + ". " + advice, e);
  }

  /** Jackson's own message without its location and reference-chain suffixes. */
  private static String causeText(Exception e) {
    String text = e instanceof JacksonException
        ? ((JacksonException) e).getOriginalMessage()
        : e.toString();
    if (text == null) {
      text = e.getClass().getName();
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  /**
   * Allows class names from payloads only for subtypes of a user's own type.
   *
   * <p>Jackson asks this validator only where a type asks for class-name type ids with
   * {@code @JsonTypeInfo(use = CLASS or MINIMAL_CLASS)}, since no default typing is enabled. A
   * base type from the JDK, such as {@code Object} or {@code Serializable}, would let a payload
   * name any class on the classpath, so it is refused outright; a user's base type limits the
   * payload to that type's own subtypes, and JDK classes among those are refused too.
   */
  private static final class UserTypesOnly extends PolymorphicTypeValidator.Base {
    private static final long serialVersionUID = 1L;

    @Override
    public Validity validateBaseType(MapperConfig<?> config, JavaType baseType) {
      return isJdk(baseType.getRawClass()) ? Validity.DENIED : Validity.INDETERMINATE;
    }

    @Override
    public Validity validateSubClassName(MapperConfig<?> config, JavaType baseType,
        String subClassName) {
      if (isJdk(baseType.getRawClass()) || isJdkName(subClassName)) {
        return Validity.DENIED;
      }
      return Validity.INDETERMINATE;
    }

    @Override
    public Validity validateSubType(MapperConfig<?> config, JavaType baseType,
        JavaType subType) {
      if (isJdk(baseType.getRawClass()) || isJdk(subType.getRawClass())) {
        return Validity.DENIED;
      }
      return baseType.getRawClass().isAssignableFrom(subType.getRawClass())
          ? Validity.ALLOWED
          : Validity.DENIED;
    }

    private static boolean isJdk(Class<?> type) {
      return type.isPrimitive() || isJdkName(type.getName());
    }

    private static boolean isJdkName(String name) {
      return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
          || name.startsWith("sun.") || name.startsWith("com.sun.") || name.startsWith("[");
    }
  }

  /**
   * Describes the codec.
   *
   * @return {@code "JsonCodec"}
   */
  @Override
  public String toString() {
    return "JsonCodec";
  }
}
