package org.eqp.data;

/** A dataset's files are missing or cannot be fetched; the message says how to get them. */
public class DatasetUnavailableException extends RuntimeException {
    public DatasetUnavailableException(String message) {
        super(message);
    }

    public DatasetUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
