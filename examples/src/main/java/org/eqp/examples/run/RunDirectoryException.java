package org.eqp.examples.run;

/**
 * A run directory cannot be used as asked: it cannot be written, it holds a run of another configuration, or it holds
 * nothing to resume. The message names the problem and the fix in one line; the command line reports it as the
 * user's error.
 */
public final class RunDirectoryException extends RuntimeException {
    RunDirectoryException(String message) {
        super(message);
    }

    RunDirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
