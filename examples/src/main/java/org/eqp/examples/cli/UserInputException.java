package org.eqp.examples.cli;

import java.util.concurrent.Callable;

/**
 * The user's input is wrong: a flag value, a file, a dataset, a search config. The message names the problem and the
 * fix in one line; {@link EqpCli} prints it and exits with code 2. Anything else that escapes a command is a bug: its
 * stack trace is printed and the exit code is 1.
 */
final class UserInputException extends RuntimeException {

    UserInputException(String message) {
        super(message);
    }

    UserInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Runs a step that turns the user's input into objects (flags into settings, a file into a config): an
     * {@link IllegalArgumentException} it throws is the user's error, and becomes a {@code UserInputException} with
     * the same message. Keep the step to the parsing and checking, so that a failure in the work that follows is
     * still reported as the bug it would be.
     */
    static <T> T check(Callable<T> step) throws Exception {
        try {
            return step.call();
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
    }
}
