package io.govip.testing;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the logs of every etcd a test started itself (an {@link EtcdCluster}, an {@link EtcdServer}) when the test
 * fails, by then usually closed already: {@code @ExtendWith(EtcdLogsOnFailure.class)}.
 */
public final class EtcdLogsOnFailure implements BeforeEachCallback, TestWatcher {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(EtcdLogsOnFailure.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(STORE).put(context.getUniqueId(), EtcdLogs.count());
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Integer bookmark = context.getStore(STORE).get(context.getUniqueId(), Integer.class);
        EtcdLogs.createdSince(bookmark == null ? 0 : bookmark).forEach(EtcdLogs::print);
    }
}
