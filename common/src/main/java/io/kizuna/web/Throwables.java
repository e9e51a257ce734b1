package io.kizuna.web;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Describes a failure for the log without its messages, which may hold personal data or SQL values. */
final class Throwables {
    private static final int FRAMES = 8;

    private Throwables() {
    }

    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            text.append(cause.getClass().getName()).append(" at ")
                    .append(Arrays.stream(cause.getStackTrace()).limit(FRAMES).map(String::valueOf)
                            .collect(Collectors.joining(" < ")));
            if (cause.getCause() != null && cause.getCause() != cause) {
                text.append("; caused by ");
            } else {
                break;
            }
        }
        return text.toString();
    }
}
