package dev.cachet.fingerprint;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * One class file read with ASM: for each method with code, a canonical rendering of its
 * instructions and the methods it refers to. Holds only strings, so caching it in a
 * {@link ClassValue} keeps no class loader alive.
 */
final class ClassCode {

  /** A method referred to by an instruction or a method handle constant. */
  record Ref(String owner, String name, String desc) {
  }

  /**
   * One method's code.
   *
   * @param rendering the instructions, with labels numbered by first appearance and the names of
   *     this class's synthetic lambda methods blanked out (their bodies are hashed instead)
   * @param refs the methods referred to, in order of first appearance, without repeats
   * @param hasCode false for abstract and native methods
   */
  record MethodCode(String name, String desc, String rendering, List<Ref> refs, boolean hasCode) {
  }

  // javac numbers anonymous classes (Outer$1) and lambda methods (lambda$main$0) across the whole
  // class, so adding one elsewhere in the file renumbers the rest; such numbers are blanked.
  private static final Pattern ANONYMOUS = Pattern.compile("\\$[0-9]+");

  private static final Pattern LOCAL = Pattern.compile("\\$[0-9]+[^/$]*$");

  private static final int READ_OPTIONS = ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES;

  final String internalName;
  final String superName;
  /** Why the class could not be read, or null. */
  final String problem;
  private final Map<String, MethodCode> methods;

  private ClassCode(String internalName, String superName, String problem,
      Map<String, MethodCode> methods) {
    this.internalName = internalName;
    this.superName = superName;
    this.problem = problem;
    this.methods = methods;
  }

  MethodCode method(String name, String desc) {
    return methods.get(name + desc);
  }

  /** The methods with code, ordered by name and descriptor, which do not depend on the file. */
  List<MethodCode> methodsInOrder() {
    return methods.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(Map.Entry::getValue)
        .filter(MethodCode::hasCode)
        .toList();
  }

  /** An anonymous ({@code Outer$1}) or local ({@code Outer$1Local}) class's internal name. */
  static boolean isAnonymousOrLocal(String internalName) {
    return LOCAL.matcher(internalName).find();
  }

