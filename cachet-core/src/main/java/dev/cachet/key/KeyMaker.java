package dev.cachet.key;

import java.util.List;

/**
 * Builds in-memory keys for the calls of one function: immutable structural snapshots of the
 * arguments (see {@link KeySnapshot} for what is supported and how values compare). Immutable
 * and thread-safe. Used by the memoization layer.
 *
 * <p>Key shapes: no argument gives one constant key; one argument gives that argument's
 * snapshot (a String argument is its own key, with no allocation); several arguments give an
 * immutable arguments key, which never equals a list of the same values.
 */
public final class KeyMaker {
  private final String functionName;
  private final List<String> parameterNames;
  private final boolean typed;

  private KeyMaker(String functionName, List<String> parameterNames, boolean typed) {
    this.functionName = functionName;
    this.parameterNames = parameterNames;
    this.typed = typed;
  }

  /**
   * A key maker for {@code functionName} whose (kept) parameters have the given names, used in
   * error messages.
   *
   * @param functionName the function's name, as shown in error messages
   * @param parameterNames the names of the kept parameters, in argument order
   * @param typed whether numbers of different Java types stay apart ({@code 1} vs {@code 1L})
   * @return the key maker
   */
  public static KeyMaker of(String functionName, List<String> parameterNames, boolean typed) {
    return new KeyMaker(functionName, List.copyOf(parameterNames), typed);
  }

  /**
   * Whether numbers of different types stay apart.
   *
   * @return the {@code typed} flag given to {@link #of}
   */
  public boolean typed() {
    return typed;
  }

  /**
   * The function name used in error messages.
   *
   * @return the name given to {@link #of}
   */
  public String functionName() {
    return functionName;
  }

  /**
   * The parameter names used in error messages.
   *
   * @return the immutable list given to {@link #of}
   */
  public List<String> parameterNames() {
    return parameterNames;
  }

  /**
   * The key of a call with one kept argument.
   *
   * @param arg the argument, possibly null
   * @return its snapshot; {@code arg} itself when it is a String
   * @throws KeyException when the argument has no stable key; the message names this function
   *     and the first parameter
   */
  public Object keyOf(Object arg) {
    if (arg instanceof String) {
      return arg; // the most common key: no allocation, no lookup
    }
    Object simple = Snapshotter.simple(arg, typed);
    if (simple != null) {
      return simple;
    }
    return new Snapshotter(typed, functionName, parameterName(0)).root(arg);
  }

  /**
   * The key of a call with the given kept arguments (any count, zero included). One argument
   * gives the same key as {@link #keyOf(Object)}.
   *
   * @param args the kept arguments; not modified and not retained
   * @return the key
   * @throws KeyException when an argument has no stable key; the message names this function
   *     and the parameter
   */
  public Object keyOf(Object[] args) {
    switch (args.length) {
      case 0:
        return SequenceKey.NO_ARGS;
      case 1:
        return keyOf(args[0]);
      default:
        break;
    }
    Object[] parts = new Object[args.length];
    Snapshotter walker = null; // created on the first argument that needs a walk
    for (int i = 0; i < args.length; i++) {
      Object simple = Snapshotter.simple(args[i], typed);
      if (simple != null) {
        parts[i] = simple;
        continue;
      }
      if (walker == null) {
        walker = new Snapshotter(typed, functionName, parameterName(i));
      } else {
        walker.parameter(parameterName(i));
      }
      // One walker for all arguments: the node limit applies to the call as a whole.
      parts[i] = walker.root(args[i]);
    }
    return new SequenceKey(SequenceKey.Kind.ARGS, parts);
  }

  private String parameterName(int i) {
    // Names may be missing (a caller that does not know them): fall back to the position.
    return i < parameterNames.size() ? parameterNames.get(i) : "arg" + i;
  }

  @Override
  public String toString() {
    return "KeyMaker[" + functionName + parameterNames + (typed ? ", typed" : "") + "]";
  }
}
