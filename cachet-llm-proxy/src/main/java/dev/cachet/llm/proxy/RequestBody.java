package dev.cachet.llm.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body without holding a thread while the client sends it, up to a limit.
 *
 * <p>Bodies are read as Jetty delivers them (its demand callbacks), so a client that sends one
 * byte and stalls costs a connection, not one of the proxy's threads; the connector's idle
 * timeout then ends the read. A body over the limit is not kept: the rest is read and dropped
 * (up to a bound) so the client, still sending, receives the 413 instead of a reset.
 */
final class RequestBody {
  /** The most of an oversized body read and discarded before the 413 is sent. */
  private static final long DRAIN_LIMIT = 64L << 20;

  /**
   * What was read.
   *
   * @param bytes the whole body, or null when it was over the limit or failed
   * @param tooLarge whether the body was over the limit
   * @param failure why the body could not be read (an idle timeout, a closed connection), or
   *     null
   */
  record Result(byte[] bytes, boolean tooLarge, Throwable failure) {
  }

  private final Request request;
  private final int limit;
  private final Consumer<Result> then;
  private final ByteArrayOutputStream kept;
  private boolean tooLarge;
  private long dropped;

  private RequestBody(Request request, int limit, Consumer<Result> then) {
    this.request = request;
    this.limit = limit;
    this.then = then;
    long announced = request.getLength();
    this.tooLarge = announced > limit;
    this.kept = new ByteArrayOutputStream(tooLarge || announced < 0 ? 8192 : (int) announced);
  }

  /**
   * Starts reading; {@code then} receives the result once, on whichever thread read the end.
   *
   * @param limit the largest body kept, in bytes
   */
  static void read(Request request, int limit, Consumer<Result> then) {
    new RequestBody(request, limit, then).run();
  }

  private void run() {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this::run);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        then.accept(new Result(null, tooLarge, chunk.getFailure()));
        return;
      }
      ByteBuffer buffer = chunk.getByteBuffer();
      int n = buffer.remaining();
      if (!tooLarge && kept.size() + (long) n > limit) {
        tooLarge = true;
        dropped = kept.size();
        kept.reset();
      }
      if (tooLarge) {
        dropped += n;
      } else if (buffer.hasArray()) {
        kept.write(buffer.array(), buffer.arrayOffset() + buffer.position(), n);
      } else {
        byte[] copy = new byte[n];
        buffer.get(copy);
        kept.writeBytes(copy);
      }
      boolean last = chunk.isLast();
      chunk.release();
      if (last || (tooLarge && dropped > DRAIN_LIMIT)) {
        then.accept(tooLarge ? new Result(null, true, null)
            : new Result(kept.toByteArray(), false, null));
        return;
      }
    }
  }
}
