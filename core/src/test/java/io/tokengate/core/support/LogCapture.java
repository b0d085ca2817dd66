package io.tokengate.core.support;

import java.text.MessageFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The lines one logger (and its children) writes while open, through java.util.logging, where System.Logger and
 * jboss-logging send them in tests: {@code try (LogCapture log = LogCapture.of(name)) { ...; log.lines() }}.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            Object[] parameters = r.getParameters();
            lines.add(parameters == null || parameters.length == 0 ? r.getMessage() : MessageFormat.format(r.getMessage(), parameters));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture(String name) {
        this.logger = Logger.getLogger(name);
        logger.addHandler(handler);
    }

    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    /** Each record's message, its parameters filled in. */
    public List<String> lines() {
        return lines;
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
