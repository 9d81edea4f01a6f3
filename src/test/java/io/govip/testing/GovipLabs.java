package io.govip.testing;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Builds the labs of a test and closes every one of them after the test, passed or failed, so that no namespace,
 * etcd or govip outlives it. Register it with {@code @RegisterExtension}.
 */
public final class GovipLabs implements AfterEachCallback {

    private final List<GovipLab> open = new ArrayList<>();

    /** {@link GovipLab#create(String, String...)}, closed after the test. */
    public GovipLab create(String vipCidr, String... extraArgs) {
        return closedAfterTheTest(GovipLab.create(vipCidr, extraArgs));
    }

    /** {@link GovipLab#create(String, boolean, String...)}, closed after the test. */
    public GovipLab create(String vipCidr, boolean etcdPreVote, String... extraArgs) {
        return closedAfterTheTest(GovipLab.create(vipCidr, etcdPreVote, extraArgs));
    }

    /** {@link GovipLab#withoutVip(String...)}, closed after the test. */
    public GovipLab withoutVip(String... extraArgs) {
        return closedAfterTheTest(GovipLab.withoutVip(extraArgs));
    }

    private GovipLab closedAfterTheTest(GovipLab lab) {
        open.add(lab);
        return lab;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Cleanup cleanup = new Cleanup();
        open.reversed().forEach(lab -> cleanup.run(lab::close));
        open.clear();
        cleanup.finish();
    }
}
