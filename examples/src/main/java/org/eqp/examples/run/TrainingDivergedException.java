package org.eqp.examples.run;

/**
 * Training produced NaN or Inf ({@link DivergenceGuard}). The message names the layer, the batch and a likely fix in
 * one line; the command line prints it without a stack trace and exits with code 3.
 */
public final class TrainingDivergedException extends RuntimeException {
    TrainingDivergedException(String message) {
        super(message);
    }

    /** The same failure with a note appended to its message (e.g. where the last good checkpoint is). */
    TrainingDivergedException withNote(String note) {
        TrainingDivergedException noted = new TrainingDivergedException(getMessage() + "; " + note);
        noted.setStackTrace(getStackTrace());
        return noted;
    }
}
