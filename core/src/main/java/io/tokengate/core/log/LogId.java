package io.tokengate.core.log;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.text.MessageFormat;

/**
 * One kind of log event: its id ({@code TG-nnnn}, never reused for another event), level and message, declared once
 * in its module's catalogue ({@link CoreLog}, {@code ServletLog}, {@code EeLog}) with what it means for the README's
 * log-id table. Every log line with an id is written through one.
 *
 * @param pattern the message after the id, a {@link MessageFormat} pattern
 * @param meaning one line for operators: what happened and what to do
 */
public record LogId(String id, Level level, String pattern, String meaning) {
    public LogId {
        if (!id.matches("TG-\\d{4}")) {
            throw new IllegalArgumentException("a log id is TG- and four digits: " + id);
        }
    }

    /** Logs the event with the pattern's arguments. */
    public void log(Logger logger, Object... args) {
        if (logger.isLoggable(level)) {
            logger.log(level, text(args));
        }
    }

    /** Logs the event with the pattern's arguments and the stack trace of {@code thrown}. */
    public void log(Logger logger, Throwable thrown, Object... args) {
        if (logger.isLoggable(level)) {
            logger.log(level, text(args), thrown);
        }
    }

    /** The line as it is logged: the id and the formatted message. */
    public String text(Object... args) {
        return id + " " + MessageFormat.format(pattern, args);
    }
}
