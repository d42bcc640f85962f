package io.fluxops.metering.counting;

import io.fluxops.metering.config.ServerApi;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * Counts the images in a successful response of a {@link ServerApi} while it streams through: fed
 * the response's bytes in the caller's own buffers, in pieces of any size, it checks that they make
 * one JSON document (RFC 8259: strings, escapes, numbers, literals, nesting) and counts the entries
 * of the API's image list. Nothing is copied or kept, so a 10 MB answer costs this object's fields.
 *
 * <p>Only the names the API's shape needs and a NIM's finish reason are read; every other string,
 * the base64 images above all, is skipped looking for its closing quote, eight bytes at a step when
 * the JIT compiler runs: a 2 MiB answer in about 1.1 ms with C1, against 3.8 ms through jackson's
 * streaming parser side by side, and as fast as jackson interpreted (BENCHMARKS.md, "Proxy
 * counting"). Bytes of 0x80 and above are passed over as UTF-8 without being checked: they cannot
 * end a string, and no name the count depends on has any.
 */
public final class ImageCounter {
  /** Deeper documents are taken for malformed; the APIs' answers are three levels deep. */
  static final int MAX_DEPTH = 256;

  /** Longer strings are not compared: no name the count looks for is this long. */
  private static final int SHORT_STRING = 32;

  private static final boolean WORD_SKIPS =
      !System.getProperty("java.vm.info", "").contains("interpreted");

  /** Non-zero for the bytes that end a skip: the quote, the backslash, the control characters. */
  private static final int[] STOPS = new int[256];

  static {
    for (int c = 0; c < 0x20; c++) {
      STOPS[c] = 1;
    }
    STOPS['"'] = 1;
    STOPS['\\'] = 1;
  }

  private static final byte[] SUCCESS = ascii("SUCCESS");
  private static final byte[] FINISH_REASON = ascii("finishReason");
  private static final byte[] B64_JSON = ascii("b64_json");
  private static final byte[] URL = ascii("url");
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");
  private static final byte[] NULL = ascii("null");

  // Where the scanner stands in the grammar.
  private static final int VALUE = 0;
  private static final int FIRST_KEY = 1;
  private static final int KEY = 2;
  private static final int COLON = 3;
  private static final int FIRST_ELEMENT = 4;
  private static final int AFTER_VALUE = 5;
  private static final int STRING = 6;
  private static final int ESCAPE = 7;
  private static final int UNICODE = 8;
  private static final int NUMBER = 9;
  private static final int LITERAL = 10;
  private static final int END = 11;
  private static final int FAILED = 12;

  // Within a number: after '-', '0', more digits, '.', fraction digits, 'e', its sign, its digits.
  private static final int MINUS = 0;
  private static final int ZERO = 1;
  private static final int INTEGER = 2;
  private static final int DOT = 3;
  private static final int FRACTION = 4;
  private static final int E = 5;
  private static final int E_SIGN = 6;
  private static final int EXPONENT = 7;

  // What the value after the current name means to the count.
  private static final int ANY = 0;
  private static final int LIST = 1;
  private static final int FINISH = 2;
  private static final int IMAGE = 3;

  private final ServerApi api;
  private final byte[] listName;
  private final boolean[] objects = new boolean[MAX_DEPTH];
  private int depth;
  private int state = VALUE;

  private boolean key;
  private boolean reading;
  private final byte[] text = new byte[SHORT_STRING];
  private int textLength;
  private int unicodeDigits;
  private int unicodeValue;
  private int number;
  private byte[] literal;
  private int literalIndex;

  private int role = ANY;
  private boolean finishValue;
  private boolean inList;
  private boolean entryIsImage;
  private long images = -1;

  public ImageCounter(ServerApi api) {
    this.api = api;
    this.listName = ascii(api == ServerApi.NIM ? "artifacts" : "data");
  }

  /** Reads a whole body; for callers that hold one. */
  public static OptionalLong count(ServerApi api, InputStream body) throws IOException {
    ImageCounter counter = new ImageCounter(api);
    byte[] chunk = new byte[8192];
    int n;
    while ((n = body.read(chunk)) >= 0) {
      counter.feed(chunk, 0, n);
    }
    return counter.images();
  }

  /** The next {@code length} bytes of the body. */
  public void feed(byte[] bytes, int offset, int length) {
    int i = offset;
    int end = offset + length;
    while (i < end && state != FAILED) {
      if (state == STRING && !reading) {
        i = WORD_SKIPS ? Words.skip(bytes, i, end) : skipBytes(bytes, i, end);
        if (i == end) {
          return;
        }
      }
      if (step(bytes[i] & 0xff)) {
        i++;
      }
    }
  }

  /**
   * The images of the body fed so far, or empty when it is not one complete JSON document of the
   * API's shape (cut off, malformed, another shape, more after it): then nothing may be counted.
   */
  public OptionalLong images() {
    return state == END && images >= 0 ? OptionalLong.of(images) : OptionalLong.empty();
  }

  /** Handles one byte; false when the byte ends a number and must be read again after it. */
  private boolean step(int c) {
    switch (state) {
      case VALUE -> {
        if (!space(c)) {
          startValue(c);
        }
      }
      case FIRST_KEY, KEY -> {
        if (c == '"') {
          startString(true);
        } else if (c == '}' && state == FIRST_KEY) {
          close();
        } else if (!space(c)) {
          state = FAILED;
        }
      }
      case COLON -> state = c == ':' ? VALUE : space(c) ? COLON : FAILED;
      case FIRST_ELEMENT -> {
        if (c == ']') {
          close();
        } else if (!space(c)) {
          state = VALUE;
          return false;
        }
      }
      case AFTER_VALUE -> afterValue(c);
      case STRING -> inString(c);
      case ESCAPE -> escaped(c);
      case UNICODE -> unicode(c);
      case NUMBER -> {
        return inNumber(c);
      }
      case LITERAL -> {
        if (c != literal[literalIndex++]) {
          state = FAILED;
        } else if (literalIndex == literal.length) {
          state = AFTER_VALUE;
        }
      }
      case END -> state = space(c) ? END : FAILED;
      default -> state = FAILED;
    }
    return true;
  }

  private void startValue(int c) {
    int meaning = role;
    role = ANY;
    if (depth == 0 && c != '{') {
      state = FAILED; // the answer is an object
      return;
    }
    if (depth == 2 && inList) {
      if (c != '{') {
        state = FAILED; // an entry of the image list that is not an object: not the API's shape
        return;
      }
      entryIsImage = false;
    }
    if (meaning == FINISH) {
      entryIsImage = false;
      finishValue = c == '"';
    } else if (meaning == IMAGE && c == '"') {
      entryIsImage = true;
    }
    switch (c) {
      case '{' -> open(true, FIRST_KEY);
      case '[' -> {
        open(false, FIRST_ELEMENT);
        if (meaning == LIST && depth == 2) {
          inList = true;
          images = 0;
        }
      }
      case '"' -> startString(false);
      case '-' -> startNumber(MINUS);
      case '0' -> startNumber(ZERO);
      case 't' -> startLiteral(TRUE);
      case 'f' -> startLiteral(FALSE);
      case 'n' -> startLiteral(NULL);
      default -> {
        if (c >= '1' && c <= '9') {
          startNumber(INTEGER);
        } else {
          state = FAILED;
        }
      }
    }
  }

  private void open(boolean object, int next) {
    if (depth == MAX_DEPTH) {
      state = FAILED;
      return;
    }
    objects[depth++] = object;
    state = next;
  }

  private void close() {
    depth--;
    if (inList && depth == 2) {
      if (entryIsImage) {
        images++;
      }
    } else if (inList && depth == 1) {
      inList = false;
    }
    state = depth == 0 ? END : AFTER_VALUE;
  }

  private void afterValue(int c) {
    boolean object = objects[depth - 1];
    if (c == ',') {
      state = object ? KEY : VALUE;
    } else if (c == (object ? '}' : ']')) {
      close();
    } else if (!space(c)) {
      state = FAILED;
    }
  }

  private void startString(boolean isKey) {
    key = isKey;
    reading = isKey ? depth == 1 || (depth == 3 && inList) : finishValue;
    textLength = 0;
    state = STRING;
  }

  private void inString(int c) {
    if (c == '"') {
      endString();
    } else if (c == '\\') {
      state = ESCAPE;
    } else if (c < 0x20) {
      state = FAILED; // control characters must be escaped
    } else {
      keep(c);
    }
  }

  private void escaped(int c) {
    switch (c) {
      case '"', '\\', '/' -> keep(c);
      case 'b' -> keep('\b');
      case 'f' -> keep('\f');
      case 'n' -> keep('\n');
      case 'r' -> keep('\r');
      case 't' -> keep('\t');
      case 'u' -> {
        unicodeDigits = 0;
        unicodeValue = 0;
        state = UNICODE;
        return;
      }
      default -> {
        state = FAILED;
        return;
      }
    }
    state = STRING;
  }

  private void unicode(int c) {
    int digit = Character.digit(c, 16);
    if (digit < 0) {
      state = FAILED;
      return;
    }
    unicodeValue = unicodeValue * 16 + digit;
    if (++unicodeDigits == 4) {
      keep(unicodeValue);
      state = STRING;
    }
  }

  /** Keeps a character of a string being read; one that is not ASCII makes it match no name. */
  private void keep(int c) {
    if (!reading || textLength < 0) {
      return;
    }
    if (c >= 0x80 || textLength == SHORT_STRING) {
      textLength = -1;
    } else {
      text[textLength++] = (byte) c;
    }
  }

  private void endString() {
    if (key) {
      role = roleOf();
      state = COLON;
    } else {
      if (finishValue) {
        entryIsImage = is(SUCCESS);
        finishValue = false;
      }
      state = AFTER_VALUE;
    }
    reading = false;
  }

  private int roleOf() {
    if (depth == 1) {
      return is(listName) ? LIST : ANY;
    }
    if (depth == 3 && inList) {
      if (api == ServerApi.NIM) {
        return is(FINISH_REASON) ? FINISH : ANY;
      }
      return is(B64_JSON) || is(URL) ? IMAGE : ANY;
    }
    return ANY;
  }

  private boolean is(byte[] name) {
    if (textLength != name.length) {
      return false;
    }
    for (int i = 0; i < textLength; i++) {
      if (text[i] != name[i]) {
        return false;
      }
    }
    return true;
  }

  private void startNumber(int first) {
    number = first;
    state = NUMBER;
  }

  private boolean inNumber(int c) {
    boolean digit = c >= '0' && c <= '9';
    boolean exponent = c == 'e' || c == 'E';
    int next =
        switch (number) {
          case MINUS -> c == '0' ? ZERO : digit ? INTEGER : -1;
          case ZERO -> c == '.' ? DOT : exponent ? E : -1;
          case INTEGER -> digit ? INTEGER : c == '.' ? DOT : exponent ? E : -1;
          case DOT, FRACTION -> digit ? FRACTION : exponent && number == FRACTION ? E : -1;
          case E -> digit ? EXPONENT : c == '+' || c == '-' ? E_SIGN : -1;
          default -> digit ? EXPONENT : -1; // E_SIGN, EXPONENT
        };
    if (next >= 0) {
      number = next;
      return true;
    }
    boolean whole = number == ZERO || number == INTEGER || number == FRACTION || number == EXPONENT;
    // "01" and "1.": a digit after a leading zero, or an end where a digit must come.
    state = whole && !digit ? AFTER_VALUE : FAILED;
    return false;
  }

  private void startLiteral(byte[] word) {
    literal = word;
    literalIndex = 1;
    state = LITERAL;
  }

  private static boolean space(int c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  /** Where the string being skipped may end or needs a look: a quote, a backslash, a control. */
  private static int skipBytes(byte[] bytes, int from, int end) {
    // A table look-up is fewer bytecodes than three comparisons: a quarter faster interpreted.
    final int[] stops = STOPS;
    int i = from;
    while (i < end) {
      if (stops[bytes[i] & 0xff] != 0) {
        return i;
      }
      i++;
    }
    return end;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * {@link #skipBytes} eight bytes at a time, for compiled code only: interpreted, the VarHandle
   * costs ten times what it saves. In its own class so that an interpreted sidecar never loads it.
   */
  private static final class Words {
    private static final VarHandle LONGS =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long SPACES = ONES * 0x20;

    static int skip(byte[] bytes, int from, int end) {
      int i = from;
      while (i + Long.BYTES <= end) {
        long word = (long) LONGS.get(bytes, i);
        long quote = word ^ QUOTES;
        long backslash = word ^ BACKSLASHES;
        // A byte is flagged when it is zero after the XOR (a quote or a backslash) or below 0x20;
        // the lowest flag is exact, and skipBytes looks at that byte again in any case.
        long flags =
            ((quote - ONES) & ~quote | (backslash - ONES) & ~backslash | (word - SPACES) & ~word)
                & HIGHS;
        if (flags != 0) {
          return i + (Long.numberOfTrailingZeros(flags) >>> 3);
        }
        i += Long.BYTES;
      }
      return skipBytes(bytes, i, end);
    }
  }
}
