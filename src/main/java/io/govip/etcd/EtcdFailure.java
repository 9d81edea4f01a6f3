package io.govip.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.ssl.NotSslRecordException;

/**
 * What went wrong talking to etcd, reduced to the distinctions govip acts on, with a one-line description. Decided
 * by the gRPC status code and etcd's error identity ({@link EtcdError}) found anywhere in the exception's causes,
 * and for the transport by the exception types TLS and HTTP/2 raise.
 */
public record EtcdFailure(Kind kind, String description) {

    /** grpc-java's descriptions of the two ways a protocol mismatch ends a connection before any gRPC answer. */
    private static final String CLOSED_BY_PEER = "Network closed for unknown reason";
    private static final String CLOSED_DURING_TLS = "Connection closed while performing TLS negotiation";

    public enum Kind {
        /** Connection refused, reset, timed out, or no raft leader: transient, retry. */
        UNAVAILABLE,
        /**
         * The endpoint accepted the connection and closed it without a word: once, a member going down; every time,
         * plain http spoken to an https endpoint.
         */
        CLOSED_BY_ENDPOINT,
        /** TLS handshake failed, or https spoken to a plain-http endpoint: configuration, not transient. */
        TLS,
        /** No credentials although etcd requires them, or a wrong user or password: configuration. */
        AUTHENTICATION,
        /** The user may not touch the election keys: configuration. */
        PERMISSION,
        /**
         * etcd no longer accepts the auth token of a client that logged in successfully (simple tokens expire after
         * --auth-token-ttl without use, and die with the member that issued them). jetcd drops the token and logs in
         * again on the next request: transient, retry.
         */
        AUTH_TOKEN_EXPIRED,
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
        List<Throwable> causes = causes(root);
        for (Throwable cause : causes) {
            if (cause instanceof SSLException || cause instanceof NotSslRecordException) {
                return new EtcdFailure(Kind.TLS, "TLS failure: " + oneLine(cause.getMessage()));
            }
            if (cause instanceof Http2Exception) {
                return new EtcdFailure(Kind.TLS, "protocol mismatch (plain http spoken to an https endpoint?): "
                        + oneLine(cause.getMessage()));
            }
        }
        // The innermost etcd error decides: jetcd reports a failed login as UNAUTHENTICATED around etcd's answer.
        for (Throwable cause : causes.reversed()) {
            Optional<EtcdError> known = EtcdError.identify(description(cause));
            if (known.isPresent()) {
                return new EtcdFailure(known.get().kind(), known.get().describe());
            }
        }
        // Otherwise the innermost status: a login that found no etcd is UNAUTHENTICATED around UNAVAILABLE.
        Throwable decisive = causes.reversed().stream().filter(cause -> code(cause) != Status.Code.UNKNOWN)
                .findFirst().orElse(root);
        Status.Code code = code(decisive);
        String text = code + ": " + oneLine(description(decisive));
        return switch (code) {
            case UNAUTHENTICATED -> new EtcdFailure(Kind.AUTHENTICATION, text);
            case PERMISSION_DENIED -> new EtcdFailure(Kind.PERMISSION, text);
            case UNAVAILABLE -> unavailable(decisive, text);
            case DEADLINE_EXCEEDED, ABORTED, RESOURCE_EXHAUSTED -> new EtcdFailure(Kind.UNAVAILABLE, text);
            default -> new EtcdFailure(Kind.OTHER, text + causeText(decisive));
        };
    }

    private static EtcdFailure unavailable(Throwable root, String text) {
        String description = description(root);
        if (description.startsWith(CLOSED_BY_PEER)) {
            return new EtcdFailure(Kind.CLOSED_BY_ENDPOINT, text);
        }
        if (description.startsWith(CLOSED_DURING_TLS)) {
            return new EtcdFailure(Kind.TLS, "the endpoint closed the connection during the TLS handshake "
                    + "(https spoken to a plain-http endpoint?): " + text);
        }
        return new EtcdFailure(Kind.UNAVAILABLE, text + causeText(root));
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static List<Throwable> causes(Throwable root) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable cause = root; cause != null && !chain.contains(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        return chain;
    }

    /** The gRPC status this very exception carries, also when jetcd converted it; UNKNOWN when it carries none. */
    private static Status.Code code(Throwable error) {
        return switch (error) {
            case StatusRuntimeException grpc -> grpc.getStatus().getCode();
            case StatusException grpc -> grpc.getStatus().getCode();
            case EtcdException etcd -> Status.Code.valueOf(etcd.getErrorCode().name());
            default -> Status.Code.UNKNOWN;
        };
    }

    private static String description(Throwable error) {
        String description = switch (error) {
            case StatusRuntimeException grpc -> grpc.getStatus().getDescription();
            case StatusException grpc -> grpc.getStatus().getDescription();
            case EtcdException etcd -> etcd.getMessage();
            default -> null;
        };
        return description == null ? "" : description;
    }

    /** What the operating system said (connection refused, no route), when gRPC only says "io exception". */
    private static String causeText(Throwable error) {
        for (Throwable cause = error.getCause(); cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                return " (" + oneLine(cause.getMessage()) + ")";
            }
        }
        return "";
    }

    /** grpc-java appends the Netty pipeline to some descriptions on a second line; the first says it all. */
    private static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    @Override
    public String toString() {
        return description;
    }
}