  static ClassCode read(Class<?> type) {
    String internal = type.getName().replace('.', '/');
    if (type.isHidden()) {
      return failed(internal, "it is in a hidden class, generated at run time, whose bytecode"
          + " cannot be read");
    }
    byte[] bytes;
    ClassLoader loader = type.getClassLoader();
    String resource = internal + ".class";
    try (InputStream in = loader == null
        ? ClassLoader.getSystemResourceAsStream(resource)
        : loader.getResourceAsStream(resource)) {
      if (in == null) {
        return failed(internal, "the bytecode of " + type.getName() + " cannot be read from its"
            + " class loader (was the class generated at run time?)");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      return failed(internal, "reading the bytecode of " + type.getName() + " failed: " + e);
    }
    try {
      return parse(bytes);
    } catch (RuntimeException e) {
      // ASM rejects class file versions newer than it knows, and corrupt files.
      return failed(internal, "ASM cannot read the bytecode of " + type.getName() + ": " + e);
    }
  }

  private static ClassCode failed(String internal, String problem) {
    return new ClassCode(internal, null, problem, Map.of());
  }

  static ClassCode parse(byte[] bytes) {
    ClassReader reader = new ClassReader(bytes);
    Map<String, MethodCode> methods = new HashMap<>();
    String self = reader.getClassName();
    reader.accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor,
          String signature, String[] exceptions) {
        boolean hasCode = (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
        // Static-ness and synchronization change what the same instructions do; visibility
        // and the method's own name do not (the cache's name identifies the function).
        int kept = access & (Opcodes.ACC_STATIC | Opcodes.ACC_SYNCHRONIZED);
        return new Renderer(self, kept, descriptor) {
          @Override
          public void visitEnd() {
            methods.put(name + descriptor, new MethodCode(name, descriptor, out.toString(),
                List.copyOf(refs), hasCode));
          }
        };
      }
    }, READ_OPTIONS);
    return new ClassCode(self, reader.getSuperName(), null, Map.copyOf(methods));
  }

  static String normalize(String internalNameOrDescriptor) {
    if (internalNameOrDescriptor == null || internalNameOrDescriptor.indexOf('$') < 0) {
      return internalNameOrDescriptor;
    }
    return ANONYMOUS.matcher(internalNameOrDescriptor).replaceAll("\\$#");
  }

  static boolean isLambdaBody(String name) {
    return name.startsWith("lambda$");
  }

  /** Writes one line per instruction; every variable-length value is length-prefixed. */
  private static class Renderer extends MethodVisitor {
    final StringBuilder out = new StringBuilder();
    final Set<Ref> refs = new LinkedHashSet<>();
    private final String self;
    private final Map<Label, Integer> labels = new HashMap<>();

    Renderer(String self, int access, String descriptor) {
      super(Opcodes.ASM9);
      this.self = self;
      out.append("method ").append(access).append(' ');
      text(normalize(descriptor)).append('\n');
    }

    private StringBuilder text(String s) {
      if (s == null) {
        return out.append("-;");
      }
      return out.append(s.length()).append(':').append(s).append(';');
    }

    private StringBuilder label(Label label) {
      return out.append('L').append(labels.computeIfAbsent(label, l -> labels.size())).append(';');
    }

    private void method(String owner, String name, String desc) {
      if (owner.startsWith("[")) {
        // clone() on an array: nothing of the user's to follow.
        text(owner);
        text(name);
        text(desc);
        return;
      }
      refs.add(new Ref(owner, name, desc));
      text(normalize(owner));
      text(owner.equals(self) && isLambdaBody(name) ? "lambda$" : name);
      text(normalize(desc));
    }

    private void handle(Handle h) {
      out.append('H').append(h.getTag()).append(h.isInterface() ? 'i' : 'c');
      if (h.getTag() >= Opcodes.H_INVOKEVIRTUAL) {
        method(h.getOwner(), h.getName(), h.getDesc());
      } else {
        text(normalize(h.getOwner()));
        text(h.getName());
        text(normalize(h.getDesc()));
      }
    }

    private void constant(Object value) {
      if (value instanceof String s) {
        out.append('S');
        text(s);
      } else if (value instanceof Integer i) {
        out.append('I').append(i).append(';');
      } else if (value instanceof Long l) {
        out.append('J').append(l).append(';');
      } else if (value instanceof Float f) {
        out.append('F').append(Float.floatToRawIntBits(f)).append(';');
      } else if (value instanceof Double d) {
        out.append('D').append(Double.doubleToRawLongBits(d)).append(';');
      } else if (value instanceof Type t) {
        out.append('T');
        text(normalize(t.getDescriptor()));
      } else if (value instanceof Handle h) {
        handle(h);
      } else if (value instanceof ConstantDynamic c) {
        out.append('C');
        text(c.getName());
        text(normalize(c.getDescriptor()));
        handle(c.getBootstrapMethod());
        out.append(c.getBootstrapMethodArgumentCount()).append('[');
        for (int i = 0; i < c.getBootstrapMethodArgumentCount(); i++) {
          constant(c.getBootstrapMethodArgument(i));
        }
        out.append(']');
      } else {
        out.append('?');
        text(String.valueOf(value));
      }
    }

    @Override
    public void visitInsn(int opcode) {
      out.append(opcode).append('\n');
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
      out.append(opcode).append(' ').append(operand).append('\n');
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
      out.append(opcode).append(" v").append(varIndex).append('\n');
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
      out.append(opcode).append(' ');
      text(normalize(type)).append('\n');
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
      out.append(opcode).append(' ');
      text(normalize(owner));
      text(name);
      text(normalize(descriptor)).append('\n');
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor,
        boolean isInterface) {
      out.append(opcode).append(isInterface ? " i " : " c ");
      method(owner, name, descriptor);
      out.append('\n');
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap,
        Object... arguments) {
      out.append(Opcodes.INVOKEDYNAMIC).append(' ');
      text(name);
      text(normalize(descriptor));
      handle(bootstrap);
      out.append(arguments.length).append('[');
      for (Object argument : arguments) {
        constant(argument);
      }
      out.append("]\n");
    }

    @Override
    public void visitJumpInsn(int opcode, Label target) {
      out.append(opcode).append(' ');
      label(target).append('\n');
    }

    @Override
    public void visitLabel(Label label) {
      out.append("at ");
      label(label).append('\n');
    }

    @Override
    public void visitLdcInsn(Object value) {
      out.append(Opcodes.LDC).append(' ');
      constant(value);
      out.append('\n');
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
      out.append(Opcodes.IINC).append(" v").append(varIndex).append(' ').append(increment)
          .append('\n');
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... targets) {
      out.append(Opcodes.TABLESWITCH).append(' ').append(min).append(' ').append(max).append(' ');
      label(dflt);
      for (Label target : targets) {
        label(target);
      }
      out.append('\n');
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] targets) {
      out.append(Opcodes.LOOKUPSWITCH).append(' ');
      label(dflt);
      for (int i = 0; i < keys.length; i++) {
        out.append(keys[i]).append("->");
        label(targets[i]);
      }
      out.append('\n');
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
      out.append(Opcodes.MULTIANEWARRAY).append(' ');
      text(normalize(descriptor)).append(dimensions).append('\n');
    }

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
      out.append("try ");
      label(start);
      label(end);
      label(handler);
      text(normalize(type)).append('\n');
    }
  }

  /** For messages and cache keys: the package part of an internal name. */
  static String packageOf(String internalName) {
    int slash = internalName.lastIndexOf('/');
    return slash < 0 ? "" : internalName.substring(0, slash);
  }

}
