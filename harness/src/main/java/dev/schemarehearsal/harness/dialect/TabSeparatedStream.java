package dev.schemarehearsal.harness.dialect;

import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * CSV records re-encoded, as they are read, in LOAD DATA's own format: tab-separated, backslash escapes,
 * {@code \N} for NULL, UTF-8. LOAD DATA has no CSV NULL rule to match ours, and this format leaves nothing to
 * interpret. A record with the wrong number of fields or a CSV syntax error ends the stream early; the caller asks
 * {@link #failure()} once the engine has the stream.
 *
 * <p>Parsing runs on its own thread, a few chunks ahead of the driver: parsing and sending then overlap instead of
 * taking turns, which is what lets the load keep pace with the server.
 */
final class TabSeparatedStream extends InputStream {
    private static final int CHUNK = 1 << 16;

    private static final byte[] END = new byte[0];

    private final Iterator<CSVRecord> records;
    private final int columns;
    private final StringBuilder text = new StringBuilder(CHUNK + 1024);
    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(4);
    private final Thread parser;
    private volatile boolean closed;
    private byte[] buffer = new byte[0];
    private int position;
    private volatile long count;
    private volatile Exception failure;

    TabSeparatedStream(Iterable<CSVRecord> records, int columns) {
        this.records = records.iterator();
        this.columns = columns;
        this.parser = new Thread(this::parse, "schema-rehearsal-csv-parser");
        parser.setDaemon(true);
        parser.start();
    }

    /** Records sent so far. */
    long records() {
        return count;
    }

    /** Why the stream ended early: a {@link RowRejectedException} or an {@link IOException}; else {@code null}. */
    Exception failure() {
        return failure;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        if (position == buffer.length && !next()) {
            return -1;
        }
        int n = Math.min(length, buffer.length - position);
        System.arraycopy(buffer, position, target, offset, n);
        position += n;
        return n;
    }

    /** Takes the parser's next chunk; false at the end. */
    private boolean next() throws IOException {
        if (buffer == END) {
            return false;
        }
        try {
            buffer = chunks.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the CSV");
        }
        position = 0;
        return buffer != END;
    }

    /** The parser thread: encodes chunk after chunk until the records or the reader run out. */
    private void parse() {
        try {
            byte[] chunk;
            do {
                chunk = fill();
                while (!closed && !chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
                    // The driver is busy sending; wait for room, unless the stream was closed.
                }
            } while (chunk != END && !closed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] fill() {
        text.setLength(0);
        try {
            while (failure == null && text.length() < CHUNK && records.hasNext()) {
                encode(records.next());
            }
        } catch (UncheckedIOException e) {
            failure = e.getCause();
        }
        return text.length() == 0 ? END : text.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closed = true;
        parser.interrupt();
    }

    private void encode(CSVRecord record) {
        if (record.size() != columns) {
            failure = RowRejectedException.atRecord(count + 1, null, record.size() + " fields, the header has " + columns, null);
            return;
        }
        for (int i = 0; i < columns; i++) {
            if (i > 0) {
                text.append('\t');
            }
            String value = record.get(i);
            if (value == null) {
                text.append("\\N");
                continue;
            }
            for (int c = 0; c < value.length(); c++) {
                char ch = value.charAt(c);
                switch (ch) {
                    case '\\' -> text.append("\\\\");
                    case '\t' -> text.append("\\t");
                    case '\n' -> text.append("\\n");
                    case '\r' -> text.append("\\r");
                    case '\0' -> text.append("\\0");
                    default -> text.append(ch);
                }
            }
        }
        text.append('\n');
        count++;
    }
}
