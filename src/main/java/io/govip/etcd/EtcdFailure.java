package io.govip.etcd;

import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.grpc.Status;

/** What went wrong talking to etcd, reduced to the distinctions govip acts on, with a one-line description. */
public record EtcdFailure(Kind kind, String description) {

    public enum Kind {
        /** Connection refused, reset, timed out, or no raft leader: transient, retry. */
        UNAVAILABLE,
        /**
         * The endpoint accepted the connection and closed it without a word: once, a member going down; every time,
         * plain http spoken to an https endpoint.
         */
        CLOSED_BY_ENDPOINT,
        /** TLS handshake failed, or http spoken to an https endpoint: configuration, not transient. */
        TLS,
        /** Wrong user or password: configuration. */
        AUTHENTICATION,
        /** The user may not touch the election keys: configuration. */
        PERMISSION,
        /** The lease no longer exists in etcd: leadership is gone. */
        LEASE_NOT_FOUND,
        /** Anything else: logged and retried. */
        OTHER;

        public boolean isConfigurationError() {
            return this == TLS || this == AUTHENTICATION || this == PERMISSION;
        }
    }

    public static EtcdFailure of(Throwable error) {
        Throwable root = unwrap(error);
        if (root instanceof TimeoutException) {
            return new EtcdFailure(Kind.UNAVAILABLE, "no answer in time");
        }
        if (root instanceof CancellationException) {
            return new EtcdFailure(Kind.OTHER, "cancelled");
        }
        for (Throwable cause = root; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException) {
                return new EtcdFailure(Kind.TLS, "TLS failure: " + cause.getMessage());
            }
        }
        Status status = Status.fromThrowable(root);
        String text = describe(status, root);
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("authentication failed") || lower.contains("invalid user")
                || status.getCode() == Status.Code.UNAUTHENTICATED) {
            return new EtcdFailure(Kind.AUTHENTICATION, text);
        }
        if (lower.contains("permission denied") || status.getCode() == Status.Code.PERMISSION_DENIED) {
            return new EtcdFailure(Kind.PERMISSION, text);
        }
        if (lower.contains("lease not found")) {
            return new EtcdFailure(Kind.LEASE_NOT_FOUND, text);
        }
        if (lower.contains("tls negotiation") || lower.contains("handshake")) {
            return new EtcdFailure(Kind.TLS, "TLS failure (an https endpoint that does not speak TLS?): " + text);
        }
        if (lower.contains("network closed for unknown reason")) {
            return new EtcdFailure(Kind.CLOSED_BY_ENDPOINT, text);
        }
        if (lower.contains("http2") || lower.contains("frame") && lower.contains("protocol")
                || lower.contains("not an ssl/tls record")) {
            return new EtcdFailure(Kind.TLS, "protocol mismatch (http vs https?): " + text);
        }
        return switch (status.getCode()) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, RESOURCE_EXHAUSTED -> new EtcdFailure(Kind.UNAVAILABLE, text);
            default -> lower.contains("no leader") || lower.contains("leader changed")
                    ? new EtcdFailure(Kind.UNAVAILABLE, text)
                    : new EtcdFailure(Kind.OTHER, text);
        };
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static String describe(Status status, Throwable root) {
        StringBuilder text = new StringBuilder(status.getCode().name());
        if (status.getDescription() != null) {
            text.append(": ").append(status.getDescription());
        } else if (root.getMessage() != null) {
            text.append(": ").append(root.getMessage());
        }
        Throwable cause = status.getCause();
        if (cause != null && cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
            text.append(" (").append(cause.getMessage()).append(')');
        }
        String oneLine = text.toString().replace('\n', ' ');
        int pipeline = oneLine.indexOf(" Channel Pipeline:");
        return pipeline < 0 ? oneLine : oneLine.substring(0, pipeline);
    }

    @Override
    public String toString() {
        return description;
    }
}
