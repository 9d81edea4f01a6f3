package io.govip.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The lines govip logs while it is open, as "LEVEL message", for tests that count what an operator would read. */
public final class CapturedLog implements AutoCloseable {

    private final Logger logger = Logger.getLogger("io.govip");
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getLevel().getName() + " " + message(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public CapturedLog() {
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }

    /** jboss-logging hands printf-style records over with their parameters unformatted. */
    private static String message(LogRecord record) {
        Object[] parameters = record.getParameters();
        return parameters == null || parameters.length == 0 ? record.getMessage()
                : String.format(record.getMessage(), parameters);
    }
}
