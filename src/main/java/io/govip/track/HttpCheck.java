package io.govip.track;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import io.govip.config.CheckDefinition;

/**
 * Healthy when a GET of the URL answers 2xx (kube-apiserver's /readyz, haproxy's monitor URI). Redirects are not
 * followed: a redirect is not the health endpoint answering. The body is read and dropped.
 */
final class HttpCheck implements Check {

    private final CheckDefinition.Http definition;
    private final ExecutorService executor;
    private final HttpClient client;

    HttpCheck(CheckDefinition.Http definition, Duration timeout) {
        this.definition = definition;
        // The client's own work (TLS, the body) runs on one daemon thread per check, named for thread dumps.
        this.executor = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("govip-check-http").factory());
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).executor(executor);
        definition.caPem().ifPresent(pem -> builder.sslContext(trusting(pem)));
        this.client = builder.build();
    }

    /** An SSL context that trusts exactly the certificates in this PEM text. */
    static SSLContext trusting(String pem) {
        try {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("holds no PEM certificate (BEGIN CERTIFICATE)");
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + index++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("holds no usable PEM certificate (" + e.getMessage() + ")");
        }
    }

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public CheckResult run(Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(definition.url()).timeout(timeout).GET()
                .header("User-Agent", "govip-check").build();
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status / 100 == 2 ? CheckResult.up("HTTP " + status) : CheckResult.down("HTTP " + status);
        } catch (HttpConnectTimeoutException e) {
            return CheckResult.down("no connection within " + timeout.toMillis() + "ms");
        } catch (HttpTimeoutException e) {
            return CheckResult.down("no answer within " + timeout.toMillis() + "ms");
        } catch (ConnectException e) {
            return CheckResult.down(e.getCause() instanceof SSLException tls ? "TLS failed (" + tls.getMessage() + ")"
                    : "connection refused");
        } catch (SSLException e) {
            return CheckResult.down("TLS failed (" + e.getMessage() + ")");
        } catch (IOException e) {
            return CheckResult.down("request failed (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.down("interrupted");
        }
    }

    @Override
    public void close() {
        client.shutdownNow();
        executor.shutdownNow();
    }
}
