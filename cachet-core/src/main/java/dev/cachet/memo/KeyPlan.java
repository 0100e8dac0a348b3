package dev.cachet.memo;

import dev.cachet.key.KeyMaker;
import dev.cachet.key.KeySnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Turns the arguments of one call into its cache key: drops ignored parameters, or applies the
 * user's key function, then snapshots what is left. Immutable; built once per memoized function
 * so that a call does no name lookups. Internal.
 */
final class KeyPlan {
  private final String functionName;
  private final KeyMaker maker;
  private final int[] kept;
  private final boolean keepAll;
  private final Function<Object[], Object> keyFunction;
  private final boolean typed;
  private final Object constantKey;

  private KeyPlan(String functionName, KeyMaker maker, int[] kept, int arity,
      Function<Object[], Object> keyFunction, boolean typed) {
    this.functionName = functionName;
    this.maker = maker;
    this.kept = kept;
    this.keepAll = kept.length == arity;
    this.keyFunction = keyFunction;
    this.typed = typed;
    this.constantKey = kept.length == 0 ? maker.keyOf(new Object[0]) : null;
  }

  /**
   * Plans keys for a function of {@code arity} parameters.
   *
   * @param names the parameter names, or null when unknown
   * @throws IllegalArgumentException when an ignored name or index does not exist
   */
  static KeyPlan of(String functionName, CacheConfig config, int arity, List<String> names) {
    boolean[] ignored = new boolean[arity];
    for (int index : config.ignoredIndexes) {
      if (index < 0 || index >= arity) {
        throw new IllegalArgumentException("Cannot ignore parameter #" + index + " of "
            + functionName + ": it has " + arity + " parameter" + (arity == 1 ? "" : "s")
            + " (positions start at 0).");
      }
      ignored[index] = true;
    }
    for (String name : config.ignoredNames) {
      if (names == null) {
        throw new IllegalArgumentException("Cannot ignore parameter '" + name + "' of "
            + functionName + ": its parameter names are unknown. Ignore it by position with"
            + " .ignore(int...), or pass a method reference straight to memoize(...) (not a"
            + " variable of a plain functional interface type) to a method compiled with"
            + " -parameters. A lambda's own parameters have no names in compiled code.");
      }
      int index = names.indexOf(name);
      if (index < 0) {
        throw new IllegalArgumentException("Cannot ignore parameter '" + name + "' of "
            + functionName + ": it has no such parameter; its parameters are " + names + ".");
      }
      ignored[index] = true;
    }
    List<String> keptNames = new ArrayList<>();
    int[] kept = new int[arity];
    int n = 0;
    for (int i = 0; i < arity; i++) {
      if (!ignored[i]) {
        kept[n++] = i;
        keptNames.add(names == null ? "arg" + i : names.get(i));
      }
    }
    KeyMaker maker = KeyMaker.of(functionName, keptNames, config.typed);
    return new KeyPlan(functionName, maker, Arrays.copyOf(kept, n), arity, config.keyFunction,
        config.typed);
  }

  /** The key of a one-argument call; avoids an array on the common path. */
  Object key1(Object arg) {
    if (keyFunction != null) {
      return custom(new Object[] {arg});
    }
    return keepAll ? maker.keyOf(arg) : constantKey;
  }

  /** The key of a call with any number of arguments. */
  Object key(Object[] args) {
    if (keyFunction != null) {
      return custom(args);
    }
    if (keepAll) {
      return args.length == 1 ? maker.keyOf(args[0]) : maker.keyOf(args);
    }
    if (kept.length == 0) {
      return constantKey;
    }
    if (kept.length == 1) {
      return maker.keyOf(args[kept[0]]);
    }
    Object[] selected = new Object[kept.length];
    for (int i = 0; i < kept.length; i++) {
      selected[i] = args[kept[i]];
    }
    return maker.keyOf(selected);
  }

  private Object custom(Object[] args) {
    Object userKey = keyFunction.apply(args.clone());
    try {
      return KeySnapshot.of(userKey, typed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("The key function of " + functionName
          + " returned a value that cannot be a key: " + e.getMessage(), e);
    }
  }
}
